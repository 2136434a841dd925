"""The porting guide's section 5 shows a curl line for every admin call, with the status it
answers; each line runs as written, with the real curl, against a live mock.

Only the values of the shell variables the guide defines (BASE, DEPLOYMENT, PREDICTION) are
replaced by this mock's. curl reports each status through a ``.curlrc`` of the test's own
(``write-out``), so the lines are not changed to print it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from picsellia_contract.openapi import openapi_document
from picsellia_contract.routes import operations

from .helpers import sdk_payload

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl"),
]

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "porting-guide.md"
ASSIGNMENT = re.compile(r"^([A-Z_]+)=(\S+)")
STATUS = re.compile(r"#\s*(\d{3})\s*$")
URL = re.compile(r"\$BASE(/[^\s\"'?]*)")


def admin_lines() -> tuple[dict[str, str], list[tuple[str, int]]]:
    """(variables the guide defines, [(curl line, status in its comment)]) from section 5's
    shell blocks that call the admin API."""
    text = GUIDE.read_text()
    section = text.split("\n## 5.", 1)[1].split("\n## 6.", 1)[0]
    variables, lines = {}, []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        if "$BASE/__admin" not in block:
            continue
        for line in block.splitlines():
            if match := ASSIGNMENT.match(line):
                variables[match.group(1)] = match.group(2)
            elif line.startswith("curl "):
                status = STATUS.search(line)
                assert status, f"no '# status' comment on: {line}"
                lines.append((line, int(status.group(1))))
    return variables, lines


def operation_of(line: str):
    """The OpenAPI operation a curl line calls (method from -X, else POST with -d, else GET)."""
    method = re.search(r"-X (\w+)", line)
    verb = method.group(1) if method else ("POST" if " -d " in line else "GET")
    path = URL.search(line).group(1)
    for found in operations():
        pattern = re.sub(r"\\\{[^/]+?\\\}", r"[^/]+", re.escape(found.path))
        if found.method == verb and re.fullmatch(pattern, path):
            return found
    raise AssertionError(f"no operation for {verb} {path} ({line})")


def test_the_guide_has_a_curl_line_for_every_admin_call_with_a_documented_status():
    _, lines = admin_lines()
    covered = set()
    for line, status in lines:
        found = operation_of(line)
        responses = openapi_document()["paths"][found.path][found.method.lower()]["responses"]
        assert str(status) in responses, (line, sorted(responses))
        covered.add(found.operation_id)
    admin = {o.operation_id for o in operations() if o.service == "admin"}
    assert admin - covered == set(), "admin calls the guide shows no curl line for"


@pytest.fixture
def live_mock(tmp_path):
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(tmp_path / "db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(url + "/__admin/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)


def a_stored_prediction(url: str) -> tuple[str, str]:
    """(deployment id, prediction id) after one monitoring POST, as a client would make it."""
    deployments = requests.get(url + "/__admin/deployments", timeout=5).json()["deployments"]
    deployment = next(d for d in deployments if d["type"] == "POINT")["id"]
    body = {"api_token": "demo-api-token", "deployment_id": deployment}
    jwt = requests.post(url + "/api/auth/login", json=body, timeout=5).json()["jwt"]
    answer = requests.post(
        f"{url}/api/deployment/{deployment}/predictions",
        json=sdk_payload("POINT"),
        headers={"Authorization": f"Bearer {jwt}"},
        timeout=5,
    )
    assert answer.status_code == 201, answer.text
    return deployment, answer.json()["id"]


def test_each_curl_line_runs_as_written_and_answers_its_status(live_mock, tmp_path):
    variables, lines = admin_lines()
    assert {"BASE", "DEPLOYMENT", "PREDICTION"} <= set(variables)
    deployment, prediction = a_stored_prediction(live_mock)
    ours = {"BASE": live_mock, "DEPLOYMENT": deployment, "PREDICTION": prediction}
    preamble = "".join(f"{name}={ours.get(name, value)}\n" for name, value in variables.items())
    home = tmp_path / "curl-home"
    home.mkdir()
    (home / ".curlrc").write_text('write-out = "\\n%{http_code}"\n')
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "CURL_HOME": str(home)}
    env["XDG_CONFIG_HOME"] = str(home)
    for line, status in lines:
        done = subprocess.run(
            ["bash", "-c", preamble + line],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=30,
        )
        assert done.returncode == 0, (line, done.stderr)
        got = done.stdout.rsplit("\n", 1)[-1]
        assert got == str(status), (line, done.stdout[-500:])
    assert (tmp_path / "image.bin").stat().st_size > 0
    stored = requests.get(f"{live_mock}/__admin/deployments/{deployment}/predictions", timeout=5)
    assert stored.json()["count"] == 0  # the guide's reset ran
