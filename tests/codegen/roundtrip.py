"""Judging a round trip: each corpus payload as a generated type wrote it back.

A set-up's program reads ``[{"component", "payload"}, ...]`` (corpus.write_corpus) and prints
one ``{"out": payload}`` or ``{"error": text}`` per item, in order. Each result is:

- ``identical``: the same JSON value, numbers compared as numbers (1 and 1.0 are one number);
- ``changed``: another value that the kit's validator accepts as the same concrete message;
- ``refused``: another value that the validator refuses;
- ``unparsable``: the generated type could not take the payload (or could not write it).

``report`` writes the counts and every non-identical item to build/codegen/roundtrip/.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from picsellia_contract import is_valid, validate

from .helpers import ROOT, run, same_json

REPORTS = ROOT / "build" / "codegen" / "roundtrip"
KINDS = ("identical", "changed", "refused", "unparsable")
GUIDE = ROOT / "docs" / "porting-guide.md"
# Each set-up's row in the guide's table of counts, by the start of its first cell.
ROWS = {
    "openapi-typescript": "openapi-typescript 7.13.0",
    "quicktype-typescript": "quicktype 26.0.0, TypeScript",
    "hey-api": "@hey-api/openapi-ts 0.95.0",
    "oapi-codegen": "oapi-codegen v2.8.2",
    "openapi-generator-java": "openapi-generator 7.25.0, Java native",
    "openapi-generator-go": "openapi-generator 7.25.0, Go",
    "jsonschema2pojo": "jsonschema2pojo 1.2.2",
    "quicktype-go": "quicktype 26.0.0, Go",
    "quicktype-rust": "quicktype 26.0.0, Rust",
    "typify": "cargo-typify 0.8.0",
}


def judge(items: list[dict], results: list[dict]) -> list[tuple[str, dict, dict]]:
    """(kind, item, result) for each corpus item."""
    assert len(results) == len(items), f"{len(results)} results for {len(items)} payloads"
    judged = []
    for item, result in zip(items, results, strict=True):
        if "error" in result or "out" not in result:
            kind = "unparsable"
        elif same_json(item["payload"], result["out"]):
            kind = "identical"
        else:
            problems = validate(item["concrete"], result["out"])
            kind = "changed" if is_valid(problems) else "refused"
            result = {**result, "problems": [p.as_dict() for p in problems]}
        judged.append((kind, item, result))
    return judged


def counts(judged: list) -> dict[str, int]:
    found = Counter(kind for kind, _, _ in judged)
    return {kind: found.get(kind, 0) for kind in KINDS}


def report(setup: str, judged: list) -> dict[str, int]:
    """Write build/codegen/roundtrip/<setup>.json; the counts."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    found = counts(judged)
    details = [
        {"kind": kind, "id": item["id"], "sent": item["payload"], **result}
        for kind, item, result in judged
        if kind != "identical"
    ]
    text = json.dumps({"setup": setup, "counts": found, "not_identical": details}, indent=1)
    (REPORTS / f"{setup}.json").write_text(text)
    return found


def round_trip(setup: str, program: list, items: list[dict], **options) -> list:
    """Run ``program`` on the corpus, judge and report; the judged items."""
    corpus = json.dumps([{"component": i["component"], "payload": i["payload"]} for i in items])
    results = json.loads(run(program, input_text=corpus, **options))
    judged = judge(items, results)
    report(setup, judged)
    return judged


def summary(judged: list) -> str:
    """The counts and the first few differences, for an assertion message."""
    lines = [json.dumps(counts(judged))]
    for kind, item, result in [j for j in judged if j[0] != "identical"][:5]:
        shown = result.get("error") or json.dumps(result.get("problems") or result["out"])[:300]
        lines.append(f"{kind}: {item['id']}: {shown}")
    return "\n".join(lines)


def load_report(setup: str) -> dict:
    return json.loads(Path(REPORTS / f"{setup}.json").read_text())


def as_the_guide_says(setup: str, judged: list) -> None:
    """The guide's row for ``setup`` gives the counts measured, and its total the corpus size."""
    text = GUIDE.read_text(encoding="utf-8")
    row = re.search(rf"^\| {re.escape(ROWS[setup])}[^|]*\|(.+)\|$", text, re.MULTILINE)
    assert row, f"the porting guide has no row for {setup}"
    written = [int(cell) for cell in row.group(1).split("|")]
    assert written == list(counts(judged).values()), (setup, summary(judged))
    assert f"on {len(judged)} payloads" in text.replace("\n", " ")


def all_identical(setup: str, judged: list) -> None:
    assert counts(judged) == {**dict.fromkeys(counts(judged), 0), "identical": len(judged)}, (
        summary(judged)
    )
    as_the_guide_says(setup, judged)


def only_changed_by(setup: str, judged: list, expected) -> None:
    """Nothing refused or unparsable, and each changed payload is ``expected(item)`` (what the
    set-up is known to change); the counts are the guide's."""
    found = counts(judged)
    assert found["refused"] == found["unparsable"] == 0, summary(judged)
    for kind, item, result in judged:
        if kind == "changed":
            assert same_json(expected(item), result["out"]), (item["id"], result["out"])
    as_the_guide_says(setup, judged)


def go_types_table(names: list[str], module: str | None = None) -> str:
    """types.go: component name -> the round trip through the generated type of that name,
    in the package main or in the package of ``module``."""
    prefix = "p." if module else ""
    lines = [f'\t"{name}": roundTrip[{prefix}{name}],' for name in names]
    imports = f'import p "{module}"\n\n' if module else ""
    table = "\n".join(lines)
    return (
        f"package main\n\n{imports}"
        f"var types = map[string]func([]byte) ([]byte, error){{\n{table}\n}}\n"
    )
