"""quicktype's Go structs from the concrete JSON Schema files, with the porting guide's sed line
(run here as the guide writes it) after them: the round trip of the gate (test_roundtrip.py).

quicktype tags every optional list or map ``omitempty``, which drops an empty one; the sed line
makes each a pointer, which ``omitempty`` drops only when nil. Without it an empty ``tags`` is
lost and, on a type whose geometry list is optional, an empty geometry list too.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from picsellia_contract import validate

from .corpus import concrete_files, corpus
from .helpers import FIXTURES, ROOT, run
from .roundtrip import go_types_table, only_changed_by, round_trip

pytestmark = pytest.mark.slow
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}
GUIDE = ROOT / "docs" / "porting-guide.md"


def guide_sed_expression() -> str:
    """The expression of the porting guide's sed line for quicktype's Go."""
    found = re.search(r"^sed -E -i '(.+)' picsellia\.go$", GUIDE.read_text(), re.MULTILINE)
    assert found, "the porting guide's Go section has its sed line"
    return found.group(1)


def quicktype_go(node_tools, folder: Path, schemas: list[Path], sed: bool) -> list:
    """A Go module of quicktype's structs of ``schemas`` and the round-trip program
    (fixtures/oapi-codegen/main.go), built: its command line."""
    folder.mkdir()
    args = ["--src-lang", "schema", "--lang", "go", "--package", "main", "-o", folder / "c.go"]
    run([node_tools / "quicktype", *args, *schemas])
    if sed:
        run(["sed", "-E", "-i", guide_sed_expression(), folder / "c.go"])
    shutil.copy(FIXTURES / "oapi-codegen" / "main.go", folder / "main.go")
    names = re.findall(r"^type (\w+) struct", (folder / "c.go").read_text(), re.MULTILINE)
    (folder / "types.go").write_text(go_types_table(sorted(names)))
    (folder / "go.mod").write_text("module picsellia.invalid/quicktype\n\ngo 1.21\n")
    run(["go", "build", "-o", "roundtrip", "."], folder, **GO_ENV)
    return [folder / "roundtrip"]


def absent_written_null(item: dict) -> dict:
    """The payload with ``null`` for each nullable key it left out: detection_texts and a
    predict answer's prediction_id (where null and absent mean the same)."""
    expected = json.loads(json.dumps(item["payload"]))
    for key in ("raw_predictions", "shadow_raw_predictions"):
        if isinstance(expected.get(key), dict):
            expected[key].setdefault("detection_texts", None)
    if item["concrete"].startswith("predict-response-"):
        expected.setdefault("prediction_id", None)
    return expected


def test_quicktype_go_with_the_guides_sed_line_writes_null_for_absent_nullables(
    node_tools, generated
):
    # a nullable field has no omitempty: when absent it is written null (accepted)
    program = quicktype_go(node_tools, generated / "quicktype-go", concrete_files(), sed=True)
    judged = round_trip("quicktype-go", program, list(corpus()))
    only_changed_by("quicktype-go", judged, absent_written_null)


def test_without_the_sed_line_empty_lists_are_lost(node_tools, generated):
    [found] = [i for i in corpus() if i["id"] == "nothing found, monitoring request, KEYPOINT"]
    item = json.loads(json.dumps(found))
    item["payload"]["raw_predictions"]["detection_boxes"] = []  # optional for KEYPOINT
    assert validate(item["concrete"], item["payload"]) == []
    # two files or more: quicktype names each top type by its title, not by the output file
    schemas = [p for p in concrete_files() if p.stem.endswith("-keypoint")]
    program = quicktype_go(node_tools, generated / "quicktype-go-as-generated", schemas, False)
    [(kind, _, result)] = round_trip("quicktype-go-as-generated", program, [item])
    assert kind == "changed"
    sent = result["out"]
    assert "tags" not in sent and "metadata" not in sent
    assert "detection_boxes" not in sent["raw_predictions"]
