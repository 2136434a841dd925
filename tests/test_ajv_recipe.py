"""The JavaScript recipe: examples/ajv/run-vectors.mjs judges the vectors with strict Ajv."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "examples" / "ajv"
SCRIPT = RECIPE / "run-vectors.mjs"
VECTOR_DIR = ROOT / "schemas" / "vectors"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.MULTILINE)
STRUCTURAL_IN_README = re.compile(r"structural codes \(((?:`\w+`,?\s*)+)\)")


def node() -> str:
    """The node executable, after `npm ci` if the recipe's packages are not installed yet."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: the Ajv recipe needs Node.js 18+ and npm")
    if not (RECIPE / "node_modules").is_dir():
        done = subprocess.run(
            [shutil.which("npm"), "ci", "--prefix", str(RECIPE)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"npm ci --prefix examples/ajv failed:\n{done.stderr}"
    return shutil.which("node")


def run_recipe(*args: str) -> tuple[int, str]:
    done = subprocess.run(
        [node(), str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
def test_ajv_agrees_with_every_structural_vector():
    code, out = run_recipe()
    summary = SUMMARY.search(out)
    assert summary, out
    passed, failed, _ = map(int, summary.groups())
    assert (code, failed) == (0, 0), out
    assert passed >= 120, out


@pytest.mark.slow
def test_a_wrong_verdict_is_reported(tmp_path):
    vectors = tmp_path / "vectors"
    shutil.copytree(VECTOR_DIR, vectors)
    path = vectors / "monitoring-prediction-request.json"
    groups = json.loads(path.read_text(encoding="utf-8"))
    test = next(t for g in groups for t in g["tests"] if t["valid"] and not t.get("problems"))
    test["valid"] = False
    test["problems"] = [{"code": "missing_property", "pointer": ""}]
    path.write_text(json.dumps(groups), encoding="utf-8")

    code, out = run_recipe(str(vectors))

    assert code == 1, out
    assert f"| {test['description']}" in out, out
    summary = SUMMARY.search(out)
    assert summary and summary.group(2) == "1", out


def test_the_script_and_the_readme_name_the_same_structural_codes():
    readme = (VECTOR_DIR / "README.md").read_text(encoding="utf-8")
    in_readme = set(re.findall(r"`(\w+)`", STRUCTURAL_IN_README.search(readme).group(1)))
    listed = re.search(r"const STRUCTURAL = new Set\(\[(.*?)\]\)", SCRIPT.read_text(), re.DOTALL)
    assert set(re.findall(r'"(\w+)"', listed.group(1))) == in_readme
