"""openapi-generator's Java client (native java.net.http, Jackson) compiles, and writes no null
for an absent field.

Its dependencies (Jackson, Jakarta annotations) come from Maven Central into Maven's local
repository, like the generator itself.
"""

from __future__ import annotations

import pytest

from .helpers import run

pytestmark = pytest.mark.slow


def test_openapi_generator_java_native_client_compiles(openapi_generated):
    folder = openapi_generated["java"]
    run(["mvn", "-B", "-q", "-DskipTests", "-Dmaven.javadoc.skip=true", "compile"], cwd=folder)
    assert any((folder / "target" / "classes" / "picsellia" / "model").glob("*.class"))


def test_its_object_mapper_leaves_absent_fields_out(openapi_generated):
    # An absent optional field serialised as null is refused by the contract (wrong_type).
    client = openapi_generated["java"] / "src/main/java/picsellia/client/ApiClient.java"
    assert "setSerializationInclusion(JsonInclude.Include.NON_NULL)" in client.read_text()
