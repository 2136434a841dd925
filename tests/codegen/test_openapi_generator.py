"""openapi-generator (the pinned CLI from Maven Central) generates typescript-fetch, go and java
(native java.net.http with Jackson) clients from the bundle, and each compiles.

The three are generated in one JVM by the session fixture ``openapi_generated`` (conftest.py,
with each generator's options); the Java and Go clients are built once, with the gate's
programs (``openapi_java``, ``openapi_go``). Their dependencies come from the registries: npm
for tsc, the Go module proxy for Go, Maven Central for Jackson and the Jakarta annotations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import compile_strict

pytestmark = pytest.mark.slow


def test_typescript_fetch_client_compiles_under_strict(node_tools, openapi_generated):
    compile_strict(node_tools, openapi_generated["typescript-fetch"])


def test_go_client_compiles(openapi_generated, openapi_go):
    assert (openapi_go / "roundtrip").exists() and (openapi_go / "predict").exists()
    source = openapi_generated["go"] / "model_monitorable_type.go"
    assert "MONITORABLETYPE_MASK" in source.read_text()


def test_java_native_client_compiles(openapi_generated, openapi_java):
    classes = Path(openapi_generated["java"], "target", "classes", "picsellia", "model")
    assert (classes / "MonitoringPredictionRequest.class").exists()


def test_java_client_leaves_absent_fields_out(openapi_generated):
    # An absent optional field written as null is refused by the services (wrong_type).
    client = openapi_generated["java"] / "src/main/java/picsellia/client/ApiClient.java"
    assert "setSerializationInclusion(JsonInclude.Include.NON_NULL)" in client.read_text()
