"""Schemathesis against a live mock through the OpenAPI document: no 5xx, no undocumented status,
responses that conform. Authenticated with a real token of the operation's service."""

from __future__ import annotations

import os

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

# JSON Schema cannot say everything the contract checks (list lengths, the image's bytes, the
# deployment's type): a schema-valid body may rightly get a 422, so that check does not apply.
# A query string carries only text: a "boolean where a list of strings belongs" arrives as the
# valid string "false", so a negative case of a query parameter may rightly be accepted.
from schemathesis.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

from picsellia_contract.openapi import bundled_openapi

pytestmark = pytest.mark.slow  # a live server (or several): CI still runs these

schema = schemathesis.openapi.from_dict(bundled_openapi())


def bearer(mock, scheme: str, deployment_id: str) -> str:
    """A fresh login's token for the service the security scheme names."""
    route = "/api/login" if scheme == "servingBearer" else "/api/auth/login"
    body = {"api_token": mock.api_token, "deployment_id": deployment_id}
    return requests.post(mock.base_url + route, json=body, timeout=10).json()["jwt"]


@pytest.fixture(scope="module")
def mock(picsellia_mock_server):
    return picsellia_mock_server


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),  # the same cases on every CI run
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_every_operation_conforms(case, mock):
    deployment_id = mock.deployments["OBJECT_DETECTION"]
    if "id" in (case.path_parameters or {}) and not case.operation.path.startswith("/__admin"):
        case.path_parameters["id"] = deployment_id  # reach past the 404 of an unknown deployment
    headers = {}
    for requirement in case.operation.definition.raw.get("security", []):
        for scheme in requirement:
            headers["Authorization"] = "Bearer " + bearer(mock, scheme, deployment_id)
    try:
        excluded = [positive_data_acceptance]
        if case.query:
            excluded.append(negative_data_rejection)
        case.call_and_validate(base_url=mock.base_url, headers=headers, excluded_checks=excluded)
    finally:
        mock.reset()  # faults, clock moves and stored records do not leak into the next case
