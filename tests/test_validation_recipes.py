"""Validation without Python: the Go recipe (examples/go-validate, santhosh-tekuri/jsonschema)
and the TypeScript one (examples/ajv, Ajv) run every vector against a live mock and agree.

Each recipe prints ``<name>: N vectors, the schema agrees on A (D with only domain rules); S sent
to the mock, M agree``. The figures expected are counted here from the vectors and the
catalogue's ``checked_by``, not written down.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from picsellia_contract import error_catalogue

from .test_checked_by import vector_cases

ROOT = Path(__file__).resolve().parent.parent
GO_RECIPE = ROOT / "examples" / "go-validate"
TS_RECIPE = ROOT / "examples" / "ajv"
VECTOR_DIR = ROOT / "schemas" / "vectors"
SUMMARY = re.compile(
    r"^(?P<name>[\w-]+): (?P<judged>\d+) vectors, the schema agrees on (?P<agreed>\d+) "
    r"\((?P<rules>\d+) with only domain rules\); (?P<asked>\d+) sent to the mock, "
    r"(?P<answered>\d+) agree",
    re.MULTILINE,
)
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}

pytestmark = pytest.mark.slow  # compilers and a live server


def tool(name: str, why: str) -> str:
    """The executable, or a skip outside CI (``CI`` set: a failure, a missing install step)."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} not found: {why}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def mock_url(tmp_path_factory):
    from mockdriver import LiveMock
    from mockserver.config import Config

    db = tmp_path_factory.mktemp("recipes") / "m.sqlite3"
    with LiveMock(Config(db_path=str(db))) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def ts_built() -> str:
    """node, once `npm ci` and `tsc` have built examples/ajv/dist."""
    node = tool("node", "the TypeScript recipe needs Node.js 18+")
    npm = tool("npm", "the TypeScript recipe needs npm")
    steps = [[npm, "run", "build", "--prefix", str(TS_RECIPE)]]
    if not (TS_RECIPE / "node_modules" / ".bin" / "tsc").exists():  # none, or an older lock's
        steps.insert(0, [npm, "ci", "--prefix", str(TS_RECIPE), "--no-audit", "--no-fund"])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{' '.join(step[1:])}:\n{done.stdout}{done.stderr}"
    return node


def run_go(mock_url: str, vectors: Path | None = None) -> tuple[int, str]:
    go = tool("go", "the Go recipe needs Go 1.21+")
    env = {**os.environ, **GO_ENV, "PICSELLIA_MOCK_URL": mock_url}
    if vectors is not None:
        env["PICSELLIA_VECTORS"] = str(vectors)
    command = [go, "test", "-count=1", "-v", "./..."]
    done = subprocess.run(
        command, cwd=GO_RECIPE, env=env, capture_output=True, text=True, timeout=600
    )
    return done.returncode, done.stdout + done.stderr


def run_ts(node: str, mock_url: str, vectors: Path | None = None) -> tuple[int, str]:
    command = [node, str(TS_RECIPE / "dist" / "run-vectors.js")]
    if vectors is not None:
        command.append(str(vectors))
    env = {**os.environ, "PICSELLIA_MOCK_URL": mock_url}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def expected_figures() -> dict[str, int]:
    """What a recipe must count: every test; those a schema accepts (no problem a schema
    finds) go to the mock; those with problems, all domain rules, are the 'only domain rules'."""
    catalogue = error_catalogue()
    judged = accepted = rules = 0
    for case in vector_cases():
        message, concrete, codes, _ = case.values
        found = {"schema", "concrete_schema"} if concrete else {"schema"}
        judged += 1
        if not any(catalogue[code]["checked_by"] in found for code in codes):
            accepted += 1
            rules += bool(codes)
    return {"judged": judged, "agreed": judged, "rules": rules, "asked": accepted}


def figures(out: str) -> dict[str, int]:
    summary = SUMMARY.search(out)
    assert summary, out
    return {k: int(v) for k, v in summary.groupdict().items() if k != "name"}


def test_the_go_recipe_agrees_with_every_vector_and_the_mock(mock_url):
    code, out = run_go(mock_url)
    assert code == 0, out
    found = figures(out)
    assert found == {**expected_figures(), "answered": found["asked"]}, out
    assert found["rules"] >= 40, out  # lengths, base64, images, geometry, scores, types, ...


def test_the_typescript_recipe_agrees_with_every_vector_and_the_mock(ts_built, mock_url):
    code, out = run_ts(ts_built, mock_url)
    assert code == 0, out
    found = figures(out)
    assert found == {**expected_figures(), "answered": found["asked"]}, out


def broken_vectors(tmp_path: Path) -> tuple[Path, str, str]:
    """A copy of the vectors where a valid test claims a missing field (the schema disagrees)
    and a domain-rule test names the wrong pointer (the mock disagrees)."""
    vectors = tmp_path / "vectors"
    shutil.copytree(VECTOR_DIR, vectors)
    path = vectors / "monitoring-prediction-request.json"
    groups = json.loads(path.read_text(encoding="utf-8"))
    tests = [t for g in groups if not g.get("strict") for t in g["tests"]]
    valid = next(t for t in tests if t["valid"] and not t.get("problems"))
    valid["valid"], valid["problems"] = False, [{"code": "missing_property", "pointer": "/x"}]
    rule = next(
        t for t in tests if [p["code"] for p in t.get("problems", [])] == ["invalid_base64"]
    )
    rule["problems"][0]["pointer"] = "/filename"
    path.write_text(json.dumps(groups), encoding="utf-8")
    return vectors, valid["description"], rule["description"]


@pytest.mark.parametrize("recipe", ["go", "typescript"])
def test_a_recipe_names_each_disagreement(recipe, tmp_path, mock_url, request):
    vectors, schema_broken, mock_broken = broken_vectors(tmp_path)
    if recipe == "go":
        code, out = run_go(mock_url, vectors)
    else:
        code, out = run_ts(request.getfixturevalue("ts_built"), mock_url, vectors)
    assert code == 1, out
    assert f"| {schema_broken}\n" in out and f"| {mock_broken}\n" in out, out
    assert "invalid_base64 at '/image'" in out, (
        out
    )  # what the mock answered, beside what was expected
    found = figures(out)
    assert (found["judged"] - found["agreed"], found["asked"] - found["answered"]) == (1, 1), out


def closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # closed again: a connection is refused


@pytest.mark.parametrize("case", ["no such folder", "not a vectors file", "no mock"])
def test_the_typescript_runner_says_a_user_error_in_one_line(ts_built, tmp_path, case):
    """A folder, a file or a mock it cannot read is one line naming it, and exit status 2."""
    vectors, url, named = None, "", None
    if case == "no such folder":
        vectors = named = tmp_path / "missing"
    elif case == "not a vectors file":
        vectors = tmp_path
        named = tmp_path / "groups.json"
        named.write_text(json.dumps([{"description": "no tests"}]))
    else:
        url = named = closed_port_url()
    code, out = run_ts(ts_built, url, vectors)
    assert code == 2, out
    assert out.count("\n") == 1 and out.startswith("ajv: ") and str(named) in out, out
