"""No breaking change since the last release goes unlisted in CHANGELOG.md (oasdiff compares the
released bundle with the current one; tools/breaking_changes.py says how a change is listed)."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "breaking_changes.py"
spec = importlib.util.spec_from_file_location("breaking_changes", SCRIPT)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def oasdiff_or_skip() -> str:
    try:
        return tool.oasdiff()
    except tool.Missing as exc:
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a failure
            pytest.fail(str(exc))
        pytest.skip(str(exc))


needs_oasdiff = pytest.mark.oasdiff


def run(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SCRIPT), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@needs_oasdiff
def test_every_breaking_change_since_the_last_release_is_in_the_changelog():
    oasdiff_or_skip()
    done = run()
    assert done.returncode == 0, done.stdout + done.stderr


def broken_bundle(tmp_path) -> Path:
    """The current bundle less a route and less a required response field."""
    bundle = json.loads(tool.CURRENT.read_text())
    broken = copy.deepcopy(bundle)
    del broken["paths"]["/api/deployment/{id}/stats"]
    login = broken["components"]["schemas"]["LoginAnswer"]
    del login["properties"]["jwt"]
    login["required"].remove("jwt")
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    return path


@needs_oasdiff
def test_a_removed_route_and_a_removed_required_field_fail_until_listed(tmp_path):
    oasdiff_or_skip()
    broken = broken_bundle(tmp_path)
    done = run(str(tool.CURRENT), str(broken), str(tool.CHANGELOG))
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(
        "`api-path-removed-without-deprecation` `GET /api/deployment/{id}/stats`" in line
        for line in lines
    ), lines
    jwt = [line for line in lines if "`POST /api/login`" in line and "jwt" in line]
    assert jwt and all(line.startswith("breaking change not in CHANGELOG.md") for line in lines)
    listed = "".join(
        f"- {m.group(1)} {m.group(2)}: listed\n"
        for m in re.finditer(r"(`[a-z-]+`) (`[A-Z]+ [^`]+`)", done.stdout)
    )
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(f"# Changelog\n\n## [Unreleased]\n\n{listed}\n## [0.1.0]\n")
    assert run(str(tool.CURRENT), str(broken), str(changelog)).returncode == 0
    released = tmp_path / "RELEASED.md"  # listed under a released version: not enough
    released.write_text(f"# Changelog\n\n## [Unreleased]\n\n## [0.1.0]\n\n{listed}")
    assert run(str(tool.CURRENT), str(broken), str(released)).returncode == 1


def test_a_change_is_listed_by_its_id_and_operation_on_one_line():
    change = {"id": "api-path-removed-without-deprecation", "operation": "GET", "path": "/a/{id}"}
    section = tool.unreleased(
        "# C\n## [Unreleased]\n- `api-path-removed-without-deprecation` on its own\n"
        "- `GET /a/{id}` on another line\n## [0.1.0]\n- `api-path-removed-without-deprecation`"
        " `GET /a/{id}`\n"
    )
    assert tool.unlisted([change], section) == [change]
    assert tool.unlisted([change], section + "- `GET /a/{id}` `" + change["id"] + "`\n") == []


def test_a_missing_file_is_one_line_and_exit_2(tmp_path):
    done = run(str(tmp_path / "none.json"), str(tool.CURRENT), str(tool.CHANGELOG))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "breaking_changes:" in done.stderr


def test_each_released_bundle_has_its_version_in_the_changelog():
    releases = sorted(p.parent.name for p in tool.RELEASES.glob("*/openapi.bundled.json"))
    assert releases, "no released bundle"
    changelog = tool.CHANGELOG.read_text()
    assert "## [Unreleased]" in changelog
    for version in releases:
        assert re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M), version
