"""Session fixtures of the code-generation gate: the pinned Node tools, the openapi-generator
jar and a folder for generated code (outside git).

Node tools come from tools/codegen/package-lock.json (``npm ci --prefix tools/codegen``, run here
when node_modules is missing); the openapi-generator CLI comes from Maven Central through Maven's
local repository and is copied once into build/codegen/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import CODEGEN, NODE_BIN, OPENAPI_GENERATOR, ROOT, run

JAR_DIR = ROOT / "build" / "codegen"


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """tools/codegen/node_modules/.bin, installed from the lock file when missing."""
    if not NODE_BIN.is_dir():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed for the code-generation gate (Node 20 or later)")
        run(["npm", "ci", "--prefix", CODEGEN, "--no-audit", "--no-fund"], timeout=900)
    return NODE_BIN


@pytest.fixture(scope="session")
def openapi_generator() -> list[str]:
    """The command line that runs the pinned openapi-generator CLI."""
    version = OPENAPI_GENERATOR.rsplit(":", 1)[1]
    jar = JAR_DIR / f"openapi-generator-cli-{version}.jar"
    if not jar.exists():
        run(
            ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={OPENAPI_GENERATOR}"]
            + [f"-DoutputDirectory={JAR_DIR}"],
            cwd=CODEGEN,
            timeout=900,
        )
    return ["java", "-jar", str(jar)]


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A folder for this session's generated code."""
    return tmp_path_factory.mktemp("codegen")
