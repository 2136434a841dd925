"""The guide's "Validate without Python" and the vectors README stay true to the recipes.

The codes they list are the catalogue's (``checked_by``), the functions their glue calls exist in
the recipes, the commands are those CI runs and the tools are pinned where they say.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from picsellia_contract import error_catalogue

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "porting-guide.md"
GO_RECIPE = ROOT / "examples" / "go-validate"
TS_RECIPE = ROOT / "examples" / "ajv"


def section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split("\n### Validate without Python\n", 1)[1].split("\n## ", 1)[0]


def codes_of(checked_by: str) -> set[str]:
    return {c for c, entry in error_catalogue().items() if entry.get("checked_by") == checked_by}


def code_block(language: str) -> str:
    [block] = re.findall(rf"```{language}\n(.*?)```", section(), re.S)
    return block


def test_the_guide_lists_every_domain_rule_and_nothing_else():
    after = section().split("step 3 is the only check without Python:", 1)[1]
    listed = after.lstrip("\n").split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z][a-z0-9_]*)`", listed)) & set(error_catalogue())
    assert named == codes_of("domain_rule")


def test_the_guide_names_the_codes_only_a_concrete_message_finds():
    sentence = re.search(r"`concrete_schema` \(only the concrete\s+message: ([^)]*)\)", section())
    assert set(re.findall(r"`(\w+)`", sentence.group(1))) == codes_of("concrete_schema")


def test_the_vectors_readme_lists_the_schema_codes():
    readme = (ROOT / "schemas" / "vectors" / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"the structural codes (.*?)\),", readme, re.S).group(1)
    assert set(re.findall(r"`(\w+)`", listed)) == codes_of("schema")


def test_the_go_glue_calls_what_the_recipe_defines():
    source = "".join(p.read_text(encoding="utf-8") for p in GO_RECIPE.glob("*.go"))
    defined = set(re.findall(r"^(?:func (?:\([^)]*\) )?|type )([A-Z]\w*)[( ]", source, re.M))
    called = set(re.findall(r"\b(?:validate|contract|mock)\.([A-Z]\w*)[({]", code_block("go")))
    fields = re.findall(r"validate\.Query\{(\w+):", code_block("go"))
    assert fields and all(re.search(rf"^\t{f} ", source, re.M) for f in fields), fields
    assert called and called <= defined, called - defined
    for call in re.findall(r"`((?:jsonschema\.\w+|\w+)\([^`]*\))`", section()):
        name = call.split("(", 1)[0]
        assert name in source, call  # the compiler options the guide says contract.go sets


def test_the_typescript_glue_calls_what_the_recipe_defines():
    source = "".join(p.read_text(encoding="utf-8") for p in (TS_RECIPE / "src").glob("*.ts"))
    called = set(re.findall(r"(?:new |contract\.|\b)(\w+)\(", code_block("ts")))
    called -= {"Error"}
    for name in called:
        assert re.search(rf"(?:class |function |\n  ){name}\b", source), name


def test_the_commands_are_those_ci_runs_and_the_tools_are_pinned():
    ci = (ROOT / ".ci" / "examples").read_text(encoding="utf-8")
    assert "cd examples/go-validate && " in ci and "go test -count=1 -v ./..." in ci
    assert "(cd examples/go-validate && go test -v ./...)" in section()
    assert "npm run --silent vectors --prefix examples/ajv" in ci
    assert "npm run vectors --prefix examples/ajv" in section()
    assert "npm ci --prefix examples/ajv" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    package = json.loads((TS_RECIPE / "package.json").read_text(encoding="utf-8"))
    assert package["scripts"]["vectors"] == "tsc -p . && node dist/run-vectors.js"
    assert "tsc, then node dist/run-vectors.js" in section()
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pins.values()), pins
    assert pins["ajv"].startswith("8.") and "Ajv 8" in section()
    go_mod = (GO_RECIPE / "go.mod").read_text(encoding="utf-8")
    assert re.search(r"^require github\.com/santhosh-tekuri/jsonschema/v6 v6\.", go_mod, re.M)


# The five examples that call the admin API, and what .ci/examples runs each of them with.
ADMIN_CALLERS = {
    "examples/java/src/test/java/example/picsellia/CertifyTest.java": None,  # mvn: too slow twice
    "examples/go/certify_test.go": "(cd examples/go && refused go test",
    "examples/node/certify.test.js": "refused node --test examples/node/",
    "examples/go-validate/mock.go": "(cd examples/go-validate && refused go test",
    "examples/ajv/src/mock.ts": "refused node examples/ajv/dist/run-vectors.js",
}


def test_every_admin_caller_sends_the_admin_token_and_ci_checks_the_refusal():
    """The guide: each example sends PICSELLIA_ADMIN_TOKEN on its admin calls, and without it
    says to set it; .ci/examples serves its mock with a token and runs the refusals."""
    ci = (ROOT / ".ci" / "examples").read_text(encoding="utf-8")
    assert '--admin-token "$PICSELLIA_ADMIN_TOKEN"' in ci and "export PICSELLIA_ADMIN_TOKEN" in ci
    for path, refusal in ADMIN_CALLERS.items():
        source = (ROOT / path).read_text(encoding="utf-8")
        assert "Bearer " in source and "set PICSELLIA_ADMIN_TOKEN" in source, path
        readme = ROOT.joinpath(*Path(path).parts[:2], "README.md").read_text()
        assert "PICSELLIA_ADMIN_TOKEN" in readme, path
        if refusal is not None:
            assert refusal in ci, path
    guide = (ROOT / "docs" / "porting-guide.md").read_text(encoding="utf-8")
    assert "set `PICSELLIA_ADMIN_TOKEN` too" in guide and "export `PICSELLIA_ADMIN_TOKEN`" in guide
