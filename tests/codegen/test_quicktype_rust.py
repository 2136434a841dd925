"""quicktype's Rust structs from the JSON Schemas build, and with --skip-serializing-none what
they send is still accepted, with the same deployment type.

Without the option serde writes null for every absent Option field, which the services refuse.
The crate's dependencies are pinned (tests/codegen/fixtures/rust, built --locked from
crates.io); its build folder is kept in build/codegen/ between runs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from picsellia_contract import is_valid, validate

from .helpers import (
    FIXTURES,
    ROOT,
    assert_still_accepted,
    message_files,
    monitoring_samples,
    run,
)

pytestmark = pytest.mark.slow
MONITORING = monitoring_samples()
TARGET = ROOT / "build" / "codegen" / "rust-target"


def quicktype_rust(node_tools: Path, folder: Path, *options: str) -> Path:
    """A crate of the quicktype structs and the round-trip program, built."""
    (folder / "src").mkdir(parents=True)
    for name in ("Cargo.toml", "Cargo.lock"):
        shutil.copy(FIXTURES / "rust" / name, folder / name)
    shutil.copy(FIXTURES / "rust" / "main.rs", folder / "src" / "main.rs")
    args = ["--src-lang", "schema", "--lang", "rust", "--visibility", "public", *options]
    run([node_tools / "quicktype", *args, "-o", folder / "src" / "contract.rs", *message_files()])
    run(["cargo", "build", "--quiet", "--locked"], cwd=folder, CARGO_TARGET_DIR=str(TARGET))
    return TARGET / "debug" / "picsellia-roundtrip"


def send_through(program: Path, samples: list) -> list:
    payloads = [sample.values[2] for sample in samples]
    return json.loads(run([program], input_text=json.dumps(payloads)))


def test_quicktype_rust_structs_keep_every_valid_monitoring_payload_valid(node_tools, generated):
    folder = generated / "quicktype-rust"
    program = quicktype_rust(node_tools, folder, "--skip-serializing-none")
    assert_still_accepted(MONITORING, send_through(program, MONITORING))


def test_without_skip_serializing_none_absent_fields_go_out_as_null(node_tools, generated):
    program = quicktype_rust(node_tools, generated / "quicktype-rust-as-generated")
    [payload] = send_through(program, MONITORING[:1])
    assert payload["cloud_image"] is None  # the sample sends an image, so no cloud_image
    problems = validate("monitoring-prediction-request", payload)
    assert not is_valid(problems)
