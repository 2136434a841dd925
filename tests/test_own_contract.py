"""``schemas/own-contract.json`` and the verdicts ``checklive.own_contract`` draws."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from checklive.answers import Comparison, Difference, expected_answer, success_status
from checklive.own_contract import (
    CONFIRMED,
    CONTRADICTED,
    NOT_CHECKED,
    choices,
    judge,
    judge_all,
    resolve,
)
from picsellia_contract import load_schema

from .conftest import ROOT

NOW = 1_800_000_000.0
# The operation behind each call of check-live, and the status it is compared with.
CALL_OPERATIONS = {
    "servingLogin": ("servingLogin", None),
    "monitoringLogin": ("monitoringLogin", None),
    "deploymentInfo": ("deploymentInfo", None),
    "deploymentStats": ("deploymentStats", None),
    "predictionStats": ("predictionStats", None),
    "deploymentInfoWithoutToken": ("deploymentInfo", 401),
    "predict": ("predict", None),
    "monitorPrediction": ("monitorPrediction", None),
}


def choice(id_):
    return next(c for c in choices() if c["id"] == id_)


def test_choice_ids_are_unique_and_every_entry_is_complete():
    ids = [c["id"] for c in choices()]
    assert len(ids) == len(set(ids))
    for entry in choices():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"])
        assert entry["chosen"].endswith(".")
        if entry["check"] is None:
            assert entry["calls"] == [] and entry["not_checked_because"].endswith(".")
        else:
            assert entry["calls"] and "not_checked_because" not in entry
            assert set(entry["check"]) in (
                {"body_matches"},
                {"pointer", "type"},
                {
                    "pointer",
                    "type",
                    "epoch_seconds",
                },
            )


def test_every_choice_is_marked_in_the_porting_guide():
    guide = " ".join(ROOT.joinpath("docs", "porting-guide.md").read_text().split())
    for entry in choices():
        assert entry["guide"] in guide, entry["id"]


def test_every_checked_choice_names_calls_of_check_live_and_schemas_of_their_answers():
    for entry in choices():
        for call in entry["calls"]:
            operation, status = CALL_OPERATIONS[call]
            _, schema = expected_answer(operation, status or success_status(operation))
            if "body_matches" in entry["check"]:
                assert entry["check"]["body_matches"] == schema, entry["id"]
            else:
                assert resolve(load_schema(schema)["properties"], entry["check"]["pointer"])


def answer(body, status=200, expected=200, differences=()):
    return Comparison(status, expected, body, list(differences))


@pytest.mark.parametrize(
    "expires, verdict",
    [
        (NOW + 3600, CONFIRMED),
        (3600, CONTRADICTED),  # a lifetime, not a time
        ((NOW + 3600) * 1000, CONTRADICTED),  # milliseconds
        (NOW - 10, CONTRADICTED),  # already past
        ("2027-01-15T08:00:00Z", CONTRADICTED),
        (NOW + 0.5, CONTRADICTED),  # a number, not an integer
    ],
    ids=["epoch-seconds", "lifetime", "milliseconds", "past", "iso-string", "fraction"],
)
def test_expires_is_judged_as_epoch_seconds_after_the_call(expires, verdict):
    expires = int(expires) if isinstance(expires, float) and expires.is_integer() else expires
    results = {
        "servingLogin": answer({"jwt": "x", "expires": expires}),
        "monitoringLogin": answer({"jwt": "x", "expires": int(NOW + 60)}),
    }
    assert judge(choice("expires-epoch-seconds"), results, NOW).verdict == verdict


def test_one_contradicting_call_outweighs_a_confirming_one():
    results = {
        "deploymentStats": answer({}),
        "predictionStats": answer({}, differences=[Difference("missing field", "/count", "m")]),
    }
    verdict = judge(choice("stats-answer"), results, NOW)
    assert verdict.verdict == CONTRADICTED
    assert verdict.because == "predictionStats: missing field /count"


def test_header_and_status_differences_do_not_judge_a_body_choice():
    differences = [
        Difference("another status", "status", "m"),
        Difference("extra header", "header Set-Cookie", "m"),
    ]
    results = {"monitorPrediction": answer({"id": "i", "warnings": []}, 200, 201, differences)}
    assert judge(choice("monitoring-warnings"), results, NOW).verdict == CONFIRMED


@pytest.mark.parametrize(
    "result, because",
    [
        (None, "predict was not made"),
        ("read only (add --write)", "predict was skipped: read only (add --write)"),
        (answer({}, 404, 200), "predict answered 404, not 200"),
    ],
    ids=["absent", "skipped", "error-status"],
)
def test_a_choice_without_a_usable_answer_is_not_checked(result, because):
    results = {} if result is None else {"predict": result}
    verdict = judge(choice("predict-answer"), results, NOW)
    assert (verdict.verdict, verdict.because) == (NOT_CHECKED, because)


def test_a_missing_pointer_or_a_body_that_is_not_json_contradicts():
    results = {"monitorPrediction": answer({"id": "i"}, 201, 201)}
    verdict = judge(choice("monitoring-warnings"), results, NOW)
    assert (verdict.verdict, verdict.because) == (
        CONTRADICTED,
        "monitorPrediction: the answer has no /warnings",
    )
    not_json = answer(None, 201, 201, [Difference("not JSON", "", "m")])
    assert judge(choice("monitoring-warnings"), {"monitorPrediction": not_json}, NOW).verdict == (
        CONTRADICTED
    )


def test_choices_that_no_call_can_judge_say_why():
    verdicts = {v.id: v for v in judge_all({}, NOW)}
    assert list(verdicts) == [c["id"] for c in choices()]
    assert verdicts["duplicate-409"].verdict == NOT_CHECKED
    assert "second post" in verdicts["duplicate-409"].because


def test_the_file_is_formatted_like_every_schema_file():
    text = ROOT.joinpath("schemas", "own-contract.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_the_comparison_is_pure_contract_logic():
    code = (
        "import sys, checklive.answers, checklive.own_contract\n"
        "banned = ('flask', 'werkzeug', 'gunicorn', 'PIL')\n"
        "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] in banned) or 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
