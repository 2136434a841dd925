"""Small things several test modules need: images, the vectors' SDK payloads, body checks."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from picsellia_contract import validate
from picsellia_contract.openapi import openapi_document

VECTORS = Path(__file__).resolve().parent.parent / "schemas" / "vectors"
# Every operation of the OpenAPI document, as (METHOD, path template).
OPERATIONS = [
    (method.upper(), path) for path, item in openapi_document()["paths"].items() for method in item
]


def fill(path: str, deployment_id: str, prediction_id: str = "no-such-prediction") -> str:
    """A path template with its parameters filled in."""
    return path.replace("{id}", deployment_id).replace("{prediction_id}", prediction_id)


TYPES = ("CLASSIFICATION", "OBJECT_DETECTION", "SEGMENTATION", "POINT", "KEYPOINT", "LINE", "MASK")


def image(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color=(40, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def sdk_payload(type_: str) -> dict:
    """The SDK's monitoring payload of one type, as the test vectors hold it."""
    wanted = f"the SDK's {type_} payload is valid on its own type"
    for group in json.loads((VECTORS / "monitoring-prediction-request.json").read_text()):
        for test in group["tests"]:
            if test["description"] == wanted:
                return test["data"]
    raise LookupError(wanted)


def assert_conforms(message: str, body, deployment_type: str | None = None) -> None:
    """The body validates against its schema with no problem at all."""
    problems = validate(message, body, deployment_type=deployment_type, strict=True)
    assert problems == [], [p.as_dict() for p in problems]


def assert_error(response, status: int, code: str, pointer: str | None = None) -> dict:
    """An error answer: this status, the shared error body, and a problem with this code."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert_conforms("error", body)
    found = {(p["code"], p["pointer"]) for p in body["problems"]}
    assert any(c == code and (pointer is None or p == pointer) for c, p in found), found
    return body


def start_up(cwd, *options: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """``picsellia-mock serve`` on a free port with ``options``, run to its end (a start-up that
    fails); ``prefix`` runs it under another command."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "mockserver", "--port", "0", *options],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
    )


def assert_one_line(done: subprocess.CompletedProcess, *words: str) -> str:
    """Exit status 2 and one line on stderr, holding ``words``, nothing on stdout: the line."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""  # nothing is announced before start-up succeeds
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("picsellia-mock: error: ")
    for word in words:
        assert word in line, line
    return line


def require(module: str, extra: str) -> None:
    """Skip the calling test module when an optional extra is not installed, outside CI; under
    CI (``CI`` set) fail instead, so that a missing install step never passes as a skip."""
    if importlib.util.find_spec(module) is not None:
        return
    message = f"{module} is missing: pip install -e '.[{extra}]' (or '.[all]')"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)
