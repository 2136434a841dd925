"""conformance-action.json describes each operation's input: every scenario's calls validate
against it, and an input with a key its operation does not take, or without a required key, or
of the wrong type, is refused."""

from __future__ import annotations

import copy

import pytest

from mockserver.certification.scenarios import load_scenarios
from picsellia_contract import load_schema
from picsellia_contract.registry import validator_for

SCENARIOS = load_scenarios()
ACTION = load_schema("conformance-action")
OPERATIONS = [
    ACTION["$defs"][ref["$ref"].rsplit("/", 1)[1]]["properties"]["operation"]["const"]
    for ref in ACTION["properties"]["calls"]["items"]["oneOf"]
]


def action_of(calls: list[dict]) -> dict:
    """A well-formed action around these calls."""
    example = copy.deepcopy(ACTION["examples"][0])
    return {**example, "calls": calls}


def errors(calls: list[dict]) -> list[str]:
    return [e.message for e in validator_for("conformance-action").iter_errors(action_of(calls))]


def test_every_operation_has_its_own_input_definition():
    assert set(OPERATIONS) == {c["operation"] for s in SCENARIOS for c in s["calls"]}
    for operation in OPERATIONS:
        definition = ACTION["$defs"][f"{operation}_input"]
        assert definition["additionalProperties"] is False
        assert set(definition["required"]) <= set(definition["properties"])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s["name"])
def test_every_scenario_calls_validate(scenario):
    assert errors(scenario["calls"]) == []


def one_call_of_each_operation() -> list[dict]:
    found = {}
    for scenario in SCENARIOS:
        for call in scenario["calls"]:
            found.setdefault(call["operation"], call)
    return [found[operation] for operation in OPERATIONS]


@pytest.mark.parametrize("call", one_call_of_each_operation(), ids=lambda c: c["operation"])
def test_a_key_the_operation_does_not_take_is_refused(call):
    wrong = {**call, "input": {**call["input"], "imagee": "frame.png"}}
    assert errors([wrong]) != []


@pytest.mark.parametrize("call", one_call_of_each_operation(), ids=lambda c: c["operation"])
def test_a_missing_required_key_is_refused(call):
    required = ACTION["$defs"][f"{call['operation']}_input"]["required"]
    for key in required:
        given = {k: v for k, v in call["input"].items() if k != key}
        assert errors([{**call, "input": given}]) != [], key


def test_another_operations_input_is_refused():
    predict = {"operation": "predict", "input": {"image": "frame.png", "tags": ["night"]}}
    assert errors([predict]) == []
    assert errors([{**predict, "operation": "stats"}]) != []
    assert errors([{**predict, "input": {"image": "frame.png", "tags": "night"}}]) != []
    assert errors([{**predict, "input": {"image": "frame.png", "monitor": "True"}}]) != []
    assert errors([{"operation": "deployment_info", "input": {}}]) == []
    assert errors([{"operation": "teleport", "input": {}}]) != []
