"""Multipart predict sent by each generated client that has one (hey-api's fetch client,
openapi-generator's Java native and Go clients) reaches a live mock as a file part with one
``tags`` part per tag, is answered 200, and the mock's journal shows it so.

Each client is built once (conftest.py: ``hey_api``, ``openapi_java``, ``openapi_go``) with a
small program of the gate (fixtures/) that logs in with the client's own login operation and
predicts with its predict operation, as a porter's code would.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ..helpers import image
from .helpers import run

pytestmark = pytest.mark.slow
TYPE = "OBJECT_DETECTION"
TAGS = ["night", "rain, fog"]  # a comma inside a tag: still one part


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("predict") / "frame.png"
    path.write_bytes(image())
    return path


def predict_with(program: list, mock, frame: Path, tags: list[str]) -> str:
    """Run a client's predict program against the mock; its standard output."""
    deployment = mock.deployment_id(TYPE)
    return run([*program, mock.base_url, deployment, mock.api_token, frame, *tags], timeout=120)


def predicts_seen(mock) -> list[dict]:
    """The journal's predict requests, oldest first."""
    entries = mock.requests(route="/api/deployments/{id}/predict")
    return sorted(entries, key=lambda entry: entry["id"])


def assert_sent_as_multipart(entry: dict, frame: Path, tags: list[str]) -> None:
    """A 200 answer to a multipart body: the image as a file part, each tag a part."""
    assert entry["status"] == 200, entry["codes"]
    request = entry["request"]
    assert request["body_kind"] == "multipart"
    assert request["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    parts = request["body"]
    [media] = [part for part in parts if part["name"] == "media"]
    data = frame.read_bytes()
    assert media["filename"] and "value" not in media
    assert media["size"] == len(data)
    assert media["sha256"] == hashlib.sha256(data).hexdigest()
    assert [part["value"] for part in parts if part["name"] == "tags"] == tags
    assert [part["value"] for part in parts if part["name"] == "monitor"] == ["False"]


def test_hey_api_client_sends_the_image_as_a_file_part_and_each_tag(hey_api, picsellia_mock, frame):
    program = ["node", hey_api / "out" / "predict.js"]
    out = predict_with(program, picsellia_mock, frame, TAGS)
    assert out == f'{{"status":200,"type":"{TYPE}"}}'
    [entry] = predicts_seen(picsellia_mock)
    assert_sent_as_multipart(entry, frame, TAGS)


def test_openapi_generator_go_client_sends_the_image_and_each_tag(
    openapi_go, picsellia_mock, frame
):
    out = predict_with([openapi_go / "predict"], picsellia_mock, frame, TAGS)
    assert out.strip() == f'{{"status":200,"type":"{TYPE}"}}'
    [entry] = predicts_seen(picsellia_mock)
    assert_sent_as_multipart(entry, frame, TAGS)


def test_openapi_generator_java_client_sends_the_image_and_each_tag_and_throws_on_null_tags(
    openapi_java, picsellia_mock, frame
):
    """Predict.java calls ServingApi.predict with the tags, with an empty list, then with
    ``tags = null``: the generated code calls ``tags.size()``, so the last one throws a
    NullPointerException before sending anything (the guide: pass an empty list)."""
    out = predict_with([*openapi_java, "roundtrip.Predict"], picsellia_mock, frame, TAGS)
    given, empty, null = json.loads(out)
    assert given == {"tags": "given", "status": 200, "type": TYPE}
    assert empty == {"tags": "empty", "status": 200, "type": TYPE}
    assert null["tags"] == "null" and null["error"].startswith("java.lang.NullPointerException")
    sent_with_tags, sent_without = predicts_seen(picsellia_mock)  # the null call sent nothing
    assert_sent_as_multipart(sent_with_tags, frame, TAGS)
    assert_sent_as_multipart(sent_without, frame, [])
