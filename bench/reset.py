"""What a reset costs on a large store: time, and the disk it leaves in use.

    python bench/reset.py [--images 400] [--megabytes 5]

Loopback-free (the app is driven in this process, with Flask's test client), bounded by the
sizes given. It stores ``--images`` PNGs of ``--megabytes`` MB through the monitoring route
(the stored-image budget raised above them), then times ``POST /__admin/reset`` and prints the
database file and its write-ahead log before and after. Targets (issue 21): a 2 GiB store reset
in under 5 s, the disk in use not doubled, the space given back.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import png_of  # noqa: E402
from workload import monitoring_body  # noqa: E402

from mockserver.app import create_app  # noqa: E402
from mockserver.config import Config  # noqa: E402


def sizes(db: Path) -> str:
    def mib(path: Path) -> str:
        return f"{path.stat().st_size / 2**20:.0f} MiB" if path.exists() else "none"

    return f"file {mib(db)}, WAL {mib(Path(str(db) + '-wal'))}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    image, side = png_of(args.megabytes)
    db = Path(tempfile.mkdtemp(prefix="bench-reset-")) / "mock.sqlite3"
    config = Config(db_path=str(db), reject_duplicates=False)
    config.max_stored_image_bytes = len(image) * (args.images + 1)
    client = create_app(config).test_client()
    deployment = next(d for d in config.deployments.values() if d.type == "OBJECT_DETECTION")
    login = {"api_token": deployment.api_tokens[0], "deployment_id": deployment.id}
    jwt = client.post("/api/auth/login", json=login).json["jwt"]
    body = monitoring_body(image, side)
    url = f"/api/deployment/{deployment.id}/predictions"
    started = time.perf_counter()
    for _ in range(args.images):
        answer = client.post(url, data=body, headers={"Authorization": "Bearer " + jwt})
        assert answer.status_code == 201, answer.json
    print(f"stored {args.images} images in {time.perf_counter() - started:.0f} s: {sizes(db)}")
    started = time.perf_counter()
    assert client.post("/__admin/reset", json={}).status_code == 200
    print(f"reset in {time.perf_counter() - started:.2f} s: {sizes(db)}")
    for path in db.parent.iterdir():
        os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
