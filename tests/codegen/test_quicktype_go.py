"""quicktype's Go structs from the JSON Schemas compile, and what they send is still accepted,
with the same deployment type.

quicktype merges the seven raw-predictions variants into one struct whose geometry lists are
optional, tagged ``omitempty``: an empty ``detection_boxes`` would vanish and the payload would
read as CLASSIFICATION. The porting guide's post-step, a sed line run here as the guide
writes it, makes every optional list or map a pointer, which ``omitempty`` drops only when nil.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from picsellia_contract import validate

from .helpers import FIXTURES, ROOT, assert_still_accepted, message_files, monitoring_samples, run

pytestmark = pytest.mark.slow
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}
GUIDE = ROOT / "docs" / "porting-guide.md"
OBJECT_DETECTION = "OBJECT_DETECTION"
MONITORING = monitoring_samples()


def quicktype_go(node_tools: Path, folder: Path, pointers: bool) -> Path:
    """A Go module of the quicktype structs and the round-trip program."""
    folder.mkdir()
    source = folder / "contract.go"
    args = ["--src-lang", "schema", "--lang", "go", "--package", "main", "-o", source]
    run([node_tools / "quicktype", *args, *message_files()])
    if pointers:
        run(["sed", "-E", "-i", guide_sed_expression(), source])
    shutil.copy(FIXTURES / "quicktype_roundtrip.go", folder / "main.go")
    (folder / "go.mod").write_text("module picsellia.invalid/roundtrip\n\ngo 1.21\n")
    run(["go", "build", "-o", folder / "roundtrip", "."], cwd=folder, **GO_ENV)
    return folder / "roundtrip"


def guide_sed_expression() -> str:
    """The expression of the porting guide's sed line for quicktype's Go."""
    found = re.search(r"^sed -E -i '(.+)' picsellia\.go$", GUIDE.read_text(), re.MULTILINE)
    assert found, "the porting guide's Go section has its sed line"
    return found.group(1)


def send_through(program: Path, samples: list) -> list:
    """The samples' payloads as the Go structs encode them after decoding."""
    payloads = [sample.values[2] for sample in samples]
    return json.loads(run([program], input_text=json.dumps(payloads)))


def test_quicktype_go_structs_keep_every_valid_monitoring_payload_valid(node_tools, generated):
    program = quicktype_go(node_tools, generated / "quicktype-go", pointers=True)
    assert_still_accepted(MONITORING, send_through(program, MONITORING))


def test_without_the_post_step_an_empty_geometry_list_is_lost(node_tools, generated):
    program = quicktype_go(node_tools, generated / "quicktype-go-as-generated", pointers=False)
    [found_nothing] = [s for s in MONITORING if s.id.endswith("empty prediction lists are valid")]
    assert found_nothing.values[2]["raw_predictions"]["detection_boxes"] == []
    [payload] = send_through(program, [found_nothing])
    assert "detection_boxes" not in payload["raw_predictions"]
    problems = validate(
        "monitoring-prediction-request", payload, deployment_type="OBJECT_DETECTION"
    )
    assert "prediction_type_mismatch" in {p.code for p in problems}
