"""The concrete messages: one per deployment type for each message carrying raw predictions,
generated from the union message, each accepting exactly what the union accepts for its type."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from picsellia_contract import is_valid, load_schema, validate
from picsellia_contract.checks import matching_types
from picsellia_contract.concrete import (
    GENERATED_FROM,
    carriers,
    concrete_names,
    concrete_schema,
    stale_files,
    union_properties,
)
from picsellia_contract.geometry import type_schema_name, type_schemas
from picsellia_contract.openapi import bundled_openapi, openapi_document, pascal_case, stale
from picsellia_contract.registry import schema_dir

from . import strategies as s
from .test_vectors import CASES

TYPES = tuple(type_schemas())
# Everything of a concrete message that is not the union's own text.
OWN_KEYS = ("$id", "title", "description", "examples", GENERATED_FROM, "x-deployment-type")
CARRIED = [(g, t) for _, g, t in CASES if g["message"] in (*carriers(), "raw-predictions")]


def concrete_for(message: str, type_: str) -> str:
    return (
        type_schema_name(type_)
        if message == "raw-predictions"
        else concrete_names()[message, type_]
    )


def test_the_carriers_are_the_three_messages_with_raw_predictions():
    assert carriers() == ["monitoring-prediction-request", "predict-response", "shadow-request"]
    assert len(concrete_names()) == 3 * 7


def test_generated_files_are_current():
    assert stale() == [], "run python -m picsellia_contract.openapi"


def test_a_changed_or_orphan_concrete_file_is_stale(tmp_path, monkeypatch):
    for path in schema_dir().glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr("picsellia_contract.concrete.schema_dir", lambda: tmp_path)
    assert stale_files() == []
    edited = tmp_path / "shadow-request-line.json"
    edited.write_text(edited.read_text().replace('"minimum": 0', '"minimum": 1'))
    orphan = tmp_path / "shadow-request-multi.json"
    orphan.write_text(json.dumps({GENERATED_FROM: "shadow-request.json"}))
    assert stale_files() == ["shadow-request-line.json", "shadow-request-multi.json"]


@pytest.mark.parametrize("pair", sorted(concrete_names()), ids="-".join)
def test_a_concrete_message_is_its_union_with_the_types_schema(pair):
    message, type_ = pair
    union, concrete = load_schema(message), load_schema(concrete_names()[pair])
    assert concrete == concrete_schema(message, type_)
    assert concrete["x-deployment-type"] == type_ and concrete["examples"]
    keys = union_properties(union)
    for key in keys:
        assert concrete["properties"][key] == {"$ref": f"{type_schema_name(type_)}.json"}
    strip = [*OWN_KEYS, "$schema"]
    body = {k: v for k, v in concrete.items() if k not in strip}
    expected = {k: v for k, v in union.items() if k not in strip}
    assert {**body, "properties": {**body["properties"], **{k: None for k in keys}}} == {
        **expected,
        "properties": {**expected["properties"], **{k: None for k in keys}},
    }


def test_concrete_messages_are_components_no_operation_uses():
    written = openapi_document()["components"]["schemas"]
    bundled = bundled_openapi()
    for stem in concrete_names().values():
        name = pascal_case(load_schema(stem)["title"])
        assert written[name] == {"$ref": f"{stem}.json"}
        assert bundled["components"]["schemas"][name]["x-deployment-type"]
        assert f'/{name}"' not in json.dumps(bundled["paths"])


def test_every_valid_vector_with_raw_predictions_names_its_concrete_message():
    named = [t for g, t in CARRIED if t["valid"]]
    assert len(named) >= 40 and all("concrete" in t for t in named)
    assert not any("concrete" in t for g, t in CARRIED if not t["valid"])
    assert not any("concrete" in t for _, g, t in CASES if (g, t) not in CARRIED)


@pytest.mark.parametrize(
    "group, test",
    [(g, t) for g, t in CARRIED if t["valid"]],
    ids=[t["description"] for g, t in CARRIED if t["valid"]],
)
def test_a_valid_vector_is_accepted_by_its_concrete_message_only(group, test):
    message, data = group["message"], test["data"]
    own = load_schema(test["concrete"])["x-deployment-type"]
    assert group.get("deployment_type") in (None, own)
    assert is_valid(validate(test["concrete"], data))
    assert_concrete_is_union(message, data)
    raw = data if message == "raw-predictions" else data.get("raw_predictions")
    raw = data["shadow_raw_predictions"] if raw is None else raw
    for other in set(TYPES) - set(matching_types(raw)) - {own}:
        assert not is_valid(validate(concrete_for(message, other), data)), other


def assert_concrete_is_union(message: str, data) -> None:
    """For every type, the concrete message finds what the union finds on that type (a
    raw-predictions-<type> file, written by hand, gives the same verdict)."""
    for type_ in TYPES:
        found = validate(concrete_for(message, type_), data)
        expected = validate(message, data, deployment_type=type_)
        if message == "raw-predictions":
            found, expected = is_valid(found), is_valid(expected)
        assert found == expected, type_


drawn = st.sampled_from(TYPES).flatmap(
    lambda t: st.tuples(
        st.just(t),
        st.sampled_from(["monitoring-prediction-request", "shadow-request"]),
        s.monitoring_payloads(t),
        s.shadow_requests(t),
    )
)


@settings(max_examples=60, deadline=None)
@given(drawn)
def test_concrete_messages_accept_exactly_what_the_union_accepts_per_type(drawn):
    type_, message, monitoring, shadow = drawn
    data = monitoring if message == "monitoring-prediction-request" else shadow
    assert is_valid(validate(concrete_names()[message, type_], data))
    assert_concrete_is_union(message, data)


def test_the_definitions_document_holds_the_concrete_messages_and_what_they_use(tmp_path):
    from picsellia_contract.concrete import main

    assert main(["--definitions", str(tmp_path / "d.json")]) == 0
    definitions = json.loads((tmp_path / "d.json").read_text())["definitions"]
    names = {pascal_case(load_schema(stem)["title"]) for stem in concrete_names().values()}
    assert names <= set(definitions) and "RawPredictions" not in definitions
    text = json.dumps(definitions)
    assert "#/components/" not in text
    for target in set(re.findall(r'"#/definitions/([^"]+)"', text)):
        assert target in definitions
    assert main([]) == 2


def nodes(node):
    """Every dict inside ``node``, examples left out."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "examples":
                yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)


# The names code generators give their own wrappers of an operation (oapi-codegen: Response,
# Params, JSONRequestBody...; hey-api: Data, Responses, Errors...).
WRAPPERS = ("Response", "Responses", "Data", "Error", "Errors", "Params", "JSONBody")
WRAPPERS += ("JSONRequestBody", "MultipartBody", "MultipartRequestBody", "RequestObject")


def test_the_bundle_is_generator_friendly():
    bundle = bundled_openapi()
    for node in nodes(bundle["components"]["schemas"]):
        kinds = node.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "number" in kinds:
            assert node.get("format") == "double", node  # not float32, nor a decimal string
        if "enum" in node or "const" in node:
            assert "type" in node, node  # an untyped enum is interface{} or Object
    operations = [o for item in bundle["paths"].values() for o in item.values()]
    ids = [o["operationId"] for o in operations if isinstance(o, dict) and "operationId" in o]
    taken = {i[0].upper() + i[1:] + wrapper for i in ids for wrapper in WRAPPERS}
    assert taken & set(bundle["components"]["schemas"]) == set()
