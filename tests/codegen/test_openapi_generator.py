"""openapi-generator (the pinned CLI from Maven Central) generates typescript-fetch, go and java
(native java.net.http with Jackson) clients from the bundle, and each compiles.

The three are generated in one JVM by the session fixture ``openapi_generated`` (conftest.py,
with each generator's options). Their dependencies come from the registries: npm for tsc, the Go
module proxy for Go, Maven Central for Jackson and the Jakarta annotations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import compile_strict, run

pytestmark = pytest.mark.slow
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod"}


def test_typescript_fetch_client_compiles_under_strict(node_tools, openapi_generated):
    compile_strict(node_tools, openapi_generated["typescript-fetch"])


def test_go_client_compiles(openapi_generated):
    folder = openapi_generated["go"]
    run(["go", "build", "./..."], cwd=folder, **GO_ENV)
    assert "MONITORABLETYPE_MASK" in (folder / "model_monitorable_type.go").read_text()


def test_java_native_client_compiles(openapi_generated):
    folder = openapi_generated["java"]
    run(["mvn", "-B", "-q", "-DskipTests", "-Dmaven.javadoc.skip=true", "compile"], cwd=folder)
    classes = Path(folder, "target", "classes", "picsellia", "model")
    assert (classes / "MonitoringPredictionRequest.class").exists()


def test_java_client_leaves_absent_fields_out(openapi_generated):
    # An absent optional field written as null is refused by the services (wrong_type).
    client = openapi_generated["java"] / "src/main/java/picsellia/client/ApiClient.java"
    assert "setSerializationInclusion(JsonInclude.Include.NON_NULL)" in client.read_text()
