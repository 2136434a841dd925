"""What ``check-live --write`` sends: a tiny image, the predict parts, one monitoring payload.

Everything it stores is marked: ``source`` is ``SOURCE`` and the tags hold ``TAG``, so that the
user can find it on the platform and delete it. The image is built here (no image library) and
carries the run's id, so that two runs never post the same bytes.
"""

from __future__ import annotations

import base64
import struct
import zlib

from picsellia_contract import load_schema, validate
from picsellia_contract.checks import monitorable_types
from picsellia_contract.geometry import type_schema_name
from picsellia_contract.images import image_size, sniff_content_type

SOURCE = "picsellia-contract-kit check-live"
TAG = "picsellia-check-live"


def tiny_png(text: str, size: int = 8) -> bytes:
    """A ``size`` x ``size`` grey PNG whose tEXt chunk ``Comment`` holds ``text``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + bytes([128]) * size for _ in range(size))  # filter 0, mid grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1", "replace"))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def empty_prediction(deployment_type: str) -> dict[str, list]:
    """The smallest valid raw_predictions of a type: each required key of its schema, empty.

    ValueError for a type that cannot be monitored (it has no raw predictions schema).
    """
    if deployment_type not in monitorable_types():
        raise ValueError(f"a {deployment_type} deployment cannot be monitored")
    schema = load_schema(type_schema_name(deployment_type))
    return {key: [] for key in schema["required"]}


def predict_fields() -> list[tuple[str, str]]:
    """The text parts of the predict, as the SDK sends them: tags, monitor, postprocess, source.

    ``monitor=False`` asks the service to store nothing.
    """
    return [("tags", TAG), ("monitor", "False"), ("postprocess", "False"), ("source", SOURCE)]


def monitoring_payload(
    image: bytes, filename: str, deployment_type: str, latency: float
) -> dict[str, object]:
    """A monitoring-prediction-request.json body for ``image`` with an empty prediction.

    Content type and size come from the image's header; the content type is written in upper
    case, as the SDK writes it. ValueError when the body breaks the contract (an unreadable
    image, a type that cannot be monitored).
    """
    raw_predictions = empty_prediction(deployment_type)
    content_type, size = sniff_content_type(image), image_size(image)
    if content_type is None or size is None:
        raise ValueError("the image is not a PNG or JPEG whose size can be read")
    payload = {
        "filename": filename,
        "content_type": content_type.upper(),
        "height": size[1],
        "width": size[0],
        "image": base64.b64encode(image).decode("ascii"),
        "raw_predictions": raw_predictions,
        "latency": float(latency),
        "tags": [TAG],
        "source": SOURCE,
    }
    errors = [
        p
        for p in validate("monitoring-prediction-request", payload, deployment_type=deployment_type)
        if p.severity == "error"
    ]
    if errors:
        raise ValueError(f"{errors[0].pointer or '/'}: {errors[0].message}")
    return payload
