"""What the page's poll, the admin list and the stats read: the rows they show, never the
stored images (issue 21). Measured as the bytes the process reads from its files (Linux's
/proc/self/io rchar: SQLite reads its pages with pread, so a record's image read back shows as
its size); a reset gives the images' space back; the image budget reads an index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mockserver.app import create_app
from mockserver.config import Config
from mockserver.database import connect, initialise
from mockserver.store import Store

from .test_large_bodies import large_body, large_png

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/io")
STORED = 6  # images of about 1.5 MB each: 9 MB, past SQLite's page cache (2 MB)
RECORDS = 1_000  # records of 8 KiB images: about 1,000 pages of records, 4 MiB


def bytes_read() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def store_images(tmp_path) -> tuple:
    """A mock on its own file holding STORED large images: (client, deployment id, headers,
    the size of one image)."""
    config = Config(db_path=str(tmp_path / "costs.sqlite3"), reject_duplicates=False)
    client = create_app(config).test_client()
    deployment = next(d.id for d in config.deployments.values() if d.type == "CLASSIFICATION")
    login = {"api_token": "demo-api-token", "deployment_id": deployment}
    headers = {"Authorization": "Bearer " + client.post("/api/auth/login", json=login).json["jwt"]}
    image = large_png()
    body = large_body(image, "")  # the image encoded once, each post its own filename
    url = f"/api/deployment/{deployment}/predictions"
    for index in range(STORED):
        text = json.dumps({**body, "filename": f"{index}.png"})
        answer = client.post(url, data=text, headers=headers, content_type="application/json")
        assert answer.status_code == 201, answer.json
    return client, deployment, headers, len(image)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    return store_images(tmp_path_factory.mktemp("costs"))


@pytest.mark.parametrize(
    "route",
    [
        "/__web/predictions?limit=1",
        "/__web/predictions",
        "/__admin/deployments/{id}/predictions",
        "/api/deployment/{id}/stats?service=metrics",
        "/api/deployment/{id}/predictions/stats?service=label_distribution",
    ],
)
def test_lists_and_stats_read_no_image_bytes(stored, route):
    client, deployment, headers, image_size = stored
    before = bytes_read()
    answer = client.get(route.format(id=deployment), headers=headers)
    read = bytes_read() - before
    assert answer.status_code == 200, answer.json
    assert read < image_size // 4, f"{read} bytes read with {STORED} images of {image_size}"


def test_a_reset_gives_the_images_space_back(tmp_path):
    client, _, _, image_size = store_images(tmp_path)
    files = [tmp_path / "costs.sqlite3", tmp_path / "costs.sqlite3-wal"]
    assert sum(f.stat().st_size for f in files if f.exists()) > STORED * image_size
    assert client.post("/__admin/reset", json={}).status_code == 200
    left = sum(f.stat().st_size for f in files if f.exists())
    assert left < image_size, f"{left} bytes left after a reset"


def test_the_image_budget_reads_no_record_page(tmp_path):
    """After each stored image the budget sums the images kept: from an index, not by visiting
    every record (each record with an image over a page has a page of its own)."""
    path = str(tmp_path / "budget.sqlite3")
    initialise(path)
    db = connect(path)
    store = Store(db)
    for index in range(RECORDS):
        record = {key: None for key in ("dedupe_key", "shadow", "warnings")}
        record |= {"id": str(index), "deployment_id": "d", "received_at": float(index)}
        record |= {"timestamp": 1.0, "origin": "monitoring", "body": "{}", "image_sha256": "0"}
        record |= {"image": b"\x89PNG" * 2048, "image_size": 8192}
        store.add_prediction(record)
    before = bytes_read()
    assert store.drop_images_over(8192 * RECORDS - 1) == 1
    read = bytes_read() - before
    db.close()
    assert read < 64 * 1024, f"{read} bytes read for the budget of {RECORDS} records"
