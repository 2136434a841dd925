"""The Node port's own unit tests (examples/node/client.test.js) pass under node --test; its
run against the mock is the conformance test (tests/test_conformance.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_node_ports_unit_tests_pass():
    node = shutil.which("node")
    assert node, "Node.js 20 is needed for the Node port's tests"
    done = subprocess.run(
        [node, "--test", "examples/node/client.test.js"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", done.stdout, re.M)
    assert passed and int(passed.group(1)) > 0 and "# fail 0" in done.stdout, done.stdout[-500:]
