"""The contract's own choices (``schemas/own-contract.json``), judged against live answers.

A choice is confirmed when every answer that can judge it agrees, contradicted when one does
not, and not checked when no call could judge it (skipped, failed, or no call can).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from picsellia_contract.problems import MISSING, json_type_of, resolve
from picsellia_contract.registry import schema_dir

from .answers import Comparison

CONFIRMED, CONTRADICTED, NOT_CHECKED = "confirmed", "contradicted", "not checked"
YEAR_SECONDS = 366 * 24 * 3600


@dataclass(frozen=True)
class Verdict:
    """What the live answers say of one own-contract choice."""

    id: str
    chosen: str
    verdict: str  # confirmed, contradicted or not checked
    because: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@functools.cache
def choices() -> tuple[dict[str, Any], ...]:
    """The choices of ``schemas/own-contract.json``, in file order."""
    text = (schema_dir() / "own-contract.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["choices"])


def judge_all(results: Mapping[str, Comparison | str], now: float) -> list[Verdict]:
    """A verdict for every choice; ``results`` maps a call's name to its comparison, or to why
    it was not made; ``now`` is when the check started (epoch seconds)."""
    return [judge(choice, results, now) for choice in choices()]


def judge(choice: dict[str, Any], results: Mapping[str, Comparison | str], now: float) -> Verdict:
    """The verdict on one choice from the answers of the calls it names."""
    if choice["check"] is None:
        return Verdict(choice["id"], choice["chosen"], NOT_CHECKED, choice["not_checked_because"])
    found: dict[str, list[str]] = {CONFIRMED: [], CONTRADICTED: [], NOT_CHECKED: []}
    for call in choice["calls"]:
        verdict, because = _judge_call(choice["check"], call, results.get(call), now)
        found[verdict].append(because)
    for verdict in (CONTRADICTED, CONFIRMED, NOT_CHECKED):
        if found[verdict]:
            return Verdict(choice["id"], choice["chosen"], verdict, "; ".join(found[verdict]))
    raise ValueError(f"choice {choice['id']!r} names no call")


def _judge_call(check: dict, call: str, result: Comparison | str | None, now: float):
    if result is None:
        return NOT_CHECKED, f"{call} was not made"
    if isinstance(result, str):
        return NOT_CHECKED, f"{call} was skipped: {result}"
    if result.status // 100 != result.expected_status // 100:
        return NOT_CHECKED, f"{call} answered {result.status}, not {result.expected_status}"
    body_differences = [d for d in result.differences if d.where != "status"]
    body_differences = [d for d in body_differences if not d.where.startswith("header ")]
    if "body_matches" in check:
        if not body_differences:
            return CONFIRMED, f"{call} agrees with {check['body_matches']}.json"
        listed = ", ".join(f"{d.kind} {d.where or '/'}" for d in body_differences[:3])
        more = f" and {len(body_differences) - 3} more" if len(body_differences) > 3 else ""
        return CONTRADICTED, f"{call}: {listed}{more}"
    return _judge_pointer(check, call, result, body_differences, now)


def _judge_pointer(check: dict, call: str, result: Comparison, differences, now: float):
    where = check["pointer"]
    if any(d.kind == "not JSON" for d in differences):
        return CONTRADICTED, f"{call}: the body is not JSON"
    value = resolve(result.body, where)
    if value is MISSING:
        return CONTRADICTED, f"{call}: the answer has no {where}"
    got = json_type_of(value)
    if got != check["type"] and not (check["type"] == "number" and got == "integer"):
        return CONTRADICTED, f"{call}: {where} is {got} {_short(value)}, not {check['type']}"
    if check.get("epoch_seconds") and not now < value < now + YEAR_SECONDS:
        reason = f"{where} is {value}, not a Unix time in seconds between the call and a year on"
        return CONTRADICTED, f"{call}: {reason}"
    unit = " epoch seconds" if check.get("epoch_seconds") else ""
    return CONFIRMED, f"{call}: {where} is {got}{unit}"


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
