"""Running the scenarios over the mock's admin API: for each, start it (the mock resets, sets it
up and answers the action), run the adapter on the action, and post its outcome to be graded.
The grading is the mock's own (``mockserver.certification``): this is one client of it."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from mockdriver import AdminClient

from .adapters import Run, run_adapter


def run_scenario(
    admin: AdminClient, name: str, argv: list[str], limit: float, files_dir: Path
) -> dict[str, Any]:
    """Start one scenario, run the adapter (for at most ``limit`` seconds), answer the verdict
    (admin-verdict.json)."""
    action = admin.call("adminStartScenario", {}, name=name)
    for file_name, data in action["files"].items():
        path = files_dir / file_name
        if not path.exists():
            path.write_bytes(base64.b64decode(data))
    run: Run = run_adapter(argv, {**action, "files_dir": str(files_dir)}, limit)
    graded = {"outcome": run.outcome, "error": run.failure, "stderr": run.stderr}
    return admin.call("adminGradeScenario", graded, name=name)
