"""The round-trip gate: every corpus payload (corpus.py), parsed into the generated concrete
type of its message, written back, is the same JSON (numbers compared as numbers) and still
accepted by the kit's validator; set-up by set-up, as the porting guide's "Generate a client"
runs them. Each set-up writes its counts to build/codegen/roundtrip/<set-up>.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from picsellia_contract.concrete import concrete_names

from .corpus import concrete_files, corpus
from .helpers import BUNDLE, FIXTURES, run, same_json
from .roundtrip import (
    all_identical,
    as_the_guide_says,
    counts,
    go_types_table,
    report,
    round_trip,
    summary,
)

pytestmark = pytest.mark.slow
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}


@pytest.fixture(scope="session")
def items() -> list[dict]:
    return list(corpus())


def test_the_corpus_holds_every_concrete_message_and_the_mocks_answers(items):
    assert {i["concrete"] for i in items} == set(concrete_names().values())
    ids = [i["id"] for i in items]
    assert sum(i.startswith("mock answer, ") for i in ids) == 14  # 7 types, monitored or not
    assert sum(i.startswith("monitoring request from the ") for i in ids) == 7
    assert sum(i.startswith("nothing found, ") for i in ids) == 14
    assert sum(i.startswith("vector: ") for i in ids) >= 40
    assert len(set(ids)) == len(ids)


def oapi_codegen(folder: Path, bundle: Path, names: list[str]) -> Path:
    """A Go module: oapi-codegen's models and client of ``bundle`` (the pinned tool of
    fixtures/oapi-codegen/go.mod, its configuration oapi-codegen.yaml) and the round-trip
    program, built."""
    shutil.copytree(FIXTURES / "oapi-codegen", folder)
    (folder / "picsellia").mkdir()
    run(["go", "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", bundle], folder, **GO_ENV)
    table = go_types_table(names, "picsellia.invalid/oapiroundtrip/picsellia")
    (folder / "types.go").write_text(table)
    run(["go", "build", "-o", "roundtrip", "."], folder, **GO_ENV)
    return folder / "roundtrip"


def test_oapi_codegen_go_models_give_every_payload_back(items, generated):
    names = sorted({i["component"] for i in items})
    program = oapi_codegen(generated / "oapi-codegen", BUNDLE, names)
    all_identical("oapi-codegen", round_trip("oapi-codegen", [program], items))


def test_openapi_generator_java_models_give_every_payload_back(items, openapi_java):
    program = [*openapi_java, "roundtrip.RoundTrip"]
    all_identical("openapi-generator-java", round_trip("openapi-generator-java", program, items))


def typescript_corpus(items: list[dict], header: str, type_of: str) -> str:
    """corpus.ts: each payload as a literal of its generated type (``type_of`` formatted with
    the component's name), one line each (line i + HEADER_LINES is item i), so that tsc's
    errors name the payloads a type refuses."""
    lines = [header, "export const items: unknown[] = ["]
    for item in items:
        type_ = type_of.format(name=item["component"])
        lines.append(f"  ((x: {type_}) => x)({json.dumps(item['payload'])}),")
    return "\n".join([*lines, "];", ""])


HEADER_LINES = 3  # the header line, the array's first line, 1-based numbering


def typescript_round_trip(
    setup: str, node_tools, items, folder: Path, header: str, type_of: str
) -> list:
    """Compile the corpus as literals beside the generated types, then JSON.parse/stringify
    each payload (what a TypeScript client does with a typed body); a payload tsc refuses is
    unparsable."""
    (folder / "corpus.ts").write_text(typescript_corpus(items, header, type_of))
    shutil.copy(FIXTURES / "tsconfig.json", folder / "tsconfig.json")
    done = subprocess.run(
        [node_tools / "tsc", "-p", folder], capture_output=True, text=True, check=False
    )
    lines = re.findall(r"corpus\.ts\((\d+),", done.stdout)
    refused = {int(n) - HEADER_LINES for n in lines}
    assert refused <= set(range(len(items))), done.stdout
    assert done.returncode == 0 or lines, done.stdout  # no error elsewhere in the code
    echo = "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0,'utf8'))"
    echo += ".map((i) => ({out: JSON.parse(JSON.stringify(i.payload))}))))"
    judged = round_trip(setup, ["node", "-e", echo], items)
    return [("unparsable" if n in refused else k, i, r) for n, (k, i, r) in enumerate(judged)]


def test_openapi_typescript_types_take_every_payload(node_tools, items, generated):
    folder = generated / "openapi-typescript-roundtrip"
    folder.mkdir()
    run([node_tools / "openapi-typescript", BUNDLE, "-o", folder / "schema.ts"])
    # the guide says so: the predict form's image is typed as text, not a Blob
    assert re.search(r"^\s+media: string;$", (folder / "schema.ts").read_text(), re.MULTILINE)
    header = 'import type { components as C } from "./schema";'
    judged = typescript_round_trip(
        "openapi-typescript", node_tools, items, folder, header, "C['schemas']['{name}']"
    )
    report("openapi-typescript", judged)
    all_identical("openapi-typescript", judged)


def test_hey_api_types_take_every_payload(node_tools, items, generated):
    folder = generated / "hey-api-roundtrip"
    run([node_tools / "openapi-ts", "-i", BUNDLE, "-o", folder, "-c", "@hey-api/client-fetch"])
    header = 'import type * as T from "./types.gen";'
    judged = typescript_round_trip("hey-api", node_tools, items, folder, header, "T.{name}")
    report("hey-api", judged)
    all_identical("hey-api", judged)


def test_quicktype_typescript_gives_every_payload_back(node_tools, items, generated):
    folder = generated / "quicktype-typescript-roundtrip"
    folder.mkdir()
    args = ["--src-lang", "schema", "--lang", "typescript", "-o", folder / "contract.ts"]
    run([node_tools / "quicktype", *args, *concrete_files()])
    shutil.copy(FIXTURES / "quicktype_roundtrip.ts", folder / "main.ts")
    options = {"strict": True, "target": "ES2022", "module": "commonjs", "outDir": "out"}
    config = {"compilerOptions": {**options, "types": []}, "include": ["*.ts"]}
    (folder / "tsconfig.json").write_text(json.dumps(config))
    run([node_tools / "tsc", "-p", folder])
    program = ["node", folder / "out" / "main.js"]
    all_identical("quicktype-typescript", round_trip("quicktype-typescript", program, items))


# What typify's types leave out when writing: an optional list or map when empty
# (skip_serializing_if is_empty), a nullable field when null (Option, skip_serializing_if none).
TYPIFY_DROPS = {
    "tags": [],
    "metadata": {},
    "custom_metadata": {},
    "custom_metrics": {},
    "prediction_id": None,
    "detection_texts": None,
}


def only_typify_drops(item: dict, out: dict) -> bool:
    """``out`` is the payload without the keys typify drops, when they held what it drops."""

    def without(node: dict) -> dict:
        kept = {k: v for k, v in node.items() if not (k in TYPIFY_DROPS and v == TYPIFY_DROPS[k])}
        for key in ("raw_predictions", "shadow_raw_predictions"):
            if isinstance(kept.get(key), dict):
                kept[key] = without(kept[key])
        return kept

    return same_json(without(item["payload"]), out)


def test_typify_rust_loses_only_empty_optional_lists_and_nulls(items, typify_rust):
    judged = round_trip("typify", typify_rust, items)
    found = counts(judged)
    assert found["refused"] == found["unparsable"] == 0, summary(judged)
    changed = [(i, r) for kind, i, r in judged if kind == "changed"]
    assert all(only_typify_drops(i, r["out"]) for i, r in changed), summary(judged)
    as_the_guide_says("typify", judged)
