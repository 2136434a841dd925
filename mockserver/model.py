"""The simulated model: a deterministic prediction of the deployment's type.

The prediction is a function of the input (image bytes or cloud image reference), the deployment
and the seed: the same request always gets the same answer. Its geometry key and shape come
from the type's schema (``x-geometry``); every shape lies inside the image, has an area or a
length (no zero-width box, no polygon or line whose points coincide), and classes index the
deployment's labels.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from picsellia_contract.geometry import geometry_of

from .config import Deployment

DEFAULT_CLASS_COUNT = 5
KEYPOINTS_PER_INSTANCE = 5


def predict(deployment: Deployment, data: bytes, size: tuple[int, int], seed: int) -> dict:
    """raw_predictions for ``data`` (the image bytes, or a stable key for a cloud image)."""
    hasher = hashlib.sha256(b"%d|%s|" % (seed, deployment.id.encode()))
    hasher.update(data)  # not prefix + data: that would copy a large image once more
    digest = hasher.digest()
    rng = random.Random(digest)
    width, height = max(size[0], 1), max(size[1], 1)
    classes = len(deployment.labels) or DEFAULT_CLASS_COUNT
    count = 1 if deployment.type == "CLASSIFICATION" else rng.randint(1, 3)
    raw: dict[str, Any] = {
        "detection_classes": [rng.randrange(classes) for _ in range(count)],
        "detection_scores": [round(rng.uniform(0.05, 0.99), 4) for _ in range(count)],
        "detection_texts": None,
    }
    geometry = geometry_of(deployment.type)
    if geometry is not None:
        draw = SHAPES[geometry.shape]
        raw[geometry.key] = [draw(rng, width, height) for _ in range(count)]
    return raw


def latency(data: bytes) -> float:
    """A plausible, deterministic model latency in seconds."""
    return round(0.005 + (hashlib.sha256(data).digest()[0] / 255) * 0.045, 4)


def _span(rng: random.Random, limit: int) -> tuple[int, int]:
    """Two distinct coordinates in [0, limit], smaller first."""
    low = rng.randint(0, limit - 1)
    return low, rng.randint(low + 1, limit)


def _xy(rng: random.Random, width: int, height: int) -> list[int]:
    return [rng.randint(0, width), rng.randint(0, height)]


def _box(rng: random.Random, width: int, height: int) -> list[int]:
    (y1, y2), (x1, x2) = _span(rng, height), _span(rng, width)
    return [y1, x1, y2, x2]


def _polygon(rng: random.Random, width: int, height: int) -> list[list[int]]:
    """Vertices on the rim of a box, in order around it: a simple polygon with an area."""
    (y1, y2), (x1, x2) = _span(rng, height), _span(rng, width)
    corners = [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]
    return corners[: rng.randint(3, 4)]


def _line(rng: random.Random, width: int, height: int) -> list[list[int]]:
    """A polyline whose consecutive points differ."""
    points, wanted = [_xy(rng, width, height)], rng.randint(2, 4)
    while len(points) < wanted:
        point = _xy(rng, width, height)
        if point != points[-1]:
            points.append(point)
    return points


def _keypoints(rng: random.Random, width: int, height: int) -> list[list[int]]:
    return [[*_xy(rng, width, height), rng.randint(0, 2)] for _ in range(KEYPOINTS_PER_INSTANCE)]


def _mask(rng: random.Random, width: int, height: int) -> str:
    return f"mock-mask-{width}x{height}-{rng.getrandbits(64):016x}"


# How each shape named by an x-geometry annotation is drawn.
SHAPES = {
    "box": _box,
    "polygon": _polygon,
    "point": _xy,
    "keypoints": _keypoints,
    "polyline": _line,
    "mask": _mask,
}
