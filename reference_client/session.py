"""One service's HTTP session: log in, send the bearer token, retry what may be retried.

The rules, as the protocol states them:
- log in by POSTing {"api_token", "deployment_id"} to the service's login route; keep ``jwt`` and
  ``expires`` (epoch seconds); log in again shortly before ``expires``;
- send ``Authorization: Bearer <jwt>``; on a 401, log in again and replay the request once;
- retry 429 and 501-599 (never 500 or another 4xx) a bounded number of times, waiting what
  ``Retry-After`` says, else an exponential backoff;
- every call has an explicit timeout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import requests

from .errors import ServiceError, TransportError, from_response
from .routes import LOGIN, path

RETRY_STATUSES = {429} | set(range(501, 600))


class BearerAuth(requests.auth.AuthBase):
    """Adds ``Authorization: Bearer <jwt>`` to a request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = "Bearer " + self.token
        return request


class ServiceSession:
    """Authenticated calls to one service ("serving" or "monitoring") for one deployment."""

    def __init__(
        self,
        service: str,
        host: str,
        deployment_id: str,
        api_token: str,
        *,
        timeout: tuple[float, float] = (5.0, 60.0),
        max_retries: int = 5,
        max_wait: float = 30.0,
        refresh_margin: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.host = host.rstrip("/")
        self.deployment_id = deployment_id
        self.api_token = api_token
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.refresh_margin = refresh_margin
        self.sleep = sleep
        self.http = requests.Session()
        self.jwt: str | None = None
        self.expires = 0.0

    def login(self) -> dict:
        """POST the login route (login-request.json) and keep the token (login-response.json)."""
        body = json.dumps({"api_token": self.api_token, "deployment_id": self.deployment_id})
        response = self._send("POST", path(LOGIN[self.service]), data=body)
        if response.status_code != 200:
            raise from_response(response)
        answer = response.json()
        self.jwt, self.expires = answer["jwt"], float(answer["expires"])
        return answer

    def request(
        self,
        method: str,
        path: str,
        expect: int,
        *,
        data: Any = None,
        files: dict | None = None,
        params: list | None = None,
    ) -> requests.Response:
        """Send an authenticated request; answer it if its status is ``expect``, else raise."""
        if self.jwt is None or time.time() >= self.expires - self.refresh_margin:
            self.login()
        response = self._send(method, path, data, files, params, BearerAuth(self.jwt))
        if response.status_code == 401:  # the token was refused: log in again, replay once
            self.login()
            response = self._send(method, path, data, files, params, BearerAuth(self.jwt))
            if response.status_code == 401:
                raise ServiceError(401, "refused after logging in again: " + _message(response))
        if response.status_code != expect:
            raise from_response(response)
        return response

    def _send(self, method, path, data=None, files=None, params=None, auth=None):
        """One call, retried on 429 and 501-599 while retries remain."""
        url = self.host + path
        for attempt in range(self.max_retries + 1):
            try:
                response = self.http.request(
                    method,
                    url,
                    data=data,
                    files=files,
                    params=params,
                    auth=auth,
                    timeout=self.timeout,
                )
            except requests.Timeout as exc:
                message = f"{method} {path}: no answer in time ({exc})"
                raise TransportError(message, timed_out=True) from exc
            except requests.ConnectionError as exc:
                raise TransportError(f"{method} {path}: cannot connect ({exc})") from exc
            if response.status_code not in RETRY_STATUSES or attempt == self.max_retries:
                return response
            self.sleep(self._wait(response, attempt))
        return response

    def _wait(self, response: requests.Response, attempt: int) -> float:
        retry_after = response.headers.get("Retry-After", "")
        if retry_after.strip().isdigit():
            return min(float(retry_after), self.max_wait)
        return min(0.5 * 2**attempt, self.max_wait)


def _message(response: requests.Response) -> str:
    try:
        return str(response.json().get("message", response.text))
    except (ValueError, AttributeError):
        return response.text[:300]
