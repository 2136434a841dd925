"""Driving Debian's Chromium from pytest (Playwright on the system browser, never a download),
and posting predictions to a live mock through its real HTTP API."""

from __future__ import annotations

import base64
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image, ImageDraw

from .helpers import require

require("playwright", "browser")
from playwright.sync_api import sync_playwright  # noqa: E402, F401 - the browser tests' entry

CHROMIUM = Path(os.environ.get("PICSELLIA_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    "browser tests drive Debian's Chromium at {path}, which is missing: install it with "
    "`apt-get install -y chromium` (or set PICSELLIA_CHROMIUM to a Chromium binary); "
    "Playwright's own browser download is not used"
)

# Each drawn shape as the page's SVG overlay (or badge) gives it back: kind, instance index,
# and the attributes that place it.
READ_SHAPES = """els => els.map(e => ({
  kind: e.dataset.kind, index: Number(e.dataset.index), tag: e.tagName.toLowerCase(),
  vertex: e.dataset.vertex === undefined ? null : Number(e.dataset.vertex),
  visibility: e.dataset.visibility === undefined ? null : Number(e.dataset.visibility),
  x: e.getAttribute("x"), y: e.getAttribute("y"), width: e.getAttribute("width"),
  height: e.getAttribute("height"), cx: e.getAttribute("cx"), cy: e.getAttribute("cy"),
  points: e.getAttribute("points"), title: e.getAttribute("title"),
  text: e.innerText !== undefined ? e.innerText : e.textContent,
  warned: e.classList.contains("warned"), warnings: e.dataset.warnings || "",
}))"""


def launch(playwright) -> Any:
    """Debian's Chromium, headless, with nothing reaching outside the loopback."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING.format(path=CHROMIUM), pytrace=False)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def shape_of(found: dict) -> tuple:
    """(kind, index, where): a drawn shape reduced to what a test compares."""
    kind, index = found["kind"], found["index"]
    if kind == "box":
        where = tuple(float(found[k]) for k in ("x", "y", "width", "height"))
    elif kind in ("polygon", "line"):
        where = tuple(tuple(float(v) for v in p.split(",")) for p in found["points"].split())
    elif kind == "point":
        where = (float(found["cx"]), float(found["cy"]))
    elif kind == "keypoint":
        where = (found["vertex"], float(found["cx"]), float(found["cy"]), found["visibility"])
    elif kind == "mask":
        where = found["title"]
    else:
        where = found["text"].strip()
    return kind, index, where


def photo(size: tuple[int, int]) -> bytes:
    """A PNG with something to see under the shapes."""
    picture = Image.new("RGB", size, (62, 96, 140))
    draw = ImageDraw.Draw(picture)
    width, height = size
    for x in range(0, width, 16):
        draw.line([(x, 0), (x, height)], fill=(78, 114, 158))
    draw.ellipse([width * 0.3, height * 0.2, width * 0.7, height * 0.85], fill=(214, 176, 92))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def monitor(mock, type_: str, raw: dict, size=(160, 120), times: int = 1, **fields: Any) -> dict:
    """Log in to monitoring and POST a prediction for the demo deployment of ``type_`` (``times``
    times, each under its own filename; a field given as None is left out); returns the last
    201 answer."""
    deployment = mock.deployments[type_]
    with requests.Session() as session:
        login = {"api_token": mock.api_token, "deployment_id": deployment}
        jwt = session.post(f"{mock.base_url}/api/auth/login", json=login, timeout=10).json()["jwt"]
        body = {
            "filename": f"{type_.lower()}.png",
            "content_type": "image/png",
            "width": size[0],
            "height": size[1],
            "image": base64.b64encode(photo(size)).decode("ascii"),
            "raw_predictions": raw,
            "latency": 0.05,
            **fields,
        }
        body = {key: value for key, value in body.items() if value is not None}
        route = f"{mock.base_url}/api/deployment/{deployment}/predictions"
        for n in range(times):
            named = {**body, "filename": f"{n}-{body['filename']}"} if times > 1 else body
            answer = session.post(route, json=named, headers={"Authorization": f"Bearer {jwt}"})
            assert answer.status_code == 201, answer.text
    return answer.json()


def count_becomes(page, selector: str, count: int, timeout: float = 10.0) -> None:
    """Wait until ``selector`` matches ``count`` elements. Polled from Python: the page's CSP
    forbids the string evaluation ``page.wait_for_function`` relies on."""
    deadline = time.monotonic() + timeout
    while page.locator(selector).count() != count:
        if time.monotonic() > deadline:
            found = page.locator(selector).count()
            pytest.fail(f"{selector!r} matched {found} elements, not {count}, after {timeout} s")
        time.sleep(0.05)


def open_page(page, mock, path: str, predictions: int | None = None):
    page.goto(mock.base_url + path)
    if predictions is not None:
        page.wait_for_selector(f"body[data-predictions='{predictions}']", timeout=10_000)
