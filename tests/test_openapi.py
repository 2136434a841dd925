"""The OpenAPI 3.1 document: valid, complete, and made of references to the schema files."""

from __future__ import annotations

import json

from openapi_spec_validator import validate as validate_spec

from picsellia_contract import message_names
from picsellia_contract.openapi import bundled_openapi, openapi_document, referenced_files
from picsellia_contract.registry import load_schema

ROUTES = {
    ("post", "/api/login"),
    ("post", "/api/auth/login"),
    ("post", "/api/deployments/{id}/predict"),
    ("post", "/api/deployment/{id}/predict"),
    ("post", "/api/v2/deployments/{id}/predict"),
    ("post", "/api/v2/deployments/{id}/predict/shadow"),
    ("post", "/api/deployment/{id}/predictions"),
    ("post", "/api/prediction/{prediction_id}/shadow"),
    ("get", "/api/deployment/{id}"),
    ("get", "/api/deployment/{id}/stats"),
    ("get", "/api/deployment/{id}/predictions/stats"),
    ("get", "/__admin/health"),
    ("get", "/__admin/deployments"),
    ("post", "/__admin/validate/{message}"),
    ("get", "/__admin/requests"),
    ("get", "/__admin/deployments/{id}/predictions"),
    ("get", "/__admin/predictions/{prediction_id}/image"),
    ("post", "/__admin/reset"),
    ("post", "/__admin/clock"),
    ("post", "/__admin/strict"),
    ("get", "/__admin/faults"),
    ("post", "/__admin/faults"),
    ("delete", "/__admin/faults"),
    ("get", "/__admin/conformance/scenarios"),
    ("post", "/__admin/conformance/scenarios/{name}/start"),
    ("post", "/__admin/conformance/scenarios/{name}/grade"),
    ("get", "/__admin/conformance/report"),
    ("get", "/__admin/conformance/report.xml"),
    ("get", "/__admin/conformance/files/{file}"),
    ("get", "/openapi.json"),
}


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_document_as_written_passes_the_validator(schema_dir):
    path = schema_dir / "openapi.json"
    validate_spec(json.loads(path.read_text()), base_uri=path.as_uri())


def test_bundled_document_passes_the_validator():
    validate_spec(bundled_openapi())


def test_every_route_of_both_services_and_the_admin_api_is_described():
    assert {(m, p) for m, p, _ in operations(openapi_document())} == ROUTES


def test_the_server_serves_exactly_the_operations_of_the_document(app):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("web."):  # the web page: not part of the services
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((method.lower(), flask_rule_as_template(rule.rule)))
    assert served == {(m, p) for m, p, _ in operations(openapi_document())}


def flask_rule_as_template(rule: str) -> str:
    return rule.replace("<", "{").replace(">", "}")


def test_every_schema_file_is_reachable_from_the_document():
    reached, pending = set(), referenced_files(openapi_document())
    while pending:
        stem = pending.pop()
        reached.add(stem)
        pending |= referenced_files(load_schema(stem)) - reached
    # mock-config.json describes the mock's own config file, not a message of the services
    assert set(message_names()) - reached == {"mock-config"}


def test_bodies_are_references_never_copies():
    for _, path, operation in operations(openapi_document()):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            any_json = operation["operationId"] == "adminValidate" and media["schema"] == {}
            assert set(media["schema"]) == {"$ref"} or any_json
        if path == "/openapi.json":  # the document itself: any JSON object
            continue
        for response in operation["responses"].values():
            for media in response.get("content", {}).values():
                assert set(media["schema"]) == {"$ref"} or "contentMediaType" in media["schema"]


def test_service_routes_need_their_own_bearer_token():
    bearer = {"serving": [{"servingBearer": []}], "monitoring": [{"monitoringBearer": []}]}
    for _, path, operation in operations(openapi_document()):
        if "login" in path or path.startswith("/__admin") or path == "/openapi.json":
            assert operation["security"] == [], path
        else:
            assert operation["security"] == bearer[operation["tags"][0]], path


def test_every_error_response_uses_the_shared_error_body():
    responses = openapi_document()["components"]["responses"]
    for response in responses.values():
        assert response["content"]["application/problem+json"]["schema"] == {"$ref": "error.json"}


def test_the_documents_version_is_the_packages():
    from picsellia_contract import __version__

    assert openapi_document()["info"]["version"] == __version__
    assert bundled_openapi()["info"]["version"] == __version__
