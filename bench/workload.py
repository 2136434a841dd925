"""What the benchmarks send: the deployment, a 64 KB PNG, its multipart and monitoring bodies."""

from __future__ import annotations

import base64
import io
import json
import random
import socket
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
            f"\r\nContent-Type: image/png\r\n\r\n"  # Prism crashes on a file part without one
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
