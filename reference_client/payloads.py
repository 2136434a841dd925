"""Building what the services expect from an image, and checking it before it is sent.

Reading the image's type and size needs only its first bytes: see
``picsellia_contract/images.py`` (PNG: bytes 16-24; JPEG: the first start-of-frame marker).
"""

from __future__ import annotations

import base64
import os
from typing import Any

from picsellia_contract import is_valid, validate
from picsellia_contract.images import image_size, sniff_content_type

from .errors import RequestInvalid


def read_image(image: str | os.PathLike | bytes, filename: str | None = None) -> tuple[bytes, str]:
    """(bytes, filename) of an image given as a path or as bytes."""
    if isinstance(image, bytes):
        return image, filename or "image"
    with open(image, "rb") as handle:
        return handle.read(), filename or os.path.basename(image)


def describe_image(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) from the image's own header; RequestInvalid if unreadable."""
    content_type, size = sniff_content_type(data), image_size(data)
    if content_type is None or size is None:
        problem = {
            "code": "image_not_png_or_jpeg",
            "pointer": "/image",
            "severity": "error",
            "message": "the file is not a readable PNG or JPEG image",
        }
        raise RequestInvalid("the file is not a readable PNG or JPEG image", [problem])
    return content_type, size[0], size[1]


def encode_image(data: bytes) -> str:
    """Standard base64 with padding and no line breaks, as the monitoring service wants it."""
    return base64.b64encode(data).decode("ascii")


def check(message: str, payload: Any, deployment_type: str | None = None) -> None:
    """Raise RequestInvalid, listing every problem, when ``payload`` breaks the contract."""
    problems = validate(message, payload, deployment_type=deployment_type)
    if not is_valid(problems):
        errors = [p for p in problems if p.severity == "error"]
        summary = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in errors[:3])
        raise RequestInvalid(f"{message}: {summary}", [p.as_dict() for p in problems])
