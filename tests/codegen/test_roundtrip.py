"""The round-trip gate: every corpus payload (corpus.py), parsed into the generated concrete
type of its message, written back, is the same JSON (numbers compared as numbers) and still
accepted by the kit's validator; set-up by set-up, as the porting guide's "Generate a client"
runs them. Each set-up writes its counts to build/codegen/roundtrip/<set-up>.json.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from picsellia_contract.concrete import concrete_names

from .corpus import corpus
from .helpers import BUNDLE, FIXTURES, run
from .roundtrip import counts, round_trip, summary

pytestmark = pytest.mark.slow
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}


@pytest.fixture(scope="session")
def items() -> list[dict]:
    return list(corpus())


def all_identical(judged: list) -> None:
    assert counts(judged) == {**dict.fromkeys(counts(judged), 0), "identical": len(judged)}, (
        summary(judged)
    )


def test_the_corpus_holds_every_concrete_message_and_the_mocks_answers(items):
    assert {i["concrete"] for i in items} == set(concrete_names().values())
    ids = [i["id"] for i in items]
    assert sum(i.startswith("mock answer, ") for i in ids) == 14  # 7 types, monitored or not
    assert sum(i.startswith("monitoring request from the ") for i in ids) == 7
    assert sum(i.startswith("nothing found, ") for i in ids) == 14
    assert sum(i.startswith("vector: ") for i in ids) >= 40
    assert len(set(ids)) == len(ids)


def go_types_table(names: list[str], package_alias: str) -> str:
    """types.go: component name -> the round trip through the generated type of that name."""
    lines = [f'\t"{name}": roundTrip[{package_alias}.{name}],' for name in names]
    table = "\n".join(lines)
    return f"package main\n\nvar types = map[string]func([]byte) ([]byte, error){{\n{table}\n}}\n"


def oapi_codegen(folder: Path, bundle: Path, names: list[str]) -> Path:
    """A Go module: oapi-codegen's models and client of ``bundle`` (the pinned tool of
    fixtures/oapi-codegen/go.mod, its configuration oapi-codegen.yaml) and the round-trip
    program, built."""
    shutil.copytree(FIXTURES / "oapi-codegen", folder)
    (folder / "picsellia").mkdir()
    run(["go", "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", bundle], folder, **GO_ENV)
    imports = 'import p "picsellia.invalid/oapiroundtrip/picsellia"\n\n'
    table = go_types_table(names, "p").replace("package main\n\n", "package main\n\n" + imports)
    (folder / "types.go").write_text(table)
    run(["go", "build", "-o", "roundtrip", "."], folder, **GO_ENV)
    return folder / "roundtrip"


def test_oapi_codegen_go_models_give_every_payload_back(items, generated):
    names = sorted({i["component"] for i in items})
    program = oapi_codegen(generated / "oapi-codegen", BUNDLE, names)
    all_identical(round_trip("oapi-codegen", [program], items))


def test_openapi_generator_java_models_give_every_payload_back(items, openapi_generated):
    folder = openapi_generated["java"]
    source = folder / "src" / "main" / "java" / "roundtrip"
    source.mkdir(parents=True)
    shutil.copy(FIXTURES / "java" / "RoundTrip.java", source)
    maven = ["mvn", "-B", "-q", "-T1", "-DskipTests", "-Dmaven.javadoc.skip=true"]
    run([*maven, "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"], folder)
    classpath = f"{folder / 'target' / 'classes'}:{(folder / 'cp.txt').read_text().strip()}"
    program = ["java", "-cp", classpath, "roundtrip.RoundTrip"]
    all_identical(round_trip("openapi-generator-java", program, items))
