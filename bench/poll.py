"""What the web page's poll and the stats cost as the store grows: 10, 100, 1,000 stored images.

    python bench/poll.py [--sizes 10,100,1000] [--megabytes 5] [--repeat 15]

Loopback only, bounded (the sizes given), Linux only (reads /proc). One mock is started
(``--workers 1``: the server process is the worker) on a fresh SQLite file; PNGs of ``--megabytes``
MB are posted to monitoring until the store holds each size in turn, then the page's poll (``GET
/__web/predictions``, its default limit and ``?limit=1``) and the stats of three services (sums,
label counts, the latencies' KS drift) are timed (the fastest and the median of ``--repeat``, once
the posts' writes are flushed and the server idle: on a machine shared with other work the fastest
is the call's own cost, the median shows the load too), and the worker's RSS is read. It prints
each figure per size and the ratio of the largest size to the smallest. Target (issue 21): within
2x from 10 to 1,000 for time and memory: what a call costs follows what it shows, not what is
stored. The mock's image budget is raised to hold every image (``--default-budget``: keep the
default, 1 GiB, past which the oldest images are dropped), so the largest size stores 1,000 images
(about 5 GiB); the folder of the database is deleted at the end.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import png_of, status  # noqa: E402
from throughput import settle  # noqa: E402
from workload import free_port, wait_until_up  # noqa: E402

TYPE = "OBJECT_DETECTION"
RAW = {"detection_classes": [0], "detection_scores": [0.9], "detection_boxes": [[4, 6, 20, 30]]}


def timed(call, repeat: int) -> tuple[float, float]:
    """The fastest and the median seconds of ``repeat`` calls of ``call``."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - started)
        answer.raise_for_status()
    return min(seconds), statistics.median(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--default-budget", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    image, side = png_of(args.megabytes)
    folder = tempfile.mkdtemp(prefix="bench-poll-")
    config = Path(folder, "mock.toml")
    budget = 2 * max(sizes) * len(image)  # base64 text is not what is kept: the bytes are
    config.write_text("" if args.default_budget else f"max_stored_image_bytes = {budget}\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mockserver", "--port", str(port), "--workers", "1"]
    command += ["--config", str(config), "--db", f"{folder}/mock.sqlite3"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        wait_until_up(url)
        http = requests.Session()
        deployment = next(
            d
            for d in http.get(url + "/__admin/deployments").json()["deployments"]
            if d["type"] == TYPE
        )
        login = {"api_token": deployment["api_tokens"][0], "deployment_id": deployment["id"]}
        jwt = http.post(url + "/api/auth/login", json=login).json()["jwt"]
        auth = {"Authorization": "Bearer " + jwt}
        body = {
            "content_type": "image/png",
            "image": base64.b64encode(image).decode(),
            "width": side,
            "height": side,
            "raw_predictions": RAW,
            "latency": 0.1,
            "tags": ["bench"],
        }
        text = json.dumps({**body, "filename": "FILENAME"})  # each post its own name (the 409 rule)
        posts = url + f"/api/deployment/{deployment['id']}/predictions"
        stats = url + f"/api/deployment/{deployment['id']}/stats?service="
        calls = {
            "poll (page's limit)": lambda: http.get(url + "/__web/predictions"),
            "poll ?limit=1": lambda: http.get(url + "/__web/predictions?limit=1"),
        }
        for service in ("metrics", "label_distribution", "ks_drift"):
            calls[f"stats {service}"] = lambda s=service: http.get(stats + s, headers=auth)
        stored, rows = 0, []
        for size in sizes:
            started = time.perf_counter()
            while stored < size:
                named = text.replace("FILENAME", f"frame-{stored}.png")
                http.post(posts, data=named, headers=auth).raise_for_status()
                stored += 1
            filled = time.perf_counter() - started
            os.sync()  # the images' writes are flushed now, not while the calls are timed
            settle([server])
            figures = {name: timed(call, args.repeat) for name, call in calls.items()}
            rss = status(server.pid)["VmRSS"]
            rows.append((size, figures, rss))
            shown = ", ".join(
                f"{name} {low * 1000:.1f}/{middle * 1000:.1f} ms"
                for name, (low, middle) in figures.items()
            )
            disk = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
            print(f"{size:>5} images ({filled:.0f} s to store, {disk:.0f} MiB on disk):")
            print(f"      {shown} (fastest/median), worker RSS {rss / 1e6:.0f} MB", flush=True)
        first, last = rows[0], rows[-1]
        print(f"ratios {last[0]} / {first[0]} images (fastest, median):")
        for name in calls:
            low, middle = (last[1][name][i] / first[1][name][i] for i in (0, 1))
            print(f"  {name}: {low:.2f}x, {middle:.2f}x")
        print(f"  worker RSS: {last[2] / first[2]:.2f}x")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
