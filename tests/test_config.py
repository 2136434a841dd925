"""The TOML config file and the serve command's start-up errors (mockserver/config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

from mockserver.config import Config, ConfigError, demo_deployments, load_config_file
from picsellia_contract import field_defaults, load_schema, validate
from tests.helpers import assert_one_line, start_up

ROOT = Path(__file__).resolve().parent.parent
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
    "text, where",
    [
        ("jwt_lifetime_seconds = -5", "/jwt_lifetime_seconds"),
        ("max_body_bytes = 'big'", "/max_body_bytes"),
        ("colour = 1", "/colour"),
        ("deployments = []", "/deployments"),
        ('[[deployments]]\nid = "a"\ntype = "OBJECT_DETECTION"', "/deployments/0/api_tokens"),
        (
            '[[deployments]]\nid = "a"\ntype = "DETECTION"\napi_tokens = ["t"]',
            "/deployments/0/type",
        ),
        ('[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = []', "/deployments/0/api_tokens"),
        (
            '[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\nlabels = [1]',
            "/deployments/0/labels/0",
        ),
        (
            '[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\nsize = 1',
            "/deployments/0/size",
        ),
        (
            '[[deployments]]\nid = "a"\ntype = "POINT"\napi_tokens = ["t"]\n' * 2,
            "/deployments/1/id",
        ),
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
def test_bad_config_names_file_pointer_and_problem(tmp_path, text, where):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}: ") and "\n" not in message


def test_unparseable_and_missing_files(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config_file(write(tmp_path, "[[deployments"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path / "absent.toml")


def test_serve_with_a_bad_config_stops_with_one_message(tmp_path):
    path = write(tmp_path, "jwt_lifetime_seconds = 0")
    done = start_up(tmp_path, "--config", str(path), "--db", str(tmp_path / "db"))
    assert_one_line(done, str(path), "/jwt_lifetime_seconds")


def test_the_schema_describes_every_key_the_loader_reads():
    """Config's defaults are the schema's; the README's example is valid against it."""
    schema = load_schema("mock-config")
    config = Config()
    for key, value in field_defaults("mock-config").items():
        if hasattr(config, key):
            assert getattr(config, key) == value, key
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    data = tomllib.loads(example)
    assert set(data) <= set(schema["properties"]) and validate("mock-config", data) == []
    assert schema["$defs"]["deployment"]["properties"]["type"] == {
        "$ref": "common.json#/$defs/deployment_type"
    }


def test_a_demo_id_repeated_is_a_cross_field_error(tmp_path):
    [ident] = [i for i, d in demo_deployments().items() if d.type == "POINT"]
    text = f'demo_deployments = true\n[[deployments]]\nid = "{ident}"\ntype = "POINT"\n'
    path = write(tmp_path, text + 'api_tokens = ["t"]\n')
    with pytest.raises(ConfigError, match="^.*: /deployments/0/id: repeats the id of a demo"):
        load_config_file(path)


def test_an_admin_token_too_short_and_a_date_are_one_line_each(tmp_path):
    with pytest.raises(ConfigError, match="/admin_token: .*8"):
        load_config_file(write(tmp_path, 'admin_token = "short"'))
    with pytest.raises(ConfigError, match="/max_body_bytes: must be an integer"):
        load_config_file(write(tmp_path, "max_body_bytes = 1979-05-27"))


def test_the_stored_image_budget_is_read_from_the_file(tmp_path):
    path = tmp_path / "mock.toml"
    path.write_text("max_stored_image_bytes = 1000\n")
    assert load_config_file(path).max_stored_image_bytes == 1000
    path.write_text("max_stored_image_bytes = -1\n")
    with pytest.raises(ConfigError, match="/max_stored_image_bytes"):
        load_config_file(path)
