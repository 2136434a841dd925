"""The TOML config file and the serve command's start-up errors (mockserver/config.py)."""

from __future__ import annotations

import pytest

from mockserver.config import ConfigError, demo_deployments, load_config_file
from tests.helpers import assert_one_line, start_up

GOOD = """
jwt_lifetime_seconds = 60
max_body_bytes = 1000
[[deployments]]
id = "6f1e3a52-0b7e-4c1a-9d3e-2f0c1b7a9e10"
name = "vehicles"
type = "OBJECT_DETECTION"
labels = ["car", "truck", "bus"]
api_tokens = ["my-api-token"]
"""


def write(tmp_path, text):
    path = tmp_path / "mock.toml"
    path.write_text(text)
    return path


def test_the_documented_format_loads(tmp_path):
    config = load_config_file(write(tmp_path, GOOD))
    assert config.jwt_lifetime_seconds == 60 and config.max_body_bytes == 1000
    [deployment] = config.deployments.values()
    assert deployment.labels == ("car", "truck", "bus") and deployment.name == "vehicles"
    assert deployment.api_tokens == ("my-api-token",)


def test_demo_deployments_cover_every_monitorable_type_with_stable_ids():
    first, second = demo_deployments(), demo_deployments()
    assert first == second
    assert sorted(d.type for d in first.values()) == sorted(
        ["CLASSIFICATION", "OBJECT_DETECTION", "SEGMENTATION", "POINT", "KEYPOINT", "LINE", "MASK"]
    )


@pytest.mark.parametrize(
    "text, key",
    [
        ("jwt_lifetime_seconds = -5", "jwt_lifetime_seconds"),
        ("max_body_bytes = 'big'", "max_body_bytes"),
        ("colour = 1", "colour"),
        ("deployments = []", "deployments"),
        ('[[deployments]]\nid = "a"\ntype = "OBJECT_DETECTION"', "api_tokens"),
        ('[[deployments]]\nid = "a"\ntype = "DETECTION"\napi_tokens = ["t"]', "type"),
        ('[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = []', "api_tokens"),
        ('[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\nlabels = [1]', "labels"),
        ('[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\nsize = 1', "size"),
        ('[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\n' * 2, "id"),
    ],
    ids=[
        "negative",
        "not-int",
        "unknown-key",
        "no-deployments",
        "no-tokens",
        "bad-type",
        "empty-tokens",
        "bad-labels",
        "unknown-deployment-key",
        "repeated-id",
    ],
)
def test_bad_config_names_file_key_and_problem(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    assert str(path) in str(caught.value) and f"'{key}'" in str(caught.value)


def test_unparseable_and_missing_files(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config_file(write(tmp_path, "[[deployments"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path / "absent.toml")


def test_serve_with_a_bad_config_stops_with_one_message(tmp_path):
    path = write(tmp_path, "jwt_lifetime_seconds = 0")
    done = start_up(tmp_path, "--config", str(path), "--db", str(tmp_path / "db"))
    assert_one_line(done, str(path), "jwt_lifetime_seconds")
