"""The gate's builds: each generated client or model set with the gate's programs, built once
per session, two at a time in the background (``Builds``) while the tests run.

Each build function takes the folders it needs and returns what the tests run: a command line
prefix or a folder. They fail with ``helpers.run``'s message, raised where the result is asked.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .helpers import (
    BUILD_CACHE,
    BUNDLE,
    CODEGEN,
    FIXTURES,
    OPENAPI_GENERATOR,
    ROOT,
    RUST_TARGET,
    run,
)
from .roundtrip import go_types_table

JAR_DIR = ROOT / "build" / "codegen"
CARGO_ROOT = BUILD_CACHE / "cargo"
TYPIFY = ("cargo-typify", "0.8.0")
MAVEN = ["nice", "-n", "10", "mvn", "-B", "-q", "-T1", "-DskipTests", "-Dmaven.javadoc.skip=true"]
CARGO_BUILD = ["nice", "-n", "10", "cargo", "build", "-j1", "--quiet", "--locked"]


class Builds:
    """Named jobs on a pool of two threads; a job may start when another has finished."""

    def __init__(self, workers: int = 2) -> None:
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="codegen-build")
        self.jobs: dict[str, Future] = {}

    def start(self, name: str, function: Callable, *args, after: str | None = None) -> None:
        """Run ``function(*args)``, or ``function(result of after, *args)`` once ``after`` is
        done; once per name."""
        if name in self.jobs:
            return
        if after is None:
            self.jobs[name] = self.pool.submit(function, *args)
            return
        chained: Future = Future()
        self.jobs[name] = chained

        def when_done(previous: Future) -> None:
            if previous.exception() is not None:
                chained.set_exception(previous.exception())
                return
            job = self.pool.submit(function, previous.result(), *args)
            job.add_done_callback(lambda done: copy_outcome(done, chained))

        self.jobs[after].add_done_callback(when_done)

    def result(self, name: str):
        return self.jobs[name].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def copy_outcome(source: Future, target: Future) -> None:
    if source.exception() is not None:
        target.set_exception(source.exception())
    else:
        target.set_result(source.result())


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


def openapi_generated(folder: Path) -> dict[str, Path]:
    """The three openapi-generator clients of the bundle, generated in one JVM (batch) by the
    pinned CLI (from Maven Central through Maven's local repository, copied once into
    build/codegen/): each client's folder."""
    version = OPENAPI_GENERATOR.rsplit(":", 1)[1]
    jar = JAR_DIR / f"openapi-generator-cli-{version}.jar"
    if not jar.exists():  # copied whole, then renamed: a stopped copy leaves no broken jar
        partial = JAR_DIR / f"partial-{os.getpid()}"
        copy = ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={OPENAPI_GENERATOR}"]
        run([*copy, f"-DoutputDirectory={partial}"], cwd=CODEGEN, timeout=900)
        os.replace(partial / jar.name, jar)
        shutil.rmtree(partial)
    folder.mkdir()
    outputs, configs = {}, []
    for name, options in OPENAPI_GENERATOR_CLIENTS.items():
        outputs[name] = folder / name
        config = {"generatorName": name, "inputSpec": str(BUNDLE), "outputDir": str(folder / name)}
        configs.append(folder / f"{name}.json")
        configs[-1].write_text(json.dumps({**config, **options}))
    run(["java", "-jar", jar, "batch", "--fail-fast", *configs])
    return outputs


def openapi_java(outputs: dict[str, Path]) -> list[str]:
    """openapi-generator's Java client compiled with the gate's programs (fixtures/java:
    RoundTrip, Predict, package roundtrip): the ``java -cp ...`` prefix that runs them."""
    folder = outputs["java"]
    source = folder / "src" / "main" / "java" / "roundtrip"
    source.mkdir(parents=True)
    for program in (FIXTURES / "java").glob("*.java"):
        shutil.copy(program, source)
    run([*MAVEN, "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"], folder)
    classpath = f"{folder / 'target' / 'classes'}:{(folder / 'cp.txt').read_text().strip()}"
    return ["java", "-cp", classpath]


def openapi_go(outputs: dict[str, Path], names: list[str]) -> Path:
    """openapi-generator's Go client built with the gate's programs as commands of its module
    (cmd/roundtrip: fixtures/oapi-codegen/main.go and a table of ``names``; cmd/predict:
    fixtures/openapi-generator-go/predict.go): the folder of their binaries."""
    folder = outputs["go"]
    module = (folder / "go.mod").read_text().split()[1]
    for command, program in (
        ("roundtrip", FIXTURES / "oapi-codegen" / "main.go"),
        ("predict", FIXTURES / "openapi-generator-go" / "predict.go"),
    ):
        (folder / "cmd" / command).mkdir(parents=True)
        shutil.copy(program, folder / "cmd" / command / "main.go")
    (folder / "cmd" / "roundtrip" / "types.go").write_text(go_types_table(names, module))
    run(["go", "build", "-o", "bin/", "./..."], folder, GOTOOLCHAIN="local", GOFLAGS="-mod=mod")
    return folder / "bin"


