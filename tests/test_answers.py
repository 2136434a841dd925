"""``checklive.answers``: an answer is compared with the OpenAPI document and schemas."""

from __future__ import annotations

import json

import pytest

from checklive.answers import compare_answer, expected_answer, route, success_status

JSON = {"Content-Type": "application/json"}
PROBLEM = {"Content-Type": "application/problem+json"}
ID = "0b0c6f64-3f43-4a53-9d0c-6d2a1b8a7e21"
INFO = {
    "id": "d",
    "name": "vehicles",
    "type": "OBJECT_DETECTION",
    "labels": ["car"],
    "monitorable": True,
    "prediction_count": 0,
    "shadow_prediction_count": 0,
}
ERROR_401 = {
    "type": "https://picsellia-mock.invalid/problems/token_missing",
    "title": "Not authenticated",
    "status": 401,
    "detail": "send a token",
    "message": "send a token",
    "problems": [],
}
BEARER = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def compare(operation, expected, status, headers, body, **options):
    text = body if isinstance(body, bytes) else json.dumps(body).encode()
    return compare_answer(operation, expected, status, headers, text, **options)


def found(comparison):
    return {(d.kind, d.where) for d in comparison.differences}


def test_routes_and_statuses_come_from_the_openapi_document():
    assert route("monitorPrediction") == ("POST", "/api/deployment/{id}/predictions")
    assert success_status("monitorPrediction") == 201
    assert success_status("servingLogin") == 200
    assert expected_answer("monitorPrediction", 201) == (
        "application/json",
        "monitoring-prediction-response",
    )
    assert expected_answer("deploymentInfo", 401) == ("application/problem+json", "error")
    assert expected_answer("deploymentInfo", 418) == ("application/problem+json", "error")
    with pytest.raises(KeyError):
        route("noSuchOperation")


@pytest.mark.parametrize(
    "operation, expected, status, headers, body",
    [
        ("monitorPrediction", 201, 201, JSON, {"id": ID, "warnings": []}),
        ("deploymentInfo", 200, 200, {"Content-Type": "application/json; charset=utf-8"}, INFO),
        ("deploymentInfo", 401, 401, {**PROBLEM, **BEARER}, ERROR_401),
        ("servingLogin", 200, 200, JSON, {"jwt": "x.y.z", "expires": 1795884000}),
    ],
    ids=["monitoring-201", "info-with-charset", "401-with-challenge", "login"],
)
def test_an_answer_as_the_contract_says_agrees(operation, expected, status, headers, body):
    comparison = compare(operation, expected, status, headers, body)
    assert comparison.differences == []
    assert comparison.body == body


RENAMED = {k if k != "prediction_count" else "predictions_count": v for k, v in INFO.items()}


@pytest.mark.parametrize(
    "operation, expected, status, headers, body, differences",
    [
        (
            "monitorPrediction",
            201,
            200,
            JSON,
            {"id": ID},
            {("another status", "status")},
        ),
        (
            "deploymentInfo",
            200,
            200,
            JSON,
            RENAMED,
            {("missing field", "/prediction_count"), ("extra field", "/predictions_count")},
        ),
        (
            "servingLogin",
            200,
            200,
            JSON,
            {"jwt": "x.y.z", "expires": "2026-11-27T23:00:00Z"},
            {("another type", "/expires")},
        ),
        (
            "deploymentInfo",
            200,
            200,
            JSON,
            dict(INFO, type="DETECTION"),
            {("another value", "/type")},
        ),
        (
            "deploymentInfo",
            200,
            200,
            {"Content-Type": "text/html"},
            INFO,
            {("another media type", "header Content-Type")},
        ),
        ("deploymentInfo", 200, 200, {}, INFO, {("missing header", "header Content-Type")}),
        ("deploymentInfo", 200, 200, JSON, b"<html>", {("not JSON", "")}),
        ("deploymentInfo", 200, 200, JSON, b"", {("not JSON", "")}),
        (
            "deploymentInfo",
            401,
            401,
            PROBLEM,
            ERROR_401,
            {("missing header", "header WWW-Authenticate")},
        ),
        (
            "deploymentInfo",
            200,
            200,
            {**JSON, **BEARER},
            INFO,
            {("extra header", "header WWW-Authenticate")},
        ),
        (
            "servingLogin",
            200,
            200,
            {**JSON, "Set-Cookie": "session=abc"},
            {"jwt": "x.y.z", "expires": 1795884000},
            {("extra header", "header Set-Cookie")},
        ),
        (
            "deploymentInfo",
            200,
            200,
            {**JSON, "Deprecation": "true", "Retry-After": "5"},
            INFO,
            {("extra header", "header Deprecation"), ("extra header", "header Retry-After")},
        ),
        (
            "deploymentInfo",
            200,
            503,
            {**PROBLEM, "Retry-After": "soon"},
            dict(ERROR_401, status=503),
            {("another status", "status"), ("another value", "header Retry-After")},
        ),
        (
            "deploymentInfo",
            200,
            404,
            JSON,
            {"detail": "Not found."},
            {
                ("another status", "status"),
                ("another media type", "header Content-Type"),
                *{("missing field", "/" + k) for k in ("type", "title", "status", "message")},
                ("missing field", "/problems"),
            },
        ),
    ],
    ids=[
        "200-instead-of-201",
        "renamed-field",
        "string-expires",
        "unknown-type",
        "html",
        "no-content-type",
        "not-json",
        "empty-body",
        "401-without-challenge",
        "challenge-on-200",
        "cookie",
        "deprecation-and-retry-after",
        "retry-after-not-seconds",
        "framework-404",
    ],
)
def test_every_difference_is_named_with_where_it_is(
    operation, expected, status, headers, body, differences
):
    comparison = compare(operation, expected, status, headers, body)
    assert found(comparison) == differences
    assert all(d.message for d in comparison.differences)


def test_fields_an_open_schema_allows_but_does_not_name_are_notes_not_differences():
    body = {"jwt": "x.y.z", "expires": 1795884000, "token_type": "bearer"}
    comparison = compare("servingLogin", 200, 200, JSON, body)
    assert comparison.differences == []
    assert comparison.notes == ["/token_type: a field the contract allows here but does not name"]


def test_warnings_of_the_contract_are_notes():
    body = {
        "prediction_id": None,
        "deployment_id": "d",
        "type": "CLASSIFICATION",
        "monitored": False,
        "width": 8,
        "height": 8,
        "latency": 0.1,
        "raw_predictions": {"detection_classes": [0], "detection_scores": [1.5]},
    }
    comparison = compare("predict", 200, 200, JSON, body, deployment_type="CLASSIFICATION")
    assert comparison.differences == []
    assert [n.split(":")[0] for n in comparison.notes] == ["/raw_predictions/detection_scores/0"]
