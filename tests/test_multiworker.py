"""The command-line server under gunicorn: shared state across workers, data across restarts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mockserver.config import demo_deployments

from .helpers import sdk_payload

pytestmark = pytest.mark.slow  # a live server (or several): CI still runs these

CLIENTS, POSTS = 4, 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(db, port, workers):
    command = [sys.executable, "-m", "mockserver", "--port", str(port), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/__admin/health", timeout=1).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("the server did not start: " + (process.stdout.read() if process.stdout else ""))


def stop(process) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def test_two_workers_four_clients_store_every_post_once(tmp_path):
    db = tmp_path / "mock.sqlite3"
    deployment_id = next(d.id for d in demo_deployments().values() if d.type == "OBJECT_DETECTION")
    process, base = start(db, free_port(), workers=2)
    try:
        login = {"api_token": "demo-api-token", "deployment_id": deployment_id}
        token = requests.post(base + "/api/auth/login", json=login, timeout=10).json()["jwt"]
        url = f"{base}/api/deployment/{deployment_id}/predictions"

        def client(number: int) -> list[tuple[int, str]]:
            session = requests.Session()
            session.headers["Authorization"] = "Bearer " + token
            answers = []
            for post in range(POSTS):
                payload = dict(sdk_payload("OBJECT_DETECTION"), filename=f"c{number}-{post}.png")
                response = session.post(url, json=payload, timeout=30)
                answers.append((response.status_code, response.json().get("id")))
            return answers

        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [a for batch in pool.map(client, range(CLIENTS)) for a in batch]
        assert {status for status, _ in answers} == {201}
        ids = {ident for _, ident in answers}
        listed = requests.get(
            f"{base}/__admin/deployments/{deployment_id}/predictions", timeout=30
        ).json()
        assert listed["count"] == CLIENTS * POSTS == len(ids)
        assert {p["id"] for p in listed["predictions"]} == ids
    finally:
        output = stop(process)
    assert "Traceback" not in output

    process, base = start(db, free_port(), workers=1)
    try:
        listed = requests.get(
            f"{base}/__admin/deployments/{deployment_id}/predictions", timeout=30
        ).json()
        assert listed["count"] == CLIENTS * POSTS  # the data survived the restart
        info = requests.get(
            f"{base}/api/deployment/{deployment_id}",
            headers={"Authorization": "Bearer " + token},
            timeout=10,
        )
        assert info.status_code == 200  # a token from before the restart is still valid
    finally:
        stop(process)


def test_start_banner_prints_url_deployments_token_and_database(tmp_path):
    port = free_port()
    process, _ = start(tmp_path / "db.sqlite3", port, workers=1)
    output = stop(process)
    assert f"http://127.0.0.1:{port}" in output
    assert "demo-api-token" in output and str(tmp_path / "db.sqlite3") in output
    for deployment in demo_deployments().values():
        assert deployment.id in output and deployment.type in output


def test_kill_9_under_load_loses_no_acknowledged_record(tmp_path):
    """Every record answered 201 before the whole server is killed (SIGKILL, every process) is
    there after a restart on the same database, and a token from before still works."""
    import os
    import signal
    import threading

    db = tmp_path / "mock.sqlite3"
    deployment_id = next(d.id for d in demo_deployments().values() if d.type == "POINT")
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "--port", str(port), "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches every worker
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/__admin/health", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    login = {"api_token": "demo-api-token", "deployment_id": deployment_id}
    token = requests.post(base + "/api/auth/login", json=login, timeout=10).json()["jwt"]
    url = f"{base}/api/deployment/{deployment_id}/predictions"
    acknowledged: list[str] = []
    stop_posting = threading.Event()

    def post(number: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + token
        for index in range(10_000):
            if stop_posting.is_set():
                return
            payload = dict(sdk_payload("POINT"), filename=f"k{number}-{index}.png")
            try:
                answer = session.post(url, json=payload, timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])

    threads = [threading.Thread(target=post, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 15
    while len(acknowledged) < 30 and time.monotonic() < deadline:  # under load, then killed
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    stop_posting.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 20  # the load was real

    process, base = start(db, free_port(), workers=1)
    try:
        listed = requests.get(
            f"{base}/__admin/deployments/{deployment_id}/predictions", timeout=30
        ).json()
        stored = {p["id"] for p in listed["predictions"]}
        assert set(acknowledged) - stored == set()
        info = requests.get(
            f"{base}/api/deployment/{deployment_id}",
            headers={"Authorization": "Bearer " + token},
            timeout=10,
        )
        assert info.status_code == 200
    finally:
        stop(process)
