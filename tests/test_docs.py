"""The README and the porting guide stay true: commands, links, CI."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_starts_with_the_serve_and_test_commands():
    block = ROOT.joinpath("README.md").read_text().split("```sh\n", 1)[1].split("```", 1)[0]
    serve, test = block.strip().splitlines()
    venv = "python3 -m venv .venv && "
    assert serve == venv + ".venv/bin/pip install -e . && .venv/bin/picsellia-mock serve"
    assert test == venv + ".venv/bin/pip install -e '.[all]' && .venv/bin/python -m pytest"
    ci = ROOT.joinpath(".ci", "run").read_text()
    assert test in ci.splitlines()  # the README's own command, as written
    assert "export CI=true" in ci
    assert "bash .ci/first-run" in ci  # the first command, on a python3 refusing system installs


def test_every_linked_file_exists():
    for doc in (
        ROOT / "README.md",
        ROOT / "docs" / "porting-guide.md",
        ROOT / "schemas" / "vectors" / "README.md",
    ):
        for target in re.findall(r"\]\(([^)#]+)\)", doc.read_text()):
            if not target.startswith("http"):
                assert (doc.parent / target).exists(), (doc.name, target)


def schema_names() -> set[str]:
    """Every property name and enum value of every schema file (conformance ones included)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            found.update(node.get("$defs", {}))
            found.update(v for v in node.get("enum", []) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (ROOT / "schemas").rglob("*.json"):
        walk(json.loads(path.read_text()))
    return found


def test_every_code_the_guide_names_is_catalogued():
    """A snake_case name in backticks is an error code, or a name the schemas define."""
    from picsellia_contract import error_catalogue

    text = ROOT.joinpath("docs", "porting-guide.md").read_text()
    named = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)`", text))
    config_keys = {"max_body_bytes", "reject_duplicates", "demo_deployments"}
    other_tools = {"skip_serializing_if"}  # serde's attribute, in "Generate a client"
    unknown = named - set(error_catalogue()) - schema_names() - config_keys - other_tools
    assert unknown == set()


def test_the_guide_names_every_domain_rules_code():
    """Each code of a rule JSON Schema cannot express (not a schema keyword's) is in the guide."""
    from picsellia_contract import error_catalogue
    from picsellia_contract.problems import FALLBACK_CODE, KEYWORD_CODES

    text = ROOT.joinpath("docs", "porting-guide.md").read_text()
    contract = {c for c, e in error_catalogue().items() if e["source"] == "contract"}
    domain = contract - set(KEYWORD_CODES.values()) - {FALLBACK_CODE}
    assert {c for c in domain if f"`{c}`" not in text} == set()


def test_the_guides_quoted_messages_are_the_validators():
    """The guide quotes the validator's words for class range, boxes and base64."""
    from picsellia_contract import validate

    text = " ".join(ROOT.joinpath("docs", "porting-guide.md").read_text().split())
    cloud = {"connector_id": "c", "client_type": "S3", "bucket_name": "b", "object_name": "o"}
    raw = {"detection_classes": [5], "detection_scores": [0.5], "detection_boxes": [[1, 2, 3, 700]]}
    payload = {"filename": "f.png", "content_type": "image/png", "width": 640, "height": 480}
    payload.update(latency=0.1, cloud_image=cloud, raw_predictions=raw)
    messages = {p.code: p.message for p in validate("monitoring-prediction-request", payload)}
    assert set(messages) == {"box_outside_image"}  # no label count: classes are not checked
    messages = {
        p.code: p.message for p in validate("monitoring-prediction-request", payload, label_count=5)
    }
    quoted = "x2 = 700 is past the right edge (640)"
    assert quoted in text and quoted in messages["box_outside_image"]
    assert "5 labels" in messages["class_out_of_range"]
    del payload["cloud_image"]
    payload["image"] = "A" * 76 + "\n" + "A" * 4
    found = validate("monitoring-prediction-request", payload)
    [problem] = [p for p in found if p.code == "invalid_base64"]
    quoted = "at offset 76, a line break"
    assert f"`{quoted}`" in text and quoted in problem.message
