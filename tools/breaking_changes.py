"""Breaking changes since the last release that CHANGELOG.md does not list.

oasdiff (``oasdiff breaking``, built by ``.ci/oasdiff`` into ``.cache/bin``) compares the last
released bundle, ``schemas/releases/<version>/openapi.bundled.json`` (the highest version), with
``schemas/openapi.bundled.json``. Each change it finds at level warning or error is listed when
one line of CHANGELOG.md's ``[Unreleased]`` section holds both its oasdiff id and its operation,
each in backticks: ``api-path-removed-without-deprecation`` and ``GET /api/deployment/{id}/stats``.

    python tools/breaking_changes.py [BASE REVISION [CHANGELOG]]

prints one line per unlisted change and exits 1; 0 when every one is listed; 2 (one line) when
oasdiff or a file is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASES = ROOT / "schemas" / "releases"
CURRENT = ROOT / "schemas" / "openapi.bundled.json"
CHANGELOG = ROOT / "CHANGELOG.md"
BREAKING_LEVELS = (2, 3)  # oasdiff's warning and error; info (1) breaks no client


class Missing(Exception):
    """A tool or file the check needs is not there."""


def oasdiff() -> str:
    """The oasdiff binary: $OASDIFF, else .cache/bin/oasdiff, else one on PATH."""
    for candidate in (os.environ.get("OASDIFF"), str(ROOT / ".cache" / "bin" / "oasdiff")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("oasdiff")
    if found is None:
        raise Missing("oasdiff is not installed: run bash .ci/oasdiff")
    return found


def version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def last_release() -> Path:
    """The bundle of the highest released version."""
    bundles = sorted(
        RELEASES.glob("*/openapi.bundled.json"), key=lambda p: version_key(p.parent.name)
    )
    if not bundles:
        raise Missing(f"no released bundle under {RELEASES}")
    return bundles[-1]


def breaking(base: Path, revision: Path) -> list[dict]:
    """oasdiff's breaking changes from base to revision, warnings included."""
    for path in (base, revision):
        if not path.is_file():
            raise Missing(f"no such file: {path}")
    done = subprocess.run(
        [oasdiff(), "breaking", str(base), str(revision), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise Missing(f"oasdiff failed: {done.stderr.strip().splitlines()[-1:]}")
    return [c for c in json.loads(done.stdout or "[]") if c.get("level") in BREAKING_LEVELS]


def unreleased(changelog: str) -> str:
    """The text of the [Unreleased] section."""
    match = re.search(r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    return match.group(1) if match else ""


def operation(change: dict) -> str:
    return f"{change.get('operation', '')} {change.get('path', '')}".strip()


def unlisted(changes: list[dict], section: str) -> list[dict]:
    """The changes no line of the section names by both id and operation."""
    lines = section.splitlines()
    return [
        c
        for c in changes
        if not any(f"`{c['id']}`" in line and f"`{operation(c)}`" in line for line in lines)
    ]


def message(change: dict) -> str:
    return (
        f"breaking change not in CHANGELOG.md [Unreleased]: `{change['id']}` "
        f"`{operation(change)}`: {change.get('text', '')}"
    )


def main(argv: list[str]) -> int:
    try:
        base = Path(argv[0]) if argv else last_release()
        revision = Path(argv[1]) if len(argv) > 1 else CURRENT
        changelog = Path(argv[2]) if len(argv) > 2 else CHANGELOG
        if not changelog.is_file():
            raise Missing(f"no such file: {changelog}")
        missing = unlisted(breaking(base, revision), unreleased(changelog.read_text()))
    except Missing as exc:
        print(f"breaking_changes: {exc}", file=sys.stderr)
        return 2
    for change in missing:
        print(message(change))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
