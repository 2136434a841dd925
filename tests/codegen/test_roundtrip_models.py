"""The round-trip gate (see test_roundtrip.py), for the set-ups that cannot give every payload
back unchanged: openapi-generator's Go models, quicktype's Rust structs, jsonschema2pojo's Java
classes. Each test checks that nothing is refused or unparsable, that each changed payload
differs only as the porting guide says, and that the guide's row gives the counts measured.
"""

from __future__ import annotations

import json

import pytest

from picsellia_contract.openapi import pascal_case

from .corpus import corpus
from .roundtrip import GUIDE, only_changed_by, round_trip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return list(corpus())


def without_null(*keys: str):
    """What a writer that leaves out ``keys`` when null gives back: the payload without them
    (absent and null mean the same for these keys)."""

    def expected(item: dict) -> dict:
        payload = json.loads(json.dumps(item["payload"]))
        nodes = (payload, payload.get("raw_predictions"), payload.get("shadow_raw_predictions"))
        for node in nodes:
            for key in keys:
                if isinstance(node, dict) and key in node and node[key] is None:
                    del node[key]
        return payload

    return expected


def test_openapi_generator_go_models_drop_only_null_detection_texts(items, openapi_go):
    # detection_texts (a nullable list) is a plain slice with omitempty: null is left out
    judged = round_trip("openapi-generator-go", [openapi_go / "roundtrip"], items)
    only_changed_by("openapi-generator-go", judged, without_null("detection_texts"))


def test_quicktype_rust_structs_drop_only_null_texts_and_prediction_ids(items, quicktype_rust):
    # with --skip-serializing-none, None is left out: a null read is not written back
    judged = round_trip("quicktype-rust", quicktype_rust, items)
    only_changed_by("quicktype-rust", judged, without_null("detection_texts", "prediction_id"))


def at(document, pointer: str):
    """The value at a JSON Pointer of ``document``, or KeyError."""
    for key in pointer.lstrip("/").split("/"):
        document = document[int(key) if isinstance(document, list) else key]
    return document


def test_without_skip_serializing_none_absent_fields_go_out_as_null(items, quicktype_rust):
    judged = round_trip("quicktype-rust-as-generated", [*quicktype_rust, "--as-generated"], items)
    refused = [(item, result) for kind, item, result in judged if kind == "refused"]
    said = f"(`wrong_type`: {len(refused)} of the {len(items)} payloads, measured by the gate)"
    assert refused and said in " ".join(GUIDE.read_text(encoding="utf-8").split())
    for item, result in refused:  # each problem: a null where the payload had no key
        errors = [p for p in result["problems"] if p["severity"] == "error"]
        assert errors
        for problem in errors:
            pointer = problem["pointer"]
            if problem["code"] == "image_conflict":  # "image" or "cloud_image": null
                pointer = "/image" if "image" not in item["payload"] else "/cloud_image"
            assert problem["code"] in {"wrong_type", "image_conflict"}, (item["id"], problem)
            assert at(result["out"], pointer) is None
            with pytest.raises(KeyError):
                at(item["payload"], pointer)


def test_jsonschema2pojo_java_classes_drop_only_nulls(items, jsonschema2pojo):
    """jsonschema2pojo's Maven plugin on the concrete JSON Schema files; a class is named for
    its file (predict-response-mask.json: PredictResponseMask)."""
    by_file = [{**item, "component": pascal_case(item["concrete"])} for item in items]
    judged = round_trip("jsonschema2pojo", jsonschema2pojo, by_file)
    only_changed_by("jsonschema2pojo", judged, without_null("detection_texts", "prediction_id"))
