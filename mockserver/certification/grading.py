"""Grading one scenario: what the server saw (its journal) and what the client reported, against
the scenario's ``expect``. Each check answers its unmet expectations, in words a porter can act
on without reading this project's code; values are shown as JSON.

Graded fairly, as the services see a request: an optional key left out and the same key sent as
null are the same (unless the scenario names that key's pointer itself); multipart text parts
may come in any order, but repeated parts (``tags``) keep theirs, the file part comes last, and
the parts are counted."""

from __future__ import annotations

import json
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
        if wanted != PRESENT and not same(found, wanted):
            return f"{what} has {pointer} = {_short(found)}, expected {_short(wanted)}"
    return None


def same(found: Any, wanted: Any) -> bool:
    """Equal as the services read JSON: inside objects, a key left out equals the key sent as
    null; numbers compare as numbers; everything else exactly."""
    if isinstance(found, dict) and isinstance(wanted, dict):
        keys = found.keys() | wanted.keys()
        return all(same(found.get(key), wanted.get(key)) for key in keys)
    if isinstance(found, list) and isinstance(wanted, list):
        return len(found) == len(wanted) and all(map(same, found, wanted))
    if isinstance(found, bool) or isinstance(wanted, bool):
        return found is wanted
    return found == wanted


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _describe(entry: dict) -> str:
    return (
        f"{entry['operation'] or entry['method'] + ' ' + entry['path']} answered {entry['status']}"
    )


def _problems(entry: dict) -> str:
    """The problems the server answered a request with: code at pointer, for each."""
    found = [f"{p['code']} at {json.dumps(p['pointer'])}" for p in entry.get("problems", [])]
    return f" ({'; '.join(found[:5])})" if found else ""


def check_requests(expected: list[dict], entries: list[dict]) -> list[str]:
    """The server received exactly these requests, in this order, from the services they name
    (a login to a service the scenario does not use breaks nothing: the SDK logs in to both)."""
    services = {find_operation(want["operation"]).service for want in expected}
    entries = [e for e in entries if e["service"] in services]
    seen = ", ".join(_describe(e) + _problems(e) for e in entries) or "none"
    if len(entries) != len(expected):
        wanted = ", ".join(e["operation"] for e in expected)
        return [f"expected {len(expected)} requests ({wanted}), saw {len(entries)}: {seen}"]
    failures = []
    for index, (want, entry) in enumerate(zip(expected, entries, strict=True), start=1):
        label = f"request {index} ({want['operation']})"
        if entry["operation"] != want["operation"]:
            failures.append(
                f"{label}: expected {want['operation']}, saw {_describe(entry)}; all: {seen}"
            )
            continue
        if "status" in want and entry["status"] != want["status"]:
            failures.append(
                f"{label}: expected status {want['status']}, saw {entry['status']}"
                + _problems(entry)
            )
        problem = _check_request_body(want, entry["request"], label)
        if problem:
            failures.append(problem)
    return failures


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
    """The parts, matched by name: as many of each name, each name's parts in order (repeated
    ``tags`` keep theirs), the file part last; text parts of different names in any order."""
    if request["body_kind"] != "multipart":
        return f"{label}: expected a multipart/form-data body, saw a {request['body_kind']} body"
    parts = request["body"]
    names = [p["name"] for p in parts]
    wanted_names = [p["name"] for p in expected]
    if Counter(names) != Counter(wanted_names):
        return f"{label}: expected the parts {_short(wanted_names)}, saw {_short(names)}"
    files = [p["name"] for p in expected if "filename" in p or "sha256" in p]
    if files and names[-len(files) :] != files:
        return f"{label}: the file part {_short(files[-1])} must come last, saw {_short(names)}"
    by_name: dict[str, list[dict]] = {}
    for part in parts:
        by_name.setdefault(part["name"], []).append(part)
    seen_of_name: Counter = Counter()
    for want in expected:
        part = by_name[want["name"]][seen_of_name[want["name"]]]
        seen_of_name[want["name"]] += 1
        where = f"{label}, part {_short(want['name'])} #{seen_of_name[want['name']]}"
        if "value" in want and part.get("value") != want["value"]:
            seen = _short(part.get("value", part))
            return f"{where}: expected the text {_short(want['value'])}, saw {seen}"
        if "filename" in want and part.get("filename") != want["filename"]:
            wanted = _short(want["filename"])
            return f"{where}: expected a file part named {wanted}, saw {_short(part)}"
        if "sha256" in want and part.get("sha256") != want["sha256"]:
            return f"{where}: the file's bytes differ from the image given (SHA-256)"
    return None


