"""What can go wrong, as a small tree. Every error carries the problems it knows of.

PicselliaError
 +-- RequestInvalid     the client refused to send: the payload breaks the contract
 +-- TransportError     no answer: connection refused, timeout
 +-- ServiceError       the service answered an error: status, code, message, problems
      +-- AlreadyProcessed   409: this prediction (or shadow) was already stored

A ServiceError's ``status`` tells the rest: 401 (still refused after logging in again) and 403
(a token of another deployment) are not worth retrying; 429 and 501-599 were already retried.
"""

from __future__ import annotations


class PicselliaError(Exception):
    """Base of every error the reference client raises."""

    def __init__(self, message: str, problems: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class RequestInvalid(PicselliaError):
    """The payload breaks the contract; nothing was sent. ``problems`` says where and why."""


class TransportError(PicselliaError):
    """The service could not be reached, or did not answer in time (``timed_out``)."""

    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class ServiceError(PicselliaError):
    """The service answered with an error status."""

    def __init__(self, status: int, message: str, problems: list[dict] | None = None) -> None:
        super().__init__(f"{status}: {message}", problems)
        self.status = status
        self.code = problems[0]["code"] if problems else None


class AlreadyProcessed(ServiceError):
    """409: the service already has this prediction (or this shadow)."""


def from_response(response) -> ServiceError:
    """The error for a non-success answer, with the server's message and problems if any."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        message = str(body.get("message") or body.get("detail") or response.reason)
        problems = body.get("problems") if isinstance(body.get("problems"), list) else []
    else:
        message, problems = (response.text or response.reason or "error")[:500], []
    kind = AlreadyProcessed if response.status_code == 409 else ServiceError
    return kind(response.status_code, message, problems)
