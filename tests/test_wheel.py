"""The wheel, installed without extras in a fresh virtual environment, runs every command from
a folder outside the checkout: nothing needs the test extras or the source tree.

The wheel and its dependencies come from a wheelhouse that ``.ci/run`` builds
(``PICSELLIA_WHEELHOUSE``), so that the test installs offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow  # a virtual environment, an install, a server and a whole run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment holding the wheel alone (no extras)."""
    wheelhouse = os.environ.get("PICSELLIA_WHEELHOUSE")
    if not wheelhouse or not list(Path(wheelhouse).glob("picsellia_contract_kit-*.whl")):
        message = "set PICSELLIA_WHEELHOUSE to a folder made by: pip wheel -w FOLDER ."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links"]
    subprocess.run([*install, wheelhouse, "picsellia-contract-kit"], check=True, timeout=300)
    return venv / "bin"


def run(bin_: Path, *args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_ / "picsellia-mock"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def test_no_extra_is_installed(installed):
    done = subprocess.run(
        [str(installed / "python"), "-c", "import pytest"], capture_output=True, text=True
    )
    assert done.returncode != 0 and "No module named 'pytest'" in done.stderr


def test_serve_and_vectors_and_the_page(installed, tmp_path):
    server = subprocess.Popen(
        [str(installed / "picsellia-mock"), "serve", "--port", "0", "--db", "mock.sqlite3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), server.stderr.read()
        assert requests.get(url + "/__admin/health", timeout=10).json()["status"] == "ok"
        page = requests.get(url + "/", timeout=10)  # templates and static files are packaged
        assert page.status_code == 200 and "demo-object-detection" in page.text
        assert requests.get(url + "/__web/static/page.js", timeout=10).status_code == 200
        done = run(installed, "vectors", "--url", url, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert " agree, 0 disagree" in done.stdout
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_validate_and_check_live_help(installed, tmp_path):
    login = tmp_path / "login.json"
    login.write_text(json.dumps({"api_token": "t", "deployment_id": "d"}))
    done = run(installed, "validate", "login-request", str(login), cwd=tmp_path)
    assert done.returncode == 0 and "valid" in done.stdout, done.stdout + done.stderr
    done = run(installed, "check-live", "--help", cwd=tmp_path)
    assert done.returncode == 0 and "--serving-host" in done.stdout, done.stderr


def test_the_reference_adapter_certifies_with_no_extra(installed, tmp_path):
    done = run(installed, "conformance", "--adapter", "reference", cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert ", 0 failed" in done.stdout
