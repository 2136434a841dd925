"""Memory of one mock worker for one large image, on monitoring and on predict.

    python bench/memory.py [--megabytes 20]

Loopback only, bounded in time, Linux only (reads /proc). For each case a fresh mock is started
(``--workers 1``, so the server process is the worker), warmed with one small request of the
same kind, then its peak RSS is reset (``/proc/PID/clear_refs``) and one request carrying a
PNG of ``--megabytes`` MB is sent: base64 in JSON to ``POST /api/deployment/{id}/predictions``
(monitoring) and multipart to ``POST /api/deployments/{id}/predict`` (predict). It prints the
body's size, the worker's RSS when idle, its peak growth during the request (VmHWM - idle) as
bytes and as a multiple of the body, and its RSS after the request less the idle RSS.
Targets (issue 9): peak growth at most 3x the body, and back within 20 MB of idle.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import CONFIG, DEPLOYMENT, monitoring_body, multipart, png_64kb  # noqa: E402

MB = 1_000_000
PEAK_TARGET = 3.0  # peak growth / body
AFTER_TARGET = 20 * MB  # RSS after the request, above idle


def png_of(megabytes: float) -> tuple[bytes, int]:
    """A square PNG of about ``megabytes`` MB (random pixels do not compress), and its side."""
    side = int((megabytes * MB / 3) ** 0.5)
    pixels = random.Random(11).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue(), side


def status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid``, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024
    return found


def start_mock(tmp: Path, dedupe: bool) -> tuple[subprocess.Popen, str]:
    config = CONFIG.replace("reject_duplicates = false", "reject_duplicates = true")
    (tmp / "mock.toml").write_text(config if dedupe else CONFIG)
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--workers", "1"]
    command += ["--config", str(tmp / "mock.toml"), "--db", str(tmp / "mock.sqlite3")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    url = process.stdout.readline().decode().strip()
    if not url.startswith("http://"):
        raise SystemExit("the mock did not start")
    return process, url


def send(url: str, case: str, image: bytes, side: int, tokens: dict[str, str]) -> None:
    if case == "monitoring":
        path = f"/api/deployment/{DEPLOYMENT}/predictions"
        body, content_type = monitoring_body(image, side), "application/json"
    else:
        path = f"/api/deployments/{DEPLOYMENT}/predict"
        body, content_type = multipart(image)
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {tokens[case]}"}
    response = requests.post(url + path, data=body, headers=headers, timeout=120)
    if response.status_code >= 300:
        raise SystemExit(f"{case}: {response.status_code} {response.text[:500]}")


def measure(case: str, image: bytes, side: int, body_size: int, dedupe: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="picsellia-memory-") as folder:
        process, url = start_mock(Path(folder), dedupe)
        try:
            login = {"api_token": "bench-token", "deployment_id": DEPLOYMENT}
            tokens = {
                "predict": requests.post(url + "/api/login", json=login, timeout=10).json()["jwt"],
                "monitoring": requests.post(url + "/api/auth/login", json=login, timeout=10).json()[
                    "jwt"
                ],
            }
            send(url, case, png_64kb(), 148, tokens)  # warm: code loaded, caches filled
            time.sleep(0.5)
            Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
            idle = status(process.pid)["VmRSS"]
            send(url, case, image, side, tokens)
            time.sleep(1.0)
            after = status(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=20)
    growth = after["VmHWM"] - idle
    return {
        "body": body_size,
        "idle": idle,
        "peak_growth": growth,
        "ratio": growth / body_size,
        "after": after["VmRSS"] - idle,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0, help="size of the PNG")
    parser.add_argument(
        "--reject-duplicates",
        action="store_true",
        help="the config's default (the benchmarks turn it off): a monitored record then has a "
        "duplicate key, after the image in the row, so SQLite builds the row whole",
    )
    args = parser.parse_args()
    image, side = png_of(args.megabytes)
    sizes = {
        "monitoring": len(monitoring_body(image, side)),
        "predict": len(multipart(image)[0]),
    }
    dedupe = "on" if args.reject_duplicates else "off"
    print(f"image {len(image) / MB:.1f} MB; one fresh --workers 1 mock per case")
    print(f"reject_duplicates {dedupe}")
    header = f"{'case':<12}{'body MB':>9}{'idle MB':>9}{'peak +MB':>10}{'x body':>8}"
    print(header + f"{'after +MB':>11}  verdict")
    failed = False
    for case in ("monitoring", "predict"):
        got = measure(case, image, side, sizes[case], args.reject_duplicates)
        ok = got["ratio"] <= PEAK_TARGET and got["after"] <= AFTER_TARGET
        failed |= not ok
        print(
            f"{case:<12}{got['body'] / MB:>9.1f}{got['idle'] / MB:>9.1f}"
            f"{got['peak_growth'] / MB:>10.1f}{got['ratio']:>8.2f}{got['after'] / MB:>11.1f}"
            f"  {'ok' if ok else 'over target'}"
        )
        print(json.dumps({"case": case, **got}), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
