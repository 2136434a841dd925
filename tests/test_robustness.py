"""No body, header or route makes the server answer 5xx, and nothing unreadable is stored.

One property over every operation of the OpenAPI document (arbitrary bytes, arbitrary JSON,
multipart, with and without a valid token), and the hostile bodies a parser meets in the wild,
each pinned as an example.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mockserver.app import create_app
from mockserver.bodies import MAX_JSON_DEPTH
from mockserver.config import Config
from picsellia_contract import validate

from .helpers import OPERATIONS, assert_error, fill, sdk_payload

HOSTILE = {
    "nested 50,000 deep": b"[" * 50_000 + b"]" * 50_000,
    "nested objects": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    "huge float": b'{"latency": 1e400}',
    "NaN": b'{"latency": NaN}',
    "5,000-digit integer": b'{"height": ' + b"9" * 5_000 + b"}",
    "UTF-16": json.dumps({"api_token": "t"}).encode("utf-16"),
    "latin-1": '{"filename": "caf\xe9"}'.encode("latin-1"),
    "NUL bytes": b"\x00" * 64,
}

LONE_SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)  # JSON can escape them; UTF-8 cannot
texts = st.lists(st.characters() | LONE_SURROGATES, max_size=10).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(texts, c, max_size=3),
    max_leaves=8,
)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(sorted(HOSTILE.values())),
)


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    return create_app(Config(db_path=str(tmp_path_factory.mktemp("app") / "db")))


def token(client, service: str, deployment_id: str) -> str:
    route = "/api/login" if service == "serving" else "/api/auth/login"
    body = {"api_token": "demo-api-token", "deployment_id": deployment_id}
    return client.post(route, json=body).json["jwt"]


@given(
    route=st.sampled_from(OPERATIONS),
    body=bodies,
    content_type=st.sampled_from(
        [None, "application/json", "multipart/form-data; boundary=b", "text/plain"]
    ),
    auth=st.sampled_from([None, "Bearer x", "Token y", "Bearer a.b.c", "valid"]),
    as_file=st.booleans(),
)
@example(
    route=("POST", "/api/deployment/{id}/predictions"),
    body=HOSTILE["nested 50,000 deep"],
    content_type=None,
    auth="valid",
    as_file=False,
)
def test_any_request_gets_an_answer_below_500_and_stores_nothing(
    shared_app, route, body, content_type, auth, as_file
):
    client = shared_app.test_client()
    client.post("/__admin/reset", json={})
    method, path = route
    deployment_id = next(iter(shared_app.config["MOCK"].deployments))
    headers = {}
    if auth == "valid":
        service = "serving" if "predict" in path and "predictions" not in path else "monitoring"
        headers["Authorization"] = "Bearer " + token(client, service, deployment_id)
    elif auth:
        headers["Authorization"] = auth
    url = fill(path, deployment_id)
    if as_file:
        data = {"media": (__import__("io").BytesIO(body), "x.png"), "tags": "t"}
        response = client.open(url, method=method, data=data, headers=headers)
    else:
        response = client.open(
            url, method=method, data=body, content_type=content_type, headers=headers
        )
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert validate("error", response.get_json()) == []
    if not path.startswith("/__admin"):
        stored = client.get(f"/__admin/deployments/{deployment_id}/predictions").json
        assert stored["count"] == 0


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_body_is_400_invalid_json(client, login, ids, body):
    url = f"/api/deployment/{ids['POINT']}/predictions"
    response = client.post(url, data=body, headers=login("monitoring", "POINT"))
    assert_error(response, 400, "invalid_json")


def test_nesting_up_to_the_documented_depth_is_parsed(client, login, ids):
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    url = f"/api/deployment/{ids['POINT']}/predictions"
    response = client.post(url, data=nested, headers=login("monitoring", "POINT"))
    assert_error(response, 422, "wrong_type", "")


def test_integers_beyond_64_bits_are_answered_not_crashed_on(client, ids, login):
    """SQLite binds no int beyond 64 bits: found by Schemathesis, pinned here."""
    huge = 10**30
    payload = {**sdk_payload("POINT"), "timestamp": huge}
    url = f"/api/deployment/{ids['POINT']}/predictions"
    answer = client.post(url, json=payload, headers=login("monitoring", "POINT"))
    assert answer.status_code == 201  # stored, with a warning: far in the future
    assert {w["code"] for w in answer.json["warnings"]} == {"timestamp_in_future"}
    for query in (f"?since={huge}", f"?until={-huge}", f"?since={10**400}"):
        assert client.get("/__admin/requests" + query).status_code == 200
    too_far = client.get(f"/__admin/requests?after_id={2**64}")
    assert_error(too_far, 422, "out_of_range", "/after_id")


def test_a_lone_surrogate_is_read_stored_and_journaled(client, ids, login):
    """JSON may escape half a UTF-16 pair; it cannot be written as UTF-8 (orjson refuses), so
    it is kept escaped: found by review, pinned here."""
    for body in (
        b'{"api_token": "\\ud800", "deployment_id": "nowhere"}',
        b'{"api_token": "t", "deployment_id": "\\udfff"}',
    ):
        assert_error(client.post("/api/login", data=body), 404, "deployment_not_found")
    payload = {**sdk_payload("POINT"), "filename": "a\ud800.png"}
    url = f"/api/deployment/{ids['POINT']}/predictions"
    answer = client.post(
        url,
        data=json.dumps(payload),
        content_type="application/json",
        headers=login("monitoring", "POINT"),
    )
    assert answer.status_code == 201
    records = client.get(f"/__admin/deployments/{ids['POINT']}/predictions").json["predictions"]
    assert [r["body"]["filename"] for r in records] == ["a\ud800.png"]
    journal = client.get("/__admin/requests?order=oldest").json["entries"]
    assert [e["status"] for e in journal if e["path"] in ("/api/login", url)] == [404, 404, 201]
