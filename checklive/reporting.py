"""The report of ``check-live``: one dict (written as JSON with ``--json``) and its text form.

Per call: "agrees", each difference in plain words with where it is, or why it was skipped. Per
own-contract choice: confirmed, contradicted or not checked, and why. Secrets (the API token,
every jwt received) are replaced by ``<redacted>`` in both forms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import urlencode

from . import payloads
from .answers import Comparison
from .own_contract import CONTRADICTED, Verdict

AGREES, DIFFERS, SKIPPED = "agrees", "differs", "skipped"
SECRET_HEAD = 8  # characters of a secret that, found alone, are redacted
REDACTED = "<redacted>"
CHOICES_FILE = "schemas/own-contract.json"


def call_entry(name: str, method: str, template: str, params, comparison: Comparison) -> dict:
    """The report's entry for a call that was made."""
    return {
        "name": name,
        "method": method,
        "path": template + ("?" + urlencode(params) if params else ""),
        "expected_status": comparison.expected_status,
        "status": comparison.status,
        "verdict": DIFFERS if comparison.differences else AGREES,
        "differences": [d.as_dict() for d in comparison.differences],
        "notes": list(comparison.notes),
    }


def skipped_entry(name: str, method: str, template: str, why: str) -> dict:
    """The report's entry for a call that was not made, and why."""
    return {"name": name, "method": method, "path": template, "verdict": SKIPPED, "because": why}


def build(target, deployment_type, write: bool, entries, verdicts: Sequence[Verdict], created):
    """The whole report; ``agrees`` is true when no call differs and no choice is contradicted."""
    differences = sum(len(e.get("differences", [])) for e in entries)
    contradicted = sum(v.verdict == CONTRADICTED for v in verdicts)
    return {
        "serving_host": target.serving_host,
        "monitoring_host": target.monitoring_host,
        "deployment_id": target.deployment_id,
        "deployment_type": deployment_type,
        "write": write,
        "calls": list(entries),
        "own_contract": [v.as_dict() for v in verdicts],
        "created": list(created),
        "marks": {"source": payloads.SOURCE, "tag": payloads.TAG},
        "differences": differences,
        "contradicted": contradicted,
        "agrees": differences == 0 and contradicted == 0,
    }


def render_text(report: dict) -> str:
    """The report as lines of plain text."""
    kind = report["deployment_type"] or "type unknown"
    lines = [
        f"check-live: deployment {report['deployment_id']} ({kind})",
        f"  serving:    {report['serving_host']}",
        f"  monitoring: {report['monitoring_host']}",
    ]
    if not report["write"]:
        lines.append("  read only: nothing was created on the service (--write adds a predict")
        lines.append("  with monitor=False and one monitoring post)")
    lines += ["", "Calls"]
    width = max(len(e["name"]) for e in report["calls"])
    route_width = max(len(e["method"] + e["path"]) + 1 for e in report["calls"])
    for entry in report["calls"]:
        route = f"{entry['method']} {entry['path']}"
        lines.append(f"  {entry['name']:<{width}}  {route:<{route_width}}  {_outcome(entry)}")
        for difference in entry.get("differences", []):
            where = difference["where"] or "/"
            lines.append(f"      {where}: {difference['kind']}: {difference['message']}")
        lines += [f"      note {note}" for note in entry.get("notes", [])]
    lines += ["", f"Own-contract choices ({CHOICES_FILE}, marked in docs/porting-guide.md)"]
    id_width = max(len(v["id"]) for v in report["own_contract"])
    for verdict in report["own_contract"]:
        lines.append(
            f"  {verdict['verdict']:<12}  {verdict['id']:<{id_width}}  {verdict['because']}"
        )
    if report["created"]:
        marks = report["marks"]
        lines += ["", f"Created on the service (source {marks['source']!r}, tag {marks['tag']!r}):"]
        lines += [f"  {item}" for item in report["created"]]
    lines += ["", _summary(report)]
    return "\n".join(lines)


def _outcome(entry: dict) -> str:
    if entry["verdict"] == SKIPPED:
        return f"skipped: {entry['because']}"
    if entry["verdict"] == AGREES:
        return f"agrees ({entry['status']})"
    count = len(entry["differences"])
    return f"{count} difference{'s' if count > 1 else ''} ({entry['status']})"


def _summary(report: dict) -> str:
    if report["agrees"]:
        return "Result: every answer agrees with the contract."
    made = [e for e in report["calls"] if e["verdict"] != SKIPPED]
    differing = sum(e["verdict"] == DIFFERS for e in made)
    return (
        f"Result: {report['differences']} difference(s) in {differing} of {len(made)} calls; "
        f"{report['contradicted']} own-contract choice(s) contradicted."
    )


def scrub(text: str, secrets: Sequence[str | None]) -> str:
    """``text`` with every secret (and its JSON-escaped form) replaced by ``<redacted>``; a
    secret cut short by a message that shortened a value (its first ``SECRET_HEAD`` characters
    or more) is replaced too, so no truncation can leave part of a token in the report."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        for form in (secret, json.dumps(secret)[1:-1]):
            text = text.replace(form, REDACTED)
            if len(form) > SECRET_HEAD:
                text = _head_pattern(form).sub(REDACTED, text)
    return text


def _head_pattern(secret: str) -> re.Pattern:
    """The secret's first SECRET_HEAD characters, then as many of the following as match."""
    tail = ""
    for char in reversed(secret[SECRET_HEAD:]):
        tail = f"(?:{re.escape(char)}{tail})?"
    return re.compile(re.escape(secret[:SECRET_HEAD]) + tail)


def write_json(report: dict, path: str, secrets: Sequence[str | None]) -> None:
    """Write the report as JSON (indent 2) to ``path``, or to standard output for ``-``."""
    text = scrub(json.dumps(report, indent=2, ensure_ascii=False), secrets) + "\n"
    if path == "-":
        print(text, end="")
        return
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
