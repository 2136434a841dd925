"""Throughput of the mock (``--workers 2``) against a bare Flask baseline (gunicorn, 2 workers)
and against Prism, the OpenAPI mock server, in mock mode on the project's OpenAPI document.

    python bench/throughput.py [--seconds 3] [--rounds 3] [--connections 8] [--no-prism]

Loopback only, bounded in time. Needs ``wrk`` (Debian package ``wrk``) and, for Prism,
``npm ci --prefix bench`` (Node.js). For each of login, predict (a 64 KB PNG, multipart) and
monitoring (the same image in base64 with 50 boxes) it runs wrk against the mock, the baseline
(bench/baseline_app.py, which only parses the same body) and Prism, alternating, and prints
the median requests per second of each, the ratio mock / baseline and the ratio mock / Prism,
all measured in this one run. A server that fails some requests of a case is reported as such
for that case; the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from workload import (
    CONFIG,
    DEPLOYMENT,
    ROOT,
    free_port,
    monitoring_body,
    multipart,
    png_64kb,
    wait_until_up,
)

PRISM = ROOT / "bench" / "node_modules" / ".bin" / "prism"
LUA = """
wrk.method = "POST"
local f = io.open("{body}", "rb"); wrk.body = f:read("*a"); f:close()
wrk.headers["Content-Type"] = "{content_type}"
{auth}
"""


class Failed(Exception):
    """A server answered some requests of a case with an error, or stopped answering."""


def run_wrk(url: str, body: bytes, content_type: str, token: str | None, args, tmp: Path) -> float:
    body_file = tmp / f"body-{abs(hash(url))}"
    body_file.write_bytes(body)
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    script = tmp / "script.lua"
    script.write_text(LUA.format(body=body_file, content_type=content_type, auth=auth))
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script), url]
    timeout = args.seconds + 30
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failed("wrk did not finish") from None
    output = done.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if done.returncode != 0 or rate is None:
        raise Failed(f"wrk failed: {done.stderr.strip() or output.strip()}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if non_2xx or (errors and any(int(n) for n in errors.groups())):
        found = non_2xx.group(0) if non_2xx else errors.group(0)
        raise Failed(found)
    return float(rate.group(1))


def start(command: list[str], cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_servers(tmp: Path, use_prism: bool) -> dict[str, tuple[str, subprocess.Popen]]:
    """The mock, the baseline and (if wanted and installed) Prism: name -> (url, process)."""
    (tmp / "mock.toml").write_text(CONFIG)
    ports = {name: free_port() for name in ("mock", "baseline", "prism")}
    mock = [sys.executable, "-m", "mockserver", "--port", str(ports["mock"]), "--workers", "2"]
    mock += ["--config", str(tmp / "mock.toml"), "--db", str(tmp / "mock.sqlite3")]
    baseline = [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4"]
    baseline += ["-b", f"127.0.0.1:{ports['baseline']}", "bench.baseline_app:app"]
    servers = {"mock": start(mock), "baseline": start(baseline, cwd=ROOT)}
    if use_prism and PRISM.exists():
        servers["prism"] = start_prism(ports["prism"])
    elif use_prism:
        print(f"Prism is not installed ({PRISM}): run npm ci --prefix bench", file=sys.stderr)
    urls = {name: f"http://127.0.0.1:{ports[name]}" for name in servers}
    wait_until_up(urls["mock"] + "/__admin/health")
    wait_until_up(urls["baseline"] + "/")
    if "prism" in servers:
        wait_until_up(urls["prism"] + "/")
    return {name: (urls[name], process) for name, process in servers.items()}


def start_prism(port: int) -> subprocess.Popen:
    """Prism in mock mode on the OpenAPI document, logging warnings only."""
    document = ROOT / "schemas" / "openapi.bundled.json"
    command = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn"]
    return start([*command, str(document)])


def revive_prism(servers: dict) -> str | None:
    """A new Prism in place of one that died during the last case; what to say about it."""
    if "prism" not in servers or servers["prism"][1].poll() is None:
        return None
    url, dead = servers["prism"]
    servers["prism"] = (url, start_prism(int(url.rsplit(":", 1)[1])))
    wait_until_up(url + "/")
    return f"Prism exited (status {dead.returncode}) and was restarted for the next case"


def cases() -> tuple[list[tuple], dict[str, str]]:
    """(name, baseline path, body, content type, needs a token) for each request type, and the
    path of each type on the mock (and on Prism: the same document)."""
    login = json.dumps({"api_token": "bench-token", "deployment_id": DEPLOYMENT}).encode()
    image = png_64kb()
    form, form_type = multipart(image)
    predict = f"/api/deployments/{DEPLOYMENT}/predict"
    monitor = f"/api/deployment/{DEPLOYMENT}/predictions"
    return [
        ("login", {"baseline": "/login"}, login, "application/json", False),
        ("predict", {"baseline": "/predict"}, form, form_type, True),
        (
            "monitoring",
            {"baseline": "/predictions"},
            monitoring_body(image),
            "application/json",
            True,
        ),
    ], {"login": "/api/login", "predict": predict, "monitoring": monitor}


def tokens(mock_url: str) -> dict[str, str]:
    """A real JWT of each service for the mock (Prism checks only that a bearer token is sent)."""
    login = {"api_token": "bench-token", "deployment_id": DEPLOYMENT}
    serving = requests.post(mock_url + "/api/login", json=login, timeout=10).json()["jwt"]
    monitoring = requests.post(mock_url + "/api/auth/login", json=login, timeout=10).json()["jwt"]
    return {"predict": serving, "monitoring": monitoring}


def measure(servers, name, paths, body, content_type, token, args, tmp) -> dict[str, object]:
    """Median req/s per server over the rounds, alternating servers; a failure note instead."""
    rates: dict[str, list[float]] = {server: [] for server in servers}
    failed: dict[str, str] = {}
    for _ in range(args.rounds):  # alternate, so that drift hits all alike
        for server, (url, _process) in servers.items():
            if server in failed:
                continue
            try:
                rates[server].append(
                    run_wrk(
                        url + paths[server],
                        body,
                        content_type,
                        token if server != "baseline" else None,
                        args,
                        tmp,
                    )
                )
            except Failed as exc:
                failed[server] = str(exc)
            os.sync()  # the mock's database writes are flushed now, not during the next run
            settle([process for _url, process in servers.values()])
    return {s: failed.get(s) or statistics.median(rates[s]) for s in servers}


def settle(processes: list[subprocess.Popen], longest: float = 15.0) -> None:
    """Wait until the servers are idle (together under a fifth of a core over a quarter of a
    second), so that one server's leftover work does not slow the next one's run: Prism goes on
    working for seconds after a predict run. Linux (/proc); elsewhere, a one-second pause."""
    if not Path("/proc/self/stat").exists():
        time.sleep(1)
        return
    deadline = time.monotonic() + longest
    used = cpu_seconds(processes)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_seconds(processes)
        if now - used < 0.05:
            return
        used = now


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """User and system CPU time of the processes and their children (one level: the workers)."""
    roots = {process.pid for process in processes}
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) in roots or int(fields[1]) in roots:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def show(value: object, width: int) -> str:
    return f"{value:>{width}.1f}" if isinstance(value, float) else f"{'failed':>{width}}"


def ratio(ours: object, theirs: object) -> str:
    both = isinstance(ours, float) and isinstance(theirs, float)
    return f"{ours / theirs:>8.2f}" if both else f"{'-':>8}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per case and server")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-prism", action="store_true", help="skip the Prism comparison")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="picsellia-bench-"))
    servers = start_servers(tmp, not args.no_prism)
    try:
        mock_url = servers["mock"][0]
        jwt = tokens(mock_url)
        requests_, mock_paths = cases()
        print(
            f"{args.rounds} x {args.seconds} s per case and server, {args.connections} "
            f"connections, wrk -t2; medians; load average {os.getloadavg()[0]:.2f}"
        )
        print(f"{'case':<12}{'mock':>9}{'baseline':>10}{'prism':>9}{'/base':>8}{'/prism':>8}")
        notes = []
        for name, paths, body, content_type, needs_token in requests_:
            paths = {**paths, "mock": mock_paths[name], "prism": mock_paths[name]}
            token = jwt[name] if needs_token else None
            got = measure(servers, name, paths, body, content_type, token, args, tmp)
            prism = got.get("prism", "not run")
            print(
                f"{name:<12}{show(got['mock'], 9)}{show(got['baseline'], 10)}{show(prism, 9)}"
                f"{ratio(got['mock'], got['baseline'])}{ratio(got['mock'], prism)}"
            )
            notes += [
                f"{name}: {server} {why}" for server, why in got.items() if isinstance(why, str)
            ]
            revived = revive_prism(servers)
            if revived:
                notes.append(f"{name}: {revived}")
        for note in notes:
            print("  " + note)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        for _url, process in servers.values():
            process.terminate()
            process.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)  # the mock's database: hundreds of MB
    return 0


if __name__ == "__main__":
    sys.exit(main())
