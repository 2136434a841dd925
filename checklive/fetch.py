"""One call to a real service, bounded: in time (the whole call, body included), in size (an
answer over ``MAX_ANSWER_BYTES`` is not read further), and in where credentials go (no redirect
is followed: a 3xx is an answer, compared with the contract like any other).

The call runs on a thread of its own, so that a server sending a byte a second cannot hold the
check past ``--timeout``: the check stops waiting, says so, and the thread ends with the process.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import requests

MAX_ANSWER_BYTES = 8 << 20  # an answer the check reads at most: 8 MiB
CHUNK = 65_536
NEVER_CONNECTED = ("NewConnectionError", "NameResolutionError", "Failed to establish")


class CallFailed(Exception):
    """No whole answer: the message says why, in a few words."""


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes
    cut: bool  # over MAX_ANSWER_BYTES: the body is its first bytes only


def fetch(http: requests.Session, method: str, url: str, timeout: float, **kwargs) -> Fetched:
    """Make one call; CallFailed when no whole answer came within ``timeout`` seconds."""
    outcome: list = []

    def call() -> None:
        try:
            outcome.append(_read(http, method, url, timeout, **kwargs))
        except requests.RequestException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=call, name="check-live call", daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise CallFailed(f"no whole answer within {timeout:g} s")
    if isinstance(outcome[0], requests.RequestException):
        raise CallFailed(describe(outcome[0], time.monotonic() - started))
    return outcome[0]


def _read(http: requests.Session, method: str, url: str, timeout: float, **kwargs) -> Fetched:
    response = http.request(
        method, url, timeout=timeout, stream=True, allow_redirects=False, **kwargs
    )
    with response:
        body, cut = bytearray(), False
        for chunk in response.iter_content(CHUNK):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                del body[MAX_ANSWER_BYTES:]
                cut = True
                break
        return Fetched(response.status_code, dict(response.headers), bytes(body), cut)


def describe(exc: requests.RequestException, seconds: float) -> str:
    """A short reason: 'cannot connect' only when no connection was made."""
    reason = re.search(r"\[Errno -?\d+\] [^'\")]+", str(exc))
    said = reason.group(0).strip() if reason else type(exc).__name__
    if isinstance(exc, requests.ConnectTimeout):
        return f"cannot connect (no connection within {seconds:.0f} s)"
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    if isinstance(exc, requests.ConnectionError) and _never_connected(exc):
        return f"cannot connect ({said})"
    if isinstance(exc, requests.ConnectionError):
        return f"the connection broke before a whole answer ({said})"
    return f"the call failed ({said})"


def _never_connected(exc: BaseException) -> bool:
    """Whether urllib3 failed while opening the connection (refused, unknown host, ...)."""
    text = repr(exc)
    return (
        "NewConnectionError" in text
        or "NameResolutionError" in text
        or "Failed to establish" in text
    )
