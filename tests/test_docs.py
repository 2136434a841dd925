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
