"""The error catalogue (schemas/error-codes.json) against the codes the code can emit."""

from __future__ import annotations

import json
import re
from pathlib import Path

from picsellia_contract import error_catalogue
from picsellia_contract.problems import FALLBACK_CODE, KEYWORD_CODES

ROOT = Path(__file__).resolve().parent.parent
# Every emission names its code as the first argument of Problem, ApiError or _unauthorized.
EMISSION = re.compile(r"\b(?:Problem|ApiError|_unauthorized)\(\s*\"([a-z0-9_]+)\"")


def emitted_codes() -> set[str]:
    codes = set(KEYWORD_CODES.values()) | {FALLBACK_CODE}
    for path in [
        *(ROOT / "mockserver").rglob("*.py"),
        *(ROOT / "picsellia_contract").rglob("*.py"),
    ]:
        codes |= set(EMISSION.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "schemas").glob("*.json"):
        codes |= set(re.findall(r'"x-error-code": "([a-z0-9_]+)"', path.read_text()))
    return codes


def test_code_emits_no_uncatalogued_code():
    assert emitted_codes() - set(error_catalogue()) == set()


def test_catalogue_lists_no_code_that_nothing_emits():
    assert set(error_catalogue()) - emitted_codes() == set()


def test_catalogue_entries_are_complete():
    document = json.loads((ROOT / "schemas" / "error-codes.json").read_text())
    codes = [entry["code"] for entry in document["codes"]]
    assert len(codes) == len(set(codes))
    for entry in document["codes"]:
        assert set(entry) == {"code", "status", "severity", "source", "description"}
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry["code"])
        assert entry["status"] is None or 400 <= entry["status"] <= 599
        assert entry["severity"] in ("error", "warning")
        assert entry["source"] in ("contract", "server")
        assert entry["description"].endswith(".")


def test_warnings_are_contract_codes():
    for code, entry in error_catalogue().items():
        if entry["severity"] == "warning":
            assert entry["source"] == "contract", code
