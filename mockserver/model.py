"""The simulated model: a deterministic prediction of the deployment's type.

The prediction is a function of the input (image bytes or cloud image reference), the deployment
and the seed: the same request always gets the same answer. Geometry lies inside the image and
classes index the deployment's labels.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from .config import Deployment

DEFAULT_CLASS_COUNT = 5


def predict(deployment: Deployment, data: bytes, size: tuple[int, int], seed: int) -> dict:
    """raw_predictions for ``data`` (the image bytes, or a stable key for a cloud image)."""
    digest = hashlib.sha256(b"%d|%s|" % (seed, deployment.id.encode()) + data).digest()
    rng = random.Random(digest)
    width, height = size
    classes = len(deployment.labels) or DEFAULT_CLASS_COUNT
    count = 1 if deployment.type == "CLASSIFICATION" else rng.randint(1, 3)
    raw: dict[str, Any] = {
        "detection_classes": [rng.randrange(classes) for _ in range(count)],
        "detection_scores": [round(rng.uniform(0.05, 0.99), 4) for _ in range(count)],
        "detection_texts": None,
    }
    geometry = GEOMETRY.get(deployment.type)
    if geometry:
        key, draw = geometry
        raw[key] = [draw(rng, width, height) for _ in range(count)]
    return raw


def latency(data: bytes) -> float:
    """A plausible, deterministic model latency in seconds."""
    return round(0.005 + (hashlib.sha256(data).digest()[0] / 255) * 0.045, 4)


def _xy(rng: random.Random, width: int, height: int) -> list[int]:
    return [rng.randint(0, width), rng.randint(0, height)]


def _box(rng: random.Random, width: int, height: int) -> list[int]:
    y1, y2 = sorted(rng.randint(0, height) for _ in range(2))
    x1, x2 = sorted(rng.randint(0, width) for _ in range(2))
    return [y1, x1, y2, x2]


def _polygon(rng: random.Random, width: int, height: int) -> list[list[int]]:
    return [_xy(rng, width, height) for _ in range(rng.randint(3, 6))]


def _line(rng: random.Random, width: int, height: int) -> list[list[int]]:
    return [_xy(rng, width, height) for _ in range(rng.randint(2, 4))]


def _keypoints(rng: random.Random, width: int, height: int) -> list[list[int]]:
    return [[*_xy(rng, width, height), rng.randint(0, 2)] for _ in range(5)]


def _mask(rng: random.Random, width: int, height: int) -> str:
    return f"mock-mask-{width}x{height}-{rng.getrandbits(64):016x}"


GEOMETRY = {
    "OBJECT_DETECTION": ("detection_boxes", _box),
    "SEGMENTATION": ("detection_masks", _polygon),
    "POINT": ("points", _xy),
    "KEYPOINT": ("keypoints", _keypoints),
    "LINE": ("lines", _line),
    "MASK": ("detection_masks", _mask),
}
