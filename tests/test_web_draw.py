"""The page's drawing module, run by Node as the browser runs it (an ES module)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "mockserver" / "web" / "static"


def describe(raw: dict, labels: list[str], index: int) -> dict:
    if shutil.which("node") is None:
        pytest.skip("node is needed to run the page's modules")
    script = (
        "import('./draw.js').then(m => process.stdout.write(JSON.stringify("
        f"m.describe({json.dumps(raw)}, {json.dumps(labels)}, {index}))))"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=STATIC,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("cls", "label"), [(1, "truck"), (2, "class 2"), (-1, "class -1"), (7, "class 7")]
)
def test_a_class_the_labels_do_not_name_is_drawn_as_its_number(cls, label):
    """Records stored before negative classes were refused still draw a readable label."""
    raw = {"detection_classes": [cls], "detection_scores": [0.5]}
    assert describe(raw, ["car", "truck"], 0)["label"] == f"{label} 0.50"
