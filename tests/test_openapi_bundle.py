"""schemas/openapi.bundled.json: committed, current, self-contained, with named components."""

from __future__ import annotations

import json
import re

import pytest

from picsellia_contract.openapi import (
    bundle_path,
    bundle_text,
    bundled_openapi,
    main,
    openapi_document,
    pascal_case,
)
from picsellia_contract.registry import load_schema

BUNDLE = json.loads(bundle_path().read_text(encoding="utf-8"))
SCHEMAS = BUNDLE["components"]["schemas"]
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SENTENCE_MARKS = re.compile(r"[():;'!?]|\bof\b|\bthe\b")


def walk(node, found=None):
    """Every dict inside ``node``."""
    found = [] if found is None else found
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            walk(value, found)
    elif isinstance(node, list):
        for value in node:
            walk(value, found)
    return found


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_committed_bundle_is_the_one_the_split_files_give():
    assert bundle_path().read_text(encoding="utf-8") == bundle_text(), (
        "schemas/openapi.bundled.json is stale: run python -m picsellia_contract.openapi"
    )


def test_check_command_fails_on_a_stale_bundle(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "openapi.bundled.json"
    stale.write_text("{}\n")
    monkeypatch.setattr("picsellia_contract.openapi.bundle_path", lambda: stale)
    assert main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert main([]) == 0 and main(["--check"]) == 0


def test_every_reference_names_a_component_that_exists():
    refs = [node["$ref"] for node in walk(BUNDLE) if "$ref" in node]
    local = [r for r in refs if not r.startswith("#/components/schemas/")]
    assert all(r.startswith("#/components/") for r in local), local
    for ref in refs:
        section, name = ref.removeprefix("#/components/").split("/")
        assert "/" not in name and name in BUNDLE["components"][section], ref


def test_no_schema_keeps_its_id_schema_or_defs():
    for node in walk(SCHEMAS):
        assert not {"$id", "$schema", "$defs"} & set(node), node


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_component_names_are_pascal_case_titles(name):
    schema = SCHEMAS[name]
    assert PASCAL.match(name), name
    assert schema.get("title"), f"{name}: give the schema (or $defs entry) a short noun title"
    assert pascal_case(schema["title"]) == name, (name, schema["title"])
    assert len(schema["title"].split()) <= 6 and not SENTENCE_MARKS.search(schema["title"]), (
        f"{name}: a title is a short noun, long text goes in the description"
    )
    assert schema.get("description"), name


def test_the_named_schemas_porters_look_for_are_there():
    expected = {
        "MonitoringPredictionRequest",
        "RawPredictions",
        "RawPredictionsObjectDetection",
        "RawPredictionsClassification",
        "Box",
        "CloudImage",
        "MonitorableType",
        "StatsQuery",
        "PredictForm",
        "PredictMultipart",
        "ErrorBody",
        "Problem",
    }
    assert expected <= set(SCHEMAS)


def test_a_def_component_is_the_def_as_written():
    box = dict(load_schema("common")["$defs"]["box"])
    assert SCHEMAS["Box"] == box


def test_raw_predictions_union_lists_the_most_specific_variant_first():
    order = [ref["$ref"].rsplit("/", 1)[-1] for ref in SCHEMAS["RawPredictions"]["anyOf"]]
    assert order[-2:] == ["RawPredictionsObjectDetection", "RawPredictionsClassification"]
    assert order.index("RawPredictionsMask") < order.index("RawPredictionsSegmentation")
    for name in order[:-1]:  # every variant but classification requires its geometry key
        geometry = set(SCHEMAS[name]["required"]) - {"detection_classes", "detection_scores"}
        assert len(geometry) == 1, name
    assert "even when empty" in SCHEMAS["RawPredictions"]["description"]


def test_free_form_objects_say_additional_properties_true():
    for node in walk(SCHEMAS):
        if "object" in (node.get("type") or ()) and "properties" not in node:
            assert "additionalProperties" in node, node


def test_case_variant_enum_values_have_names():
    for node in walk(SCHEMAS):
        values = node.get("enum") or []
        lowered = [v.lower() for v in values if isinstance(v, str)]
        if len(set(lowered)) < len(lowered):
            names = node.get("x-enum-varnames", [])
            assert len(names) == len(values) and len(set(names)) == len(names), node


def test_predict_body_describes_the_wire_and_the_form_schema_the_parsed_view():
    for path in ("/api/deployments/{id}/predict", "/api/deployment/{id}/predict"):
        media = BUNDLE["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
        assert media["schema"] == {"$ref": "#/components/schemas/PredictMultipart"}
        assert "image/png" in media["encoding"]["media"]["contentType"]
    assert SCHEMAS["PredictMultipart"]["properties"]["media"]["format"] == "binary"
    assert SCHEMAS["PredictForm"]["properties"]["media"]["type"] == "string"


@pytest.mark.parametrize("route", [r for r, _ in operations(openapi_document())])
def test_every_operation_has_a_description_and_a_4xx_answer(route):
    operation = dict(operations(openapi_document()))[route]
    assert operation.get("description"), route
    assert any(code.startswith("4") for code in operation["responses"]), route


def test_the_document_names_its_license_and_contact():
    info = bundled_openapi()["info"]
    assert info["license"]["identifier"] == "MIT" and info["contact"]["name"]


def test_annotations_are_kept():
    written = load_schema("monitoring-prediction-request")["properties"]["content_type"]
    bundled = SCHEMAS["MonitoringPredictionRequest"]["properties"]["content_type"]
    assert bundled["x-enum-varnames"] == written["x-enum-varnames"]


def test_the_mock_serves_the_bundle(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == BUNDLE
