"""The language-neutral test vectors: a sanity check of them, then each one through validate."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from picsellia_contract import error_catalogue, is_valid, message_names, validate

VECTOR_DIR = Path(__file__).resolve().parent.parent / "schemas" / "vectors"
VECTOR_FILES = sorted(p for p in VECTOR_DIR.glob("*.json") if p.name != "vectors.schema.json")
# Descriptions state facts ("boxes of five numbers are invalid"), not wishes or test steps.
NOT_FACTS = re.compile(r"\b(should|must|test|check|verify|ensure)\b", re.IGNORECASE)


def load(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8"))


def all_tests():
    for path in VECTOR_FILES:
        for group in load(path):
            for test in group["tests"]:
                yield path.name, group, test


CASES = list(all_tests())


def test_vector_files_exist():
    assert len(VECTOR_FILES) >= 4


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: p.name)
def test_vector_file_matches_the_vectors_schema(path):
    schema = load(VECTOR_DIR / "vectors.schema.json")
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(load(path)))
    assert errors == []


def test_groups_name_known_messages_and_types():
    types = {
        None,
        *json.loads((VECTOR_DIR.parent / "common.json").read_text())["$defs"]["deployment_type"][
            "enum"
        ],
    }
    for _, group, _ in CASES:
        assert group["message"] in message_names()
        assert group.get("deployment_type") in types


def test_descriptions_are_unique_and_stated_as_facts():
    counts = Counter(test["description"] for _, _, test in CASES)
    assert [d for d, n in counts.items() if n > 1] == []
    assert [d for d in counts if NOT_FACTS.search(d)] == []
    assert all(len(d) <= 90 and not d.endswith(".") for d in counts)


def test_invalid_tests_say_why():
    for _, _, test in CASES:
        if not test["valid"]:
            assert test.get("problems"), test["description"]


def test_enough_invalid_cases_covering_every_contract_code():
    invalid = [test for _, _, test in CASES if not test["valid"]]
    assert len(invalid) >= 80
    covered = {p["code"] for _, _, test in CASES for p in test.get("problems", [])}
    contract_codes = {c for c, e in error_catalogue().items() if e["source"] == "contract"}
    assert contract_codes - covered == set()
    assert covered - set(error_catalogue()) == set()


def test_guide_and_sdk_payloads_are_present():
    descriptions = {test["description"] for _, _, test in CASES}
    assert "the vendor guide's payload is valid" in descriptions
    assert "the vendor guide's login body is valid" in descriptions
    for type_ in ("CLASSIFICATION", "OBJECT_DETECTION", "SEGMENTATION", "POINT"):
        assert f"the SDK's {type_} payload is valid" in descriptions
    for type_ in ("KEYPOINT", "LINE", "MASK"):
        assert f"the SDK's {type_} payload is valid" in descriptions


@pytest.mark.parametrize(
    "group, test", [(g, t) for _, g, t in CASES], ids=[t["description"] for _, _, t in CASES]
)
def test_vector(group, test):
    problems = validate(
        group["message"],
        test["data"],
        deployment_type=group.get("deployment_type"),
        strict=group.get("strict", False),
        label_count=group.get("label_count"),
    )
    found = sorted((p.code, p.pointer) for p in problems)
    expected = sorted((p["code"], p["pointer"]) for p in test.get("problems", []))
    assert found == expected, [p.message for p in problems]
    assert is_valid(problems) is test["valid"]


def test_valid_monitoring_vectors_sent_over_http_have_unique_filenames():
    names = [
        test["data"]["filename"]
        for _, group, test in CASES
        if (group["http"] or {}).get("operation") == "monitorPrediction" and test["valid"]
    ]
    assert len(names) >= 40
    assert [n for n, k in Counter(names).items() if k > 1] == []


def test_http_vectors_name_a_real_operation_and_a_catalogued_status():
    from picsellia_contract.routes import operation

    for _, group, test in CASES:
        if group["http"] is None:
            continue
        operation(group["http"]["operation"])
        config = group["http"].get("config")
        assert config is None or (VECTOR_DIR / config).is_file()
        if test["http_status"] is not None and not test["valid"]:
            codes = {p["code"] for p in test["problems"]}
            assert test["http_status"] in {error_catalogue()[c]["status"] for c in codes}


@pytest.mark.slow
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_every_http_vector_agrees_with_a_live_mock(tmp_path, capsys, strict):
    from mockdriver import LiveMock
    from mockserver.config import load_config_file
    from picsellia_mock.cli import main

    config = load_config_file(VECTOR_DIR / "mock-config.toml")
    config.db_path, config.strict = str(tmp_path / "db"), strict
    server = LiveMock(config).start()
    try:
        code = main(["vectors", "--url", server.base_url])
    finally:
        server.stop()
    out = capsys.readouterr().out
    assert code == 0, out
    summary = re.search(r"(\d+) agree, 0 disagree", out)
    assert summary and int(summary.group(1)) >= (9 if strict else 150), out


def test_a_group_with_labels_is_sent_only_to_a_deployment_with_that_many():
    from mockdriver.vectors import Runner

    runner = object.__new__(Runner)  # no server: only the deployments it would have listed
    runner.strict = False
    group = next(g for _, g, _ in CASES if "label_count" in g and not g.get("strict"))
    test = group["tests"][0]
    name = "demo-" + group["http"]["deployment_type"].lower().replace("_", "-")
    labels = ["l"] * group["label_count"]
    runner.deployments = {name: {"name": name, "labels": labels}}
    assert runner._skip_reason(group, group["http"], test) is None
    runner.deployments[name]["labels"] = labels[:-1]
    reason = runner._skip_reason(group, group["http"], test)
    assert reason == f"needs demo deployments with {group['label_count']} labels"
