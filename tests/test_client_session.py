"""The reference client's session: login, bearer, re-login on 401, retries, timeouts (responses)."""

from __future__ import annotations

import json
import time

import pytest
import requests
import responses

from reference_client import ServiceError, ServiceSession, TransportError

HOST = "http://mock.test"


def login_answer(token="jwt-1", lifetime=3600):
    return {"jwt": token, "expires": int(time.time()) + lifetime}


def make(service="monitoring", **options) -> tuple[ServiceSession, list[float]]:
    waits: list[float] = []
    session = ServiceSession(service, HOST, "dep-1", "tok", sleep=waits.append, **options)
    return session, waits


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.mark.parametrize(
    "service, route", [("serving", "/api/login"), ("monitoring", "/api/auth/login")]
)
def test_login_posts_the_body_without_content_type_and_keeps_the_token(rsps, service, route):
    rsps.post(HOST + route, json=login_answer("abc"))
    session, _ = make(service)
    session.login()
    sent = rsps.calls[0].request
    assert json.loads(sent.body) == {"api_token": "tok", "deployment_id": "dep-1"}
    assert "Content-Type" not in sent.headers and "Authorization" not in sent.headers
    assert session.jwt == "abc"


def test_requests_carry_the_bearer_token_and_an_explicit_timeout(rsps):
    rsps.post(HOST + "/api/auth/login", json=login_answer("abc"))
    rsps.get(HOST + "/api/deployment/dep-1", json={"id": "dep-1"})
    session, _ = make()
    seen = []
    original = session.http.request

    def spy(*args, **kwargs):
        seen.append(kwargs["timeout"])
        return original(*args, **kwargs)

    session.http.request = spy
    session.request("GET", "/api/deployment/dep-1", 200)
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer abc"
    assert seen == [(5.0, 60.0), (5.0, 60.0)]


def test_401_logs_in_again_and_replays_once(rsps):
    rsps.post(HOST + "/api/auth/login", json=login_answer("old"))
    rsps.get(HOST + "/x", status=401, json={"message": "expired"})
    rsps.post(HOST + "/api/auth/login", json=login_answer("new"))
    rsps.get(HOST + "/x", json={"ok": True})
    session, _ = make()
    assert session.request("GET", "/x", 200).json() == {"ok": True}
    assert [c.request.headers.get("Authorization") for c in rsps.calls] == [
        None,
        "Bearer old",
        None,
        "Bearer new",
    ]


def test_a_second_401_is_an_error(rsps):
    for _ in range(2):
        rsps.post(HOST + "/api/auth/login", json=login_answer())
        rsps.get(HOST + "/x", status=401, json={"message": "no"})
    session, _ = make()
    with pytest.raises(ServiceError, match="after logging in again") as caught:
        session.request("GET", "/x", 200)
    assert caught.value.status == 401
    assert len(rsps.calls) == 4


def test_token_is_refreshed_ahead_of_expiry(rsps):
    rsps.post(HOST + "/api/auth/login", json=login_answer("short", lifetime=30))
    rsps.post(HOST + "/api/auth/login", json=login_answer("fresh"))
    rsps.get(HOST + "/x", json={})
    session, _ = make()
    session.login()
    session.request("GET", "/x", 200)  # 30 s left is within the 60 s margin
    assert rsps.calls[2].request.headers["Authorization"] == "Bearer fresh"


@pytest.mark.parametrize("status", [503, 429, 502, 599])
def test_retryable_statuses_are_retried_honouring_retry_after(rsps, status):
    rsps.post(HOST + "/api/auth/login", json=login_answer())
    rsps.get(HOST + "/x", status=status, headers={"Retry-After": "2"}, json={})
    rsps.get(HOST + "/x", status=status, json={})
    rsps.get(HOST + "/x", json={"ok": 1})
    session, waits = make()
    assert session.request("GET", "/x", 200).json() == {"ok": 1}
    assert waits == [2.0, 1.0]  # Retry-After, then the backoff of the second attempt


@pytest.mark.parametrize("status", [500, 400, 404, 409, 413, 422])
def test_other_errors_are_not_retried(rsps, status):
    rsps.post(HOST + "/api/auth/login", json=login_answer())
    rsps.get(
        HOST + "/x",
        status=status,
        json={"message": "no", "problems": [{"code": "c", "pointer": ""}]},
    )
    session, waits = make()
    with pytest.raises(ServiceError) as caught:
        session.request("GET", "/x", 200)
    assert waits == [] and caught.value.status == status and caught.value.code == "c"


def test_retries_are_bounded(rsps):
    rsps.post(HOST + "/api/auth/login", json=login_answer())
    for _ in range(3):
        rsps.get(HOST + "/x", status=503, headers={"Retry-After": "999"}, json={"message": "down"})
    session, waits = make(max_retries=2, max_wait=7)
    with pytest.raises(ServiceError, match="503"):
        session.request("GET", "/x", 200)
    assert waits == [7, 7]


def test_timeouts_and_refused_connections_are_transport_errors(rsps):
    rsps.post(HOST + "/api/auth/login", body=requests.Timeout("slow"))
    session, _ = make()
    with pytest.raises(TransportError, match="no answer in time"):
        session.login()
    rsps.post(HOST + "/api/auth/login", body=requests.ConnectionError("refused"))
    with pytest.raises(TransportError, match="cannot connect"):
        session.login()


def test_wrong_status_for_the_route_is_an_error(rsps):
    rsps.post(HOST + "/api/auth/login", json=login_answer())
    rsps.post(HOST + "/api/deployment/dep-1/predictions", status=200, json={"id": "x"})
    session, _ = make()
    with pytest.raises(ServiceError, match="200"):
        session.request("POST", "/api/deployment/dep-1/predictions", 201, data="{}")


def test_the_defaults_the_porting_guide_states(rsps):
    """5 retries of 429/501-599 (login included), 0.5 s doubling, waits capped at 30 s, renewal
    60 s ahead of expiry, (5, 60) s timeouts: docs/porting-guide.md, section 4."""
    rsps.post(HOST + "/api/auth/login", status=503, json={})
    rsps.post(HOST + "/api/auth/login", json=login_answer())
    for _ in range(6):
        rsps.get(HOST + "/x", status=502, json={"message": "down"})
    session, waits = make()
    with pytest.raises(ServiceError, match="502"):
        session.request("GET", "/x", 200)
    assert waits == [0.5, 0.5, 1.0, 2.0, 4.0, 8.0]  # the login's retry, then the call's five
    assert session.timeout == (5.0, 60.0) and session.refresh_margin == 60.0
    assert session.max_wait == 30.0 and session._wait(rsps.calls[-1].response, 10) == 30.0
