"""Throughput of the mock against a bare Flask baseline, both under gunicorn with 2 workers.

    python bench/throughput.py [--seconds 3] [--rounds 3] [--connections 8]

Loopback only, bounded in time. Needs ``wrk`` (Debian package ``wrk``). For each of login,
predict (a 64 KB PNG, multipart) and monitoring (the same image in base64 with 50 boxes) it runs
wrk against the mock and against bench/baseline_app.py, which only parses the same body, and
prints requests per second and the ratio mock / baseline, all measured in this one run.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DEPLOYMENT = "bench-object-detection"
CONFIG = f"""
reject_duplicates = false
[[deployments]]
id = "{DEPLOYMENT}"
type = "OBJECT_DETECTION"
labels = ["a", "b", "c"]
api_tokens = ["bench-token"]
"""
LUA = """
wrk.method = "POST"
local f = io.open("{body}", "rb"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "{content_type}"
{auth}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def png_64kb() -> bytes:
    rng = random.Random(7)
    side = 148
    pixels = bytes(rng.getrandbits(8) for _ in range(side * side * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(image: bytes) -> tuple[bytes, str]:
    boundary = "benchboundary7d1f"
    parts = [("monitor", "False"), ("postprocess", "False")]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in parts
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="b.png"'
            f"\r\n\r\n"
        ).encode()
        + image
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def monitoring_body(image: bytes, side: int = 148) -> bytes:
    rng = random.Random(3)
    boxes = []
    for _ in range(50):
        y1, x1 = rng.randint(0, 100), rng.randint(0, 100)
        boxes.append([y1, x1, y1 + rng.randint(1, 47), x1 + rng.randint(1, 47)])
    payload = {
        "filename": "b.png",
        "content_type": "IMAGE/PNG",
        "height": side,
        "width": side,
        "image": base64.b64encode(image).decode(),
        "raw_predictions": {
            "detection_classes": [rng.randrange(3) for _ in boxes],
            "detection_scores": [round(rng.random(), 3) for _ in boxes],
            "detection_boxes": boxes,
            "detection_texts": None,
        },
        "latency": 0.1,
        "tags": [],
    }
    return json.dumps(payload).encode()


def run_wrk(url: str, body: bytes, content_type: str, token: str | None, args, tmp: Path) -> float:
    body_file = tmp / f"body-{abs(hash(url))}"
    body_file.write_bytes(body)
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    script = tmp / "script.lua"
    script.write_text(LUA.format(body=body_file, content_type=content_type, auth=auth))
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per case and server")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="picsellia-bench-"))
    (tmp / "mock.toml").write_text(CONFIG)
    mock_port, base_port = free_port(), free_port()
    mock = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "--port",
            str(mock_port),
            "--workers",
            "2",
            "--config",
            str(tmp / "mock.toml"),
            "--db",
            str(tmp / "mock.sqlite3"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    baseline = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{base_port}",
            "bench.baseline_app:app",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        mock_url, base_url = f"http://127.0.0.1:{mock_port}", f"http://127.0.0.1:{base_port}"
        wait_until_up(mock_url + "/__admin/health")
        wait_until_up(base_url + "/")
        login = json.dumps({"api_token": "bench-token", "deployment_id": DEPLOYMENT}).encode()
        serving = requests.post(mock_url + "/api/login", data=login, timeout=10).json()["jwt"]
        mon = requests.post(mock_url + "/api/auth/login", data=login, timeout=10).json()["jwt"]
        image = png_64kb()
        form, form_type = multipart(image)
        cases = [
            ("login", "/api/login", "/login", login, "application/json", None),
            (
                "predict",
                f"/api/deployments/{DEPLOYMENT}/predict",
                "/predict",
                form,
                form_type,
                serving,
            ),
            (
                "monitoring",
                f"/api/deployment/{DEPLOYMENT}/predictions",
                "/predictions",
                monitoring_body(image),
                "application/json",
                mon,
            ),
        ]
        print(
            f"image {len(image)} bytes; {args.rounds} x {args.seconds} s per case and server, "
            f"{args.connections} connections; medians"
        )
        print(f"{'case':<12}{'mock req/s':>12}{'baseline req/s':>16}{'ratio':>8}")
        for name, mock_path, base_path, body, content_type, token in cases:
            ours, theirs = [], []
            for _ in range(args.rounds):  # alternate, so that drift hits both alike
                ours.append(run_wrk(mock_url + mock_path, body, content_type, token, args, tmp))
                os.sync()  # the mock's database writes are flushed now, not during the baseline
                theirs.append(run_wrk(base_url + base_path, body, content_type, None, args, tmp))
            mock_rate, base_rate = statistics.median(ours), statistics.median(theirs)
            print(f"{name:<12}{mock_rate:>12.1f}{base_rate:>16.1f}{mock_rate / base_rate:>8.2f}")
    finally:
        for process in (mock, baseline):
            process.terminate()
            process.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