def hey_api(node_tools: Path, folder: Path) -> Path:
    """@hey-api/openapi-ts's fetch client of the bundle with the gate's predict program
    (fixtures/hey_api_predict.ts), compiled under tsc --strict to CommonJS in out/."""
    run([node_tools / "openapi-ts", "-i", BUNDLE, "-o", folder, "-c", "@hey-api/client-fetch"])
    shutil.copy(FIXTURES / "hey_api_predict.ts", folder / "predict.ts")
    config = json.loads((FIXTURES / "tsconfig.json").read_text())
    del config["compilerOptions"]["noEmit"]
    emit = {"module": "commonjs", "moduleResolution": "node10", "outDir": "out"}
    config["compilerOptions"].update(emit)
    (folder / "tsconfig.json").write_text(json.dumps(config))
    run([node_tools / "tsc", "-p", folder])
    return folder


TYPES_USE = "use crate::roundtrip::round_trip;\nuse serde_json::Value;\n"  # each src/types.rs


def rust_table(function: str, module: str, names: list[str]) -> str:
    """A Rust function: component name -> the round trip through ``module``'s type."""
    arms = "\n".join(f'        "{n}" => Some(round_trip::<{module}::{n}>(p)),' for n in names)
    return (
        f"pub fn {function}(name: &str, p: &Value) -> Option<Result<Value, String>> {{\n"
        f"    match name {{\n{arms}\n        _ => None,\n    }}\n}}\n"
    )


def crate(folder: Path, fixture: str) -> None:
    (folder / "src").mkdir(parents=True)
    for name in ("Cargo.toml", "Cargo.lock"):
        shutil.copy(FIXTURES / fixture / name, folder / name)
    shutil.copy(FIXTURES / fixture / "main.rs", folder / "src" / "main.rs")
    shutil.copy(FIXTURES / "roundtrip.rs", folder / "src" / "roundtrip.rs")  # shared by both


def quicktype_rust(node_tools: Path, folder: Path, schemas: list[Path], names: list[str]) -> list:
    """The crate of fixtures/rust with quicktype's structs of ``schemas``, with
    --skip-serializing-none (contract.rs) and without (as_generated.rs), built once."""
    crate(folder, "rust")
    quicktype = [node_tools / "quicktype", "--src-lang", "schema", "--lang", "rust"]
    for module, options in (("contract", ["--skip-serializing-none"]), ("as_generated", [])):
        output = folder / "src" / f"{module}.rs"
        run([*quicktype, "--visibility", "public", *options, "-o", output, *schemas])
    (folder / "src" / "types.rs").write_text(
        f"{TYPES_USE}use crate::{{as_generated, contract}};\n\n"
        + rust_table("contract", "contract", names)
        + "\n"
        + rust_table("as_generated", "as_generated", names)
    )
    run(CARGO_BUILD, folder, CARGO_TARGET_DIR=str(RUST_TARGET))
    return [RUST_TARGET / "debug" / "picsellia-quicktype-roundtrip"]


def cargo_typify() -> Path:
    """The pinned cargo-typify, installed once into the build cache (a few minutes)."""
    binary = CARGO_ROOT / "bin" / "cargo-typify"
    name, version = TYPIFY
    installed = run([binary, "typify", "--version"]) if binary.exists() else ""
    if version not in installed:
        install = ["cargo", "install", f"{name}@{version}", "--locked", "-j1", "--root"]
        run(["nice", "-n", "10", *install, CARGO_ROOT], timeout=1800)
    return binary


def typify(folder: Path, names: list[str]) -> list:
    """The crate of fixtures/typify with typify's types of the kit's definitions file."""
    crate(folder, "typify")
    python = [sys.executable, "-m", "picsellia_contract.concrete", "--definitions"]
    run([*python, folder / "definitions.json"])
    run([cargo_typify(), "typify", folder / "definitions.json", "-o", folder / "src/contract.rs"])
    (folder / "src" / "types.rs").write_text(
        f"{TYPES_USE}use crate::contract;\n\n" + rust_table("convert", "contract", names)
    )
    run(CARGO_BUILD, folder, CARGO_TARGET_DIR=str(RUST_TARGET))
    return [RUST_TARGET / "debug" / "picsellia-typify-roundtrip"]


def jsonschema2pojo(folder: Path, schemas: list[Path]) -> list[str]:
    """fixtures/jsonschema2pojo's Maven project on ``schemas``, compiled with RoundTrip.java:
    the ``java -cp ... roundtrip.RoundTrip`` command line."""
    (folder / "src" / "main" / "java" / "roundtrip").mkdir(parents=True)
    shutil.copy(FIXTURES / "jsonschema2pojo" / "RoundTrip.java", folder / "src/main/java/roundtrip")
    paths = "".join(f"<sourcePath>{path}</sourcePath>" for path in schemas)
    pom = (FIXTURES / "jsonschema2pojo" / "pom.xml").read_text()
    (folder / "pom.xml").write_text(pom.replace("<!-- SOURCE_PATHS -->", paths))
    run([*MAVEN, "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"], folder)
    classpath = f"{folder / 'target' / 'classes'}:{(folder / 'cp.txt').read_text().strip()}"
    return ["java", "-cp", classpath, "roundtrip.RoundTrip"]
