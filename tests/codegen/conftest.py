"""Session fixtures of the code-generation gate: the pinned Node tools, the openapi-generator
jar, a folder for generated code (outside git), and openapi-generator's Java and Go clients,
each built once with the gate's programs.

Node tools come from tools/codegen/package-lock.json (``npm ci --prefix tools/codegen``, run here
when node_modules is missing); the openapi-generator CLI comes from Maven Central through Maven's
local repository and is copied once into build/codegen/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .corpus import corpus
from .helpers import BUNDLE, CODEGEN, FIXTURES, NODE_BIN, OPENAPI_GENERATOR, ROOT, run
from .roundtrip import go_types_table

JAR_DIR = ROOT / "build" / "codegen"


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


# openapi-generator's options per client (its "batch" config): names that compile in each language,
# and for Java the native HTTP client, Jakarta annotations, JsonNullable for nullable fields (a
# plain field under the client's NON_NULL drops detection_texts: null and prediction_id: null)
# and optional lists and maps left null until set (empty ones would be sent: an empty
# detection_boxes on a SEGMENTATION prediction is a list_length_mismatch).
OPENAPI_GENERATOR_CLIENTS = {
    "typescript-fetch": {},
    "go": {"additionalProperties": {"packageName": "picsellia", "enumClassPrefix": True}},
    "java": {
        "library": "native",
        "apiPackage": "picsellia.api",
        "modelPackage": "picsellia.model",
        "invokerPackage": "picsellia.client",
        "groupId": "picsellia",
        "artifactId": "picsellia-client",
        "additionalProperties": {
            "useJakartaEe": True,
            "openApiNullable": True,
            "containerDefaultToNull": True,
            "hideGenerationTimestamp": True,
        },
    },
}


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


@pytest.fixture(scope="session")
def openapi_generated(openapi_generator, generated) -> dict[str, Path]:
    """The three openapi-generator clients of the bundle, generated in one JVM (batch)."""
    folder = generated / "openapi-generator"
    folder.mkdir()
    outputs, configs = {}, []
    for name, options in OPENAPI_GENERATOR_CLIENTS.items():
        outputs[name] = folder / name
        config = {"generatorName": name, "inputSpec": str(BUNDLE), "outputDir": str(folder / name)}
        configs.append(folder / f"{name}.json")
        configs[-1].write_text(json.dumps({**config, **options}))
    run([*openapi_generator, "batch", "--fail-fast", *configs])
    return outputs


@pytest.fixture(scope="session")
def openapi_java(openapi_generated) -> list[str]:
    """The generated Java client compiled once, with the gate's programs (fixtures/java:
    RoundTrip, Predict, package roundtrip): the ``java -cp ...`` prefix that runs them."""
    folder = openapi_generated["java"]
    source = folder / "src" / "main" / "java" / "roundtrip"
    source.mkdir(parents=True)
    for program in (FIXTURES / "java").glob("*.java"):
        shutil.copy(program, source)
    maven = ["mvn", "-B", "-q", "-T1", "-DskipTests", "-Dmaven.javadoc.skip=true"]
    run([*maven, "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"], folder)
    classpath = f"{folder / 'target' / 'classes'}:{(folder / 'cp.txt').read_text().strip()}"
    return ["java", "-cp", classpath]


@pytest.fixture(scope="session")
def openapi_go(openapi_generated) -> Path:
    """The generated Go client built once, with the gate's programs as commands of its module
    (cmd/roundtrip: fixtures/oapi-codegen/main.go and a table of the corpus's types;
    cmd/predict: fixtures/openapi-generator-go/predict.go): the folder of their binaries."""
    folder = openapi_generated["go"]
    module = (folder / "go.mod").read_text().split()[1]
    for command, program in (
        ("roundtrip", FIXTURES / "oapi-codegen" / "main.go"),
        ("predict", FIXTURES / "openapi-generator-go" / "predict.go"),
    ):
        (folder / "cmd" / command).mkdir(parents=True)
        shutil.copy(program, folder / "cmd" / command / "main.go")
    names = sorted({i["component"] for i in corpus()})
    (folder / "cmd" / "roundtrip" / "types.go").write_text(go_types_table(names, module))
    run(["go", "build", "-o", "bin/", "./..."], folder, GOTOOLCHAIN="local", GOFLAGS="-mod=mod")
    return folder / "bin"


@pytest.fixture(scope="session")
def hey_api(node_tools, generated) -> Path:
    """@hey-api/openapi-ts's fetch client of the bundle with the gate's predict program
    (fixtures/hey_api_predict.ts), compiled once under tsc --strict to CommonJS in out/."""
    folder = generated / "hey-api"
    run([node_tools / "openapi-ts", "-i", BUNDLE, "-o", folder, "-c", "@hey-api/client-fetch"])
    shutil.copy(FIXTURES / "hey_api_predict.ts", folder / "predict.ts")
    config = json.loads((FIXTURES / "tsconfig.json").read_text())
    del config["compilerOptions"]["noEmit"]
    emit = {"module": "commonjs", "moduleResolution": "node10", "outDir": "out"}
    config["compilerOptions"].update(emit)
    (folder / "tsconfig.json").write_text(json.dumps(config))
    run([node_tools / "tsc", "-p", folder])
    return folder
