"""Grading one scenario: what the server saw (its journal) and what the client reported, against
the scenario's ``expect``. Each check answers None or the first unmet expectation, in words a
porter can act on without reading this project's code."""

from __future__ import annotations

from collections import Counter
from typing import Any

from picsellia_contract.problems import MISSING, resolve
from picsellia_contract.routes import operation as find_operation

PRESENT = "$present"


def _matches(expected: dict[str, Any], document: Any, what: str) -> str | None:
    for pointer, wanted in expected.items():
        found = resolve(document, pointer)
        if found is MISSING:
            return f"{what} has no {pointer}"
        if wanted != PRESENT and found != wanted:
            return f"{what} has {pointer} = {_short(found)}, expected {_short(wanted)}"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _describe(entry: dict) -> str:
    return (
        f"{entry['operation'] or entry['method'] + ' ' + entry['path']} answered {entry['status']}"
    )


def check_requests(expected: list[dict], entries: list[dict]) -> str | None:
    """The server received exactly these requests, in this order, from the services they name
    (a login to a service the scenario does not use breaks nothing: the SDK logs in to both)."""
    services = {find_operation(want["operation"]).service for want in expected}
    entries = [e for e in entries if e["service"] in services]
    seen = ", ".join(_describe(e) for e in entries) or "none"
    if len(entries) != len(expected):
        wanted = ", ".join(e["operation"] for e in expected)
        return f"expected {len(expected)} requests ({wanted}), saw {len(entries)}: {seen}"
    for index, (want, entry) in enumerate(zip(expected, entries, strict=True), start=1):
        label = f"request {index} ({want['operation']})"
        if entry["operation"] != want["operation"]:
            return f"{label}: expected {want['operation']}, saw {_describe(entry)}; all: {seen}"
        if "status" in want and entry["status"] != want["status"]:
            return f"{label}: expected status {want['status']}, saw {entry['status']}"
        problem = _check_request_body(want, entry["request"], label)
        if problem:
            return problem
    return None


def _check_request_body(want: dict, request: dict, label: str) -> str | None:
    if "json" in want:
        if request["body_kind"] != "json":
            return f"{label}: expected a JSON body, saw a {request['body_kind']} body"
        problem = _matches(want["json"], request["body"], f"{label}'s body")
        if problem:
            return problem
    for pointer in want.get("absent", []):
        if resolve(request["body"], pointer) is not MISSING:
            return f"{label}'s body holds {pointer}, which must not be sent"
    if "parts" in want:
        problem = _check_parts(want["parts"], request, label)
        if problem:
            return problem
    if "query" in want and request["query"] != want["query"]:
        return f"{label}: expected the query {want['query']}, saw {request['query']}"
    return None


def _check_parts(expected: list[dict], request: dict, label: str) -> str | None:
    if request["body_kind"] != "multipart":
        return f"{label}: expected a multipart/form-data body, saw a {request['body_kind']} body"
    parts = request["body"]
    names = [p["name"] for p in parts]
    if names != [p["name"] for p in expected]:
        wanted = [p["name"] for p in expected]
        return f"{label}: expected the parts {wanted} in this order, saw {names}"
    for index, (want, part) in enumerate(zip(expected, parts, strict=True), start=1):
        where = f"{label}, part {index} ({want['name']})"
        if "value" in want and part.get("value") != want["value"]:
            seen = _short(part.get("value", part))
            return f"{where}: expected the text {want['value']!r}, saw {seen}"
        if "filename" in want and part.get("filename") != want["filename"]:
            return f"{where}: expected a file part named {want['filename']!r}, saw {_short(part)}"
        if "sha256" in want and part.get("sha256") != want["sha256"]:
            return f"{where}: the file's bytes differ from the image given (SHA-256)"
    return None


def check_counts(expected: dict[str, Any], entries: list[dict]) -> str | None:
    """The server received this many requests of each operation."""
    counts = Counter(e["operation"] for e in entries)
    for operation, wanted in expected.items():
        low, high = (
            (wanted, wanted)
            if isinstance(wanted, int)
            else (wanted.get("min", 0), wanted.get("max"))
        )
        seen = counts.get(operation, 0)
        if seen < low or (high is not None and seen > high):
            bound = (
                f"exactly {low}"
                if low == high
                else f"{low} to {high}"
                if high is not None
                else f"at least {low}"
            )
            others = ", ".join(f"{n} {op}" for op, n in counts.items() if op != operation)
            return f"expected {bound} {operation}, saw {seen}" + (
                f" (and {others})" if others else ""
            )
    return None


def check_waits(expected: list[dict], entries: list[dict]) -> str | None:
    """At least so many seconds between two consecutive requests of an operation."""
    for wait in expected:
        times = [e["time"] for e in entries if e["operation"] == wait["operation"]]
        for first, second in zip(times, times[1:], strict=False):
            gap = second - first
            if gap + 0.05 < wait["at_least_seconds"]:
                return (
                    f"expected at least {wait['at_least_seconds']} s between two "
                    f"{wait['operation']} attempts (Retry-After), saw {gap:.2f} s"
                )
    return None


def check_results(expected: list[dict], results: list[dict]) -> str | None:
    """The client reported each call's outcome as expected."""
    if len(results) != len(expected):
        return f"expected {len(expected)} results, the adapter reported {len(results)}"
    for index, (want, got) in enumerate(zip(expected, results, strict=True), start=1):
        label = f"call {index}"
        if got["ok"] != want["ok"]:
            if want["ok"]:
                error = got["error"]
                status = error["status"] or ""
                said = error["message"][:160]
                reported = f"{error['kind']} {status} ({said})"
                return f"{label}: expected success, the client reported {reported}"
            wanted = f"{want.get('kind')}, {want.get('status')}"
            return f"{label}: expected an error ({wanted}), the client reported success"
        if want["ok"]:
            problem = _matches(want.get("value", {}), got["value"], f"{label}'s answer")
        else:
            problem = _check_error(want, got["error"], label)
        if problem:
            return problem
    return None


def _check_error(want: dict, error: dict, label: str) -> str | None:
    for key in ("kind", "status", "code"):
        if key in want and error.get(key) != want[key]:
            said = error.get(key)
            return (
                f"{label}: expected the error's {key} {want[key]!r}, the client reported {said!r}"
            )
    reported = {
        (p.get("code"), p.get("pointer")) for p in error.get("problems", []) if isinstance(p, dict)
    }
    for problem in want.get("problems", []):
        if (problem["code"], problem["pointer"]) not in reported:
            wanted = f"{problem['code']} at {problem['pointer']!r}"
            seen = sorted(reported)
            return f"{label}: expected the problem {wanted} among those reported, saw {seen}"
    return None


def grade(expect: dict, entries: list[dict], results: list[dict], stored: int) -> str | None:
    """The first unmet expectation of a scenario, or None."""
    checks = [
        ("requests", check_requests),
        ("counts", check_counts),
        ("waits", check_waits),
    ]
    for key, check in checks:
        if key in expect:
            problem = check(expect[key], entries)
            if problem:
                return problem
    problem = check_results(expect["results"], results)
    if problem:
        return problem
    if "stored" in expect and stored != expect["stored"]:
        return (
            f"expected {expect['stored']} stored predictions afterwards, the server holds {stored}"
        )
    return None
