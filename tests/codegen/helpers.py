"""What the code-generation gate shares: paths, pinned tools, one command runner, the samples.

The samples are the contract's own: every valid test vector and every schema example (to be
turned into generated objects and back unchanged), and the invalid vectors whose problems are
all structural (to be refused by generated validating models).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from picsellia_contract import is_valid, message_names, validate
from picsellia_contract.checks import guess_type, matching_types
from picsellia_contract.openapi import bundle_path, pascal_case
from picsellia_contract.registry import load_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
VECTORS = SCHEMAS / "vectors"
CODEGEN = ROOT / "tools" / "codegen"
NODE_BIN = CODEGEN / "node_modules" / ".bin"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLE = bundle_path()
OPENAPI_GENERATOR = "org.openapitools:openapi-generator-cli:7.25.0"
# Built once per machine, not per checkout (CI clones afresh): the user's cache, as cargo's,
# Go's and pip's own caches are. Rust builds share one target folder there.
BUILD_CACHE = Path(
    os.environ.get("PICSELLIA_BUILD_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "picsellia-contract-kit"
)
RUST_TARGET = BUILD_CACHE / "rust-target"
# Problems a type system can hold. Rules across keys (exactly one of image and cloud_image: the
# x-check one_image; keys that go together: dependentRequired) no generator turns into a type:
# the validator and the vectors catch those.
STRUCTURAL = {
    "missing_property",
    "unknown_property",
    "wrong_type",
    "invalid_value",
    "out_of_range",
    "invalid_string",
    "wrong_item_count",
}


def run(
    args: list,
    cwd: Path | None = None,
    timeout: float = 600,
    input_text: str | None = None,
    stderr_too: bool = False,
    **env: str,
) -> str:
    """Run a tool, return its standard output (and error output with ``stderr_too``); on
    failure, fail the test with the command line and the end of both outputs."""
    full_env = {**os.environ, "NO_COLOR": "1", **env}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input_text,
        env=full_env,
        check=False,
    )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        pytest.fail(f"{' '.join(map(str, args))} exited {done.returncode}:\n{output[-8000:]}")
    return done.stdout + done.stderr if stderr_too else done.stdout


def compile_strict(node_tools: Path, folder: Path) -> None:
    """tsc --strict (tests/codegen/fixtures/tsconfig.json) over every .ts file of ``folder``."""
    shutil.copy(FIXTURES / "tsconfig.json", folder / "tsconfig.json")
    run([node_tools / "tsc", "-p", folder])


def component_name(message: str) -> str:
    """The bundle's component for a schema file: its title in PascalCase."""
    return pascal_case(load_schema(message)["title"])


def vector_tests() -> Iterator[tuple[dict, dict]]:
    for path in sorted(VECTORS.glob("*.json")):
        if path.name == "vectors.schema.json":
            continue
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                yield group, test


def is_message(schema: dict) -> bool:
    """A schema of a message, not a file of shared definitions."""
    return "type" in schema or "anyOf" in schema


def message_files() -> list[Path]:
    """The schema file of every message."""
    return [SCHEMAS / f"{m}.json" for m in message_names() if is_message(load_schema(m))]


def valid_samples() -> list:
    """(message, deployment type, data) of every valid vector and every schema example."""
    samples = []
    for group, test in vector_tests():
        if test["valid"]:
            sample = (group["message"], group.get("deployment_type"), test["data"])
            samples.append(pytest.param(*sample, id=f"{group['message']}: {test['description']}"))
    components = json.loads(BUNDLE.read_text(encoding="utf-8"))["components"]["schemas"]
    for message in message_names():
        schema = load_schema(message)
        if not is_message(schema) or component_name(message) not in components:
            continue  # shared definitions, or no wire message (mock-config: the TOML file)
        if any(p.get("format") == "binary" for p in schema.get("properties", {}).values()):
            continue  # a multipart body: its file part is bytes, not JSON
        for index, example in enumerate(schema.get("examples", [])):
            sample = (message, None, example)
            samples.append(pytest.param(*sample, id=f"{message}: example {index}"))
    return samples


def same_json(left, right) -> bool:
    """Equal as JSON values: 2 and 2.0 are one number, but true is not 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_json(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_json, left, right))
    return type(left) is type(right) and left == right


def _structural(message: str, problem: dict) -> bool:
    together = load_schema(message).get("dependentRequired", {})
    key = problem["pointer"].lstrip("/")
    return problem["code"] in STRUCTURAL and not (
        problem["code"] == "missing_property" and key in together
    )


def structurally_invalid() -> list:
    """(message, data) of every invalid vector whose problems are all structural."""
    samples = []
    for group, test in vector_tests():
        problems = test.get("problems", [])
        structural = all(_structural(group["message"], p) for p in problems)
        if not test["valid"] and problems and structural:
            sample = (group["message"], test["data"])
            samples.append(pytest.param(*sample, id=f"{group['message']}: {test['description']}"))
    return samples


def monitoring_samples() -> list:
    """The valid samples of the monitoring request."""
    return [p for p in valid_samples() if p.values[0] == "monitoring-prediction-request"]


def deployment_type(sample) -> str:
    """The sample's deployment type, or the one its keys tell, as validate() infers it."""
    _, given, data = sample.values
    raw = data["raw_predictions"]
    return given or (matching_types(raw) or [guess_type(raw)])[0]


def assert_still_accepted(samples: list, sent: list) -> None:
    """Each payload as sent is valid on its sample's deployment type."""
    for sample, payload in zip(samples, sent, strict=True):
        type_ = deployment_type(sample)
        problems = validate("monitoring-prediction-request", payload, deployment_type=type_)
        assert is_valid(problems), (sample.id, payload, [p.as_dict() for p in problems])
