"""``picsellia-mock serve``: binds first, then says where; bad start-up states are one line."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mockserver import serve as serve_module
from picsellia_mock.cli import main
from tests.helpers import assert_one_line, start_up


def test_port_0_binds_a_free_port_and_the_first_line_is_the_base_url(tmp_path):
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(tmp_path / "db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:") and not first.endswith(":0")
        assert requests.get(first + "/__admin/health", timeout=10).json()["status"] == "ok"
        assert (
            f"web page:         {first}/" in process.stdout.readline() + process.stdout.readline()
        )
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_port_in_use_is_one_line_and_exit_status_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = start_up(tmp_path, "--port", str(port), "--db", str(tmp_path / "db"))
    line = assert_one_line(done)  # nothing is announced before the port is bound
    assert line.startswith(f"picsellia-mock: error: cannot listen on 127.0.0.1:{port}")


def test_open_opens_the_web_page_after_binding(tmp_path, monkeypatch, capsys):
    opened, served = [], []
    monkeypatch.setattr(serve_module.webbrowser, "open", opened.append)
    monkeypatch.setattr(serve_module, "run_waitress", lambda app, sock: served.append(sock))
    assert main(["serve", "--port", "0", "--db", str(tmp_path / "db"), "--open"]) == 0
    url = capsys.readouterr().out.splitlines()[0]
    assert opened == [url + "/"]
    assert served[0].getsockname()[1] == int(url.rsplit(":", 1)[1])
    served[0].close()


def test_an_impossible_port_is_a_usage_error(tmp_path, capsys):
    assert main(["serve", "--port", "70000", "--db", str(tmp_path / "db")]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err


def two_workers(db) -> tuple[subprocess.Popen, str]:
    """A mock with two workers on a free port, and its base URL."""
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--workers", "2", "--db"]
    process = subprocess.Popen(
        [*command, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return process, process.stdout.readline().strip()


def test_a_second_multi_worker_mock_cannot_take_the_port_of_a_first(tmp_path):
    """Workers share their port through SO_REUSEPORT on Linux; another mock cannot join them."""
    process, url = two_workers(tmp_path / "a")
    try:
        port = url.rsplit(":", 1)[1]
        second = [sys.executable, "-m", "mockserver", "--port", port, "--workers", "2"]
        done = subprocess.run(
            [*second, "--db", str(tmp_path / "b")], capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_new_connections_are_answered_after_the_first_worker_dies(tmp_path):
    process, url = two_workers(tmp_path / "db")
    try:
        requests.get(url + "/__admin/health", timeout=10)
        workers = sorted(
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(process.pid)
        )
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)  # the one serving the socket the parent bound
        time.sleep(0.5)
        fresh = {"Connection": "close"}  # each request a new connection, spread by the kernel
        for _ in range(20):
            answer = requests.get(url + "/__admin/health", timeout=3, headers=fresh)
            assert answer.status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)


def queue_warnings(tmp_path, *options: str) -> str:
    """The stderr of a mock kept busy: 12 logins at once, each held 300 ms by a fault, on
    waitress's 4 threads, so that requests wait in its task queue."""
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(tmp_path / "db")]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        url = process.stdout.readline().strip()
        fault = {"route": "/api/login", "delay_ms": 300, "times": 12}
        assert requests.post(url + "/__admin/faults", json=fault, timeout=10).status_code == 201
        with ThreadPoolExecutor(12) as pool:
            login = lambda _: requests.post(url + "/api/login", json={}, timeout=10)  # noqa: E731
            assert all(answer.status_code < 500 for answer in pool.map(login, range(12)))
    finally:
        process.terminate()
    return process.communicate(timeout=10)[1]


def test_waitress_queue_warnings_are_shown_only_with_verbose(tmp_path):
    assert "Task queue depth is" in queue_warnings(tmp_path, "--verbose")
    assert "Task queue depth is" not in queue_warnings(tmp_path)


def test_an_in_memory_database_is_refused_in_one_line(tmp_path):
    done = start_up(tmp_path, "--db", ":memory:")
    assert_one_line(done, "--db :memory: is not supported", "give a file name")
    assert not (tmp_path / ":memory:").exists()


def test_the_readme_synopsis_shows_every_serve_option():
    parser = argparse.ArgumentParser(add_help=False)
    serve_module.add_arguments(parser)
    options = {o for action in parser._actions for o in action.option_strings}
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    synopsis = readme.split("## Serve", 1)[1].split("`picsellia-mock serve ", 1)[1].split("`")[0]
    assert {o for o in options if o not in synopsis} == set()
    assert "`.venv/bin/picsellia-mock serve`" in readme.split("## Serve", 1)[1]


def test_the_banner_reads_its_routes_from_the_openapi_document():
    from mockserver import serve
    from mockserver.config import Config
    from picsellia_contract.routes import login_operation, operation

    text = serve.banner(Config(), "http://127.0.0.1:1", 1)
    assert f"serving login:    {login_operation('serving')}" in text
    assert f"monitoring login: {login_operation('monitoring')}" in text
    for operation_id in serve.BANNER_ADMIN_OPERATIONS:
        assert operation(operation_id).path in text
    source = Path(serve.__file__).read_text(encoding="utf-8")
    assert '"/api/' not in source and "/__admin/" not in source.replace("/__admin/*", "")