def check_counts(expected: dict[str, Any], entries: list[dict]) -> list[str]:
    """The server received this many requests of each operation."""
    failures = []
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
            failures.append(
                f"expected {bound} {operation}, saw {seen}" + (f" (and {others})" if others else "")
            )
    return failures


def check_waits(expected: list[dict], entries: list[dict]) -> list[str]:
    """At least so many seconds between two consecutive requests of an operation."""
    failures = []
    for wait in expected:
        times = [e["time"] for e in entries if e["operation"] == wait["operation"]]
        for first, second in zip(times, times[1:], strict=False):
            gap = second - first
            if gap + 0.05 < wait["at_least_seconds"]:
                failures.append(
                    f"expected at least {wait['at_least_seconds']} s between two "
                    f"{wait['operation']} attempts (Retry-After), saw {gap:.2f} s"
                )
                break
    return failures


def check_results(expected: list[dict], results: list[dict]) -> list[str]:
    """The client reported each call's outcome as expected."""
    if len(results) != len(expected):
        return [f"expected {len(expected)} results, the client reported {len(results)}"]
    failures = [
        _check_result(index, want, got)
        for index, (want, got) in enumerate(zip(expected, results, strict=True), start=1)
    ]
    return [f for f in failures if f]


def _check_result(index: int, want: dict, got: dict) -> str | None:
    label = f"call {index}"
    if got["ok"] != want["ok"]:
        if want["ok"]:
            error = got["error"]
            status = error["status"] or ""
            said = error["message"][:160]
            reported = f"{error['kind']} {status} ({json.dumps(said)})"
            return f"{label}: expected success, the client reported {reported}"
        wanted = f"{want.get('kind')}, {want.get('status')}"
        return f"{label}: expected an error ({wanted}), the client reported success"
    if want["ok"]:
        return _matches(want.get("value", {}), got["value"], f"{label}'s answer")
    return _check_error(want, got["error"], label)


def _check_error(want: dict, error: dict, label: str) -> str | None:
    for key in ("kind", "status", "code"):
        if key in want and error.get(key) != want[key]:
            said = error.get(key)
            return (
                f"{label}: expected the error's {key} {_short(want[key])}, "
                f"the client reported {_short(said)}"
            )
    reported = {
        (p.get("code"), p.get("pointer")) for p in error.get("problems", []) if isinstance(p, dict)
    }
    for problem in want.get("problems", []):
        if (problem["code"], problem["pointer"]) not in reported:
            wanted = f"{problem['code']} at {_short(problem['pointer'])}"
            seen = _short(sorted(reported))
            return f"{label}: expected the problem {wanted} among those reported, saw {seen}"
    return None


def grade(expect: dict, entries: list[dict], results: list[dict], stored: int) -> list[str]:
    """Every unmet expectation of a scenario (none: it passed)."""
    failures: list[str] = []
    for key, check in (
        ("requests", check_requests),
        ("counts", check_counts),
        ("waits", check_waits),
    ):
        if key in expect:
            failures += check(expect[key], entries)
    failures += check_results(expect["results"], results)
    if "stored" in expect and stored != expect["stored"]:
        failures.append(
            f"expected {expect['stored']} stored predictions afterwards, the server holds {stored}"
        )
    return failures
