"""Session fixtures of the code-generation gate: the pinned Node tools, a folder for generated
code (outside git), and the gate's builds (builds.py).

Node tools come from tools/codegen/package-lock.json (``npm ci --prefix tools/codegen``, run here
when node_modules is missing). The builds that the selected tests use start in the background
when the first of those tests runs, two at a time, and each fixture waits for its own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import builds as build
from .corpus import concrete_files, corpus
from .helpers import CODEGEN, NODE_BIN, run

# The fixtures of the background builds (they start in the order of their first use).
BUILT = (
    "openapi_generated",
    "openapi_java",
    "openapi_go",
    "jsonschema2pojo",
    "quicktype_rust",
    "typify_rust",
    "hey_api",
)


def pytest_collection_modifyitems(items: list) -> None:
    """The tests of this folder that wait for a background build run after the others of this
    folder (in the same slots of the session's order), so that the builds go on meanwhile."""
    here = Path(__file__).parent
    slots = [n for n, item in enumerate(items) if here in Path(str(item.path)).parents]
    mine = [items[n] for n in slots]
    waits = [item for item in mine if set(BUILT) & set(item.fixturenames)]
    ordered = [item for item in mine if item not in waits] + waits
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


def node_tools_installed() -> bool:
    """Every tool of tools/codegen/package.json is installed at its pinned version."""
    wanted = json.loads((CODEGEN / "package.json").read_text())["devDependencies"]
    for name, version in wanted.items():
        installed = CODEGEN / "node_modules" / name / "package.json"
        if not installed.exists() or json.loads(installed.read_text())["version"] != version:
            return False
    return NODE_BIN.is_dir()


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """tools/codegen/node_modules/.bin, installed from the lock file when missing or stale."""
    if not node_tools_installed():
        if shutil.which("npm") is None:
            pytest.fail("npm is needed for the code-generation gate (Node 20 or later)")
        run(["npm", "ci", "--prefix", CODEGEN, "--no-audit", "--no-fund"], timeout=900)
    return NODE_BIN


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A folder for this session's generated code."""
    return tmp_path_factory.mktemp("codegen")


def start_builds(request, jobs: build.Builds, wanted: list[str], generated: Path) -> None:
    """Start the builds of ``wanted`` (fixture names), in that order."""
    if not wanted:
        return
    names = sorted({i["component"] for i in corpus()})
    openapi = generated / "openapi-generator"
    for name in wanted:
        if name in ("openapi_generated", "openapi_java", "openapi_go"):
            jobs.start("openapi_generated", build.openapi_generated, openapi)
        if name == "openapi_java":
            jobs.start(name, build.openapi_java, after="openapi_generated")
        elif name == "openapi_go":
            jobs.start(name, build.openapi_go, names, after="openapi_generated")
        elif name == "jsonschema2pojo":
            folder = generated / "jsonschema2pojo"
            jobs.start(name, build.jsonschema2pojo, folder, concrete_files())
        elif name == "quicktype_rust":
            node_tools = request.getfixturevalue("node_tools")
            folder, schemas = generated / "quicktype-rust", concrete_files()
            jobs.start(name, build.quicktype_rust, node_tools, folder, schemas, names)
        elif name == "typify_rust":
            jobs.start(name, build.typify, generated / "typify", names)
        elif name == "hey_api":
            node_tools = request.getfixturevalue("node_tools")
            jobs.start(name, build.hey_api, node_tools, generated / "hey-api")


@pytest.fixture(scope="session")
def builds(request, generated) -> Iterator[build.Builds]:
    """The gate's builds: every one that a selected test of the session uses is started when
    the first test of this folder runs."""
    jobs = build.Builds()
    wanted = [n for item in request.session.items for n in item.fixturenames if n in BUILT]
    start_builds(request, jobs, list(dict.fromkeys(wanted)), generated)
    yield jobs
    jobs.close()


@pytest.fixture(autouse=True)
def _start_the_builds(builds) -> None:
    """Every test of this folder asks for ``builds``, so the first one starts them."""


@pytest.fixture(scope="session")
def openapi_generated(builds) -> dict[str, Path]:
    """The three openapi-generator clients of the bundle: typescript-fetch, go, java."""
    return builds.result("openapi_generated")


@pytest.fixture(scope="session")
def openapi_java(builds) -> list[str]:
    """``java -cp ...``: the generated Java client and the gate's Java programs."""
    return builds.result("openapi_java")


@pytest.fixture(scope="session")
def openapi_go(builds) -> Path:
    """The folder of the gate's Go programs built with the generated Go client."""
    return builds.result("openapi_go")


@pytest.fixture(scope="session")
def jsonschema2pojo(builds) -> list[str]:
    """The command line of the round trip through jsonschema2pojo's classes."""
    return builds.result("jsonschema2pojo")


@pytest.fixture(scope="session")
def quicktype_rust(builds) -> list:
    """The command line of the round trip through quicktype's Rust structs."""
    return builds.result("quicktype_rust")


@pytest.fixture(scope="session")
def typify_rust(builds) -> list:
    """The command line of the round trip through typify's Rust types."""
    return builds.result("typify_rust")


@pytest.fixture(scope="session")
def hey_api(builds) -> Path:
    """hey-api's fetch client with the gate's predict program, compiled to out/."""
    return builds.result("hey_api")
