"""openapi-python-client on the bundle: every operation, lossless models, a live client.

The models must turn every valid vector and schema example into objects and back unchanged (the
raw-predictions union is parsed most specific variant first), and the generated client must
predict with the image as a file part and monitor every type against the live mock.
"""

from __future__ import annotations

import copy
import importlib
import io
import json
import os
import re
import sys

import pytest

from ..helpers import TYPES, image, require, sdk_payload
from .helpers import BUNDLE, component_name, run, same_json, valid_samples

require("openapi_python_client", "codegen")

pytestmark = pytest.mark.slow
PACKAGE = "picsellia_opc"
# Responses of the admin image route are bytes: read them as a file (a documented option).
CONFIG = """content_type_overrides:
  image/png: application/octet-stream
  image/jpeg: application/octet-stream
  application/xml: application/octet-stream
"""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@pytest.fixture(scope="module")
def opc(generated):
    """The generated package, imported from the session's folder."""
    config = generated / "opc.yaml"
    config.write_text(CONFIG)
    tool = f"{sys.prefix}/bin/openapi-python-client"
    args = [tool, "generate", "--path", BUNDLE, "--output-path", generated / PACKAGE]
    path = f"{sys.prefix}/bin:{os.environ['PATH']}"  # its post-hook formats with ruff
    options = ["--meta", "none", "--config", config, "--overwrite"]
    output = run([*args, *options], stderr_too=True, PATH=path)
    assert "Warning" not in output, output
    sys.path.insert(0, str(generated))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(generated))
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def model(opc, message: str):
    name = component_name(message)
    return getattr(importlib.import_module(f"{PACKAGE}.models.{snake(name)}"), name)


def operation(opc, operation_id: str):
    document = json.loads(BUNDLE.read_text())
    for item in document["paths"].values():
        for op in item.values():
            if op["operationId"] == operation_id:
                return importlib.import_module(
                    f"{PACKAGE}.api.{op['tags'][0]}.{snake(operation_id)}"
                )
    raise LookupError(operation_id)


def test_every_operation_is_generated(opc):
    document = json.loads(BUNDLE.read_text())
    for item in document["paths"].values():
        for op in item.values():
            assert hasattr(operation(opc, op["operationId"]), "sync_detailed"), op["operationId"]


@pytest.mark.parametrize("message, deployment_type, data", valid_samples())
def test_models_turn_every_valid_sample_into_objects_and_back_unchanged(
    opc, message, deployment_type, data
):
    if message == "raw-predictions":  # a union, not a class: carried by a message that holds one
        message, data = "shadow-request", {"shadow_raw_predictions": data, "shadow_latency": 0}
    back = model(opc, message).from_dict(copy.deepcopy(data)).to_dict()
    assert same_json(back, data), json.dumps(back)


def login(opc, base_url: str, service: str, deployment_id: str, api_token: str):
    """A client holding the bearer token of one service."""
    route = "servingLogin" if service == "serving" else "monitoringLogin"
    body = model(opc, "login-request")(api_token=api_token, deployment_id=deployment_id)
    answer = operation(opc, route).sync(client=opc.Client(base_url=base_url), body=body)
    return opc.AuthenticatedClient(
        base_url=base_url, token=answer.jwt, raise_on_unexpected_status=True
    )


def test_generated_client_predicts_with_the_image_as_a_file_part(opc, picsellia_mock):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]
    client = login(opc, picsellia_mock.base_url, "serving", deployment_id, picsellia_mock.api_token)
    types = importlib.import_module(f"{PACKAGE}.types")
    media = types.File(payload=io.BytesIO(image()), file_name="frame.png")
    body = model(opc, "predict-multipart")(media=media, tags=["night", "camera-3"])
    answer = operation(opc, "predict").sync_detailed(id=deployment_id, client=client, body=body)
    assert answer.status_code == 200, answer.content
    assert answer.parsed.type_.value == "OBJECT_DETECTION"
    [record] = picsellia_mock.predictions("OBJECT_DETECTION")
    assert record["body"]["filename"] == "frame.png" and record["body"]["tags"] == body.tags


@pytest.mark.parametrize("type_", TYPES)
def test_generated_client_monitors_every_type(opc, picsellia_mock, type_):
    deployment_id = picsellia_mock.deployments[type_]
    client = login(
        opc, picsellia_mock.base_url, "monitoring", deployment_id, picsellia_mock.api_token
    )
    payload = sdk_payload(type_)
    body = model(opc, "monitoring-prediction-request").from_dict(copy.deepcopy(payload))
    answer = operation(opc, "monitorPrediction").sync_detailed(
        id=deployment_id, client=client, body=body
    )
    assert answer.status_code == 201, answer.content
    [record] = picsellia_mock.predictions(type_)
    assert record["body"]["raw_predictions"] == payload["raw_predictions"]
