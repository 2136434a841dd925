"""The server's one error family and its one error shape (schemas/error.json).

``ApiError`` carries a catalogued code, a status, a message and the list of problems; its
``body()`` is RFC 9457 problem+json with a ``message`` key (``exchange.error_answer`` answers it).
"""

from __future__ import annotations

from collections.abc import Sequence

from picsellia_contract import Problem, error_catalogue, status_titles

PROBLEM_TYPE_BASE = "https://picsellia-mock.invalid/problems/"


class ApiError(Exception):
    """An error answer: catalogued ``code``, HTTP ``status``, message and problems."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        problems: Sequence[Problem] | None = None,
        pointer: str = "",
        headers: dict[str, str] | None = None,
        deployment_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or error_catalogue()[code]["status"]
        self.problems = list(problems) if problems else [Problem(code, pointer, message)]
        self.headers = headers or {}
        self.deployment_id = deployment_id  # for the journal, when the request named one

    def body(self) -> dict:
        return {
            "type": PROBLEM_TYPE_BASE + self.code,
            "title": status_titles().get(self.status, "Error"),
            "status": self.status,
            "detail": self.message,
            "message": self.message,
            "problems": [p.as_dict() for p in self.problems],
        }


def contract_error(problems: Sequence[Problem], deployment_id: str | None = None) -> ApiError:
    """The 422 for a request whose problems include errors; all problems are listed."""
    errors = [p for p in problems if p.severity == "error"]
    first = errors[0]
    summary = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    message = f"{len(errors)} problem{'s' if len(errors) > 1 else ''}: {summary}{more}"
    return ApiError(first.code, message, status=422, problems=problems, deployment_id=deployment_id)
