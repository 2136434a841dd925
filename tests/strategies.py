"""Hypothesis strategies for every request message, written from the protocol facts.

Everything drawn here is valid with no problem at all (no warning either): images agree with
their declared type and size, class indexes are those of the demo deployments' labels, scores
lie in [0, 1], geometry lies inside the image.
"""

from __future__ import annotations

import base64
import functools
import io
import json

from hypothesis import strategies as st
from PIL import Image

from mockserver.config import DEMO_LABELS
from picsellia_contract.checks import monitorable_types
from picsellia_contract.geometry import geometry_of

MONITORABLE = monitorable_types()  # from the contract: common.json and the type schemas

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
names = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=20)
json_scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | text
json_objects = st.dictionaries(names, json_scalars, max_size=4)
CLASSES = st.integers(0, len(DEMO_LABELS) - 1)  # beyond: class_out_of_range on a demo deployment
latencies = st.integers(0, 30) | st.floats(0, 30, allow_nan=False, allow_infinity=False)


@functools.lru_cache(maxsize=256)
def image_bytes(fmt: str, width: int, height: int) -> bytes:
    """A plain image of the given format and size, made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (width * 3 % 256, height * 5 % 256, 90)).save(buffer, fmt)
    return buffer.getvalue()


@st.composite
def images(draw):
    """(bytes, content type as declared, width, height)."""
    fmt = draw(st.sampled_from(["PNG", "JPEG"]))
    width, height = draw(st.integers(1, 48)), draw(st.integers(1, 48))
    declared = "image/" + fmt.lower()
    declared = draw(st.sampled_from([declared, declared.upper()]))
    return image_bytes(fmt, width, height), declared, width, height


def _xy(width, height, integer=True):
    if integer:
        return st.tuples(st.integers(0, width), st.integers(0, height)).map(list)
    return st.tuples(
        st.floats(0, width, allow_nan=False), st.floats(0, height, allow_nan=False)
    ).map(list)


@st.composite
def _box(draw, width, height):
    y1, y2 = sorted(draw(st.lists(st.integers(0, height), min_size=2, max_size=2)))
    x1, x2 = sorted(draw(st.lists(st.integers(0, width), min_size=2, max_size=2)))
    return [y1, x1, y2, x2]


def _keypoints(width, height):
    keypoint = st.tuples(st.integers(0, width), st.integers(0, height), st.integers(0, 2))
    return st.lists(keypoint.map(list), min_size=1, max_size=5)


# How each shape an x-geometry annotation names is drawn.
SHAPES = {
    "box": _box,
    "polygon": lambda w, h: st.lists(_xy(w, h), min_size=3, max_size=6),
    "point": lambda w, h: _xy(w, h, integer=False),
    "keypoints": _keypoints,
    "polyline": lambda w, h: st.lists(_xy(w, h), min_size=2, max_size=5),
    "mask": lambda w, h: names,  # one opaque string per instance
}


@st.composite
def raw_predictions(draw, type_, width=64, height=48, min_size=0):
    """raw_predictions of one type, every list of the same length."""
    n = draw(st.integers(min_size, 4))
    raw = {
        "detection_classes": draw(st.lists(CLASSES, min_size=n, max_size=n)),
        "detection_scores": draw(
            st.lists(st.floats(0, 1, allow_nan=False), min_size=n, max_size=n)
        ),
    }
    geometry = geometry_of(type_)  # the key and shape from the type schema's x-geometry
    if geometry is not None:
        shapes = SHAPES[geometry.shape](width, height)
        raw[geometry.key] = draw(st.lists(shapes, min_size=n, max_size=n))
    texts = draw(st.sampled_from(["absent", "null", "list"]))
    if texts == "null":
        raw["detection_texts"] = None
    elif texts == "list":
        raw["detection_texts"] = draw(st.lists(text, min_size=n, max_size=n))
    return raw


cloud_images = st.fixed_dictionaries(
    {
        "connector_id": names,
        "client_type": st.sampled_from(["S3", "GCS", "AZURE"]),
        "bucket_name": names,
        "object_name": names,
    }
)


@st.composite
def monitoring_payloads(draw, type_=None, with_image=None):
    """A monitoring payload for a deployment of ``type_`` (drawn when None)."""
    type_ = type_ or draw(st.sampled_from(MONITORABLE))
    data, declared, width, height = draw(images())
    payload = {
        "filename": draw(names),
        "content_type": declared,
        "height": height,
        "width": width,
        "raw_predictions": draw(raw_predictions(type_, width, height)),
        "latency": draw(latencies),
    }
    use_image = draw(st.booleans()) if with_image is None else with_image
    if use_image:
        payload["image"] = base64.b64encode(data).decode("ascii")
    else:
        payload["cloud_image"] = draw(cloud_images)
    optional = {
        "source": text,
        "tags": st.lists(text, max_size=3),
        "metadata": json_objects,
        "custom_metadata": json_objects,
        "custom_metrics": st.dictionaries(names, st.floats(0, 1), max_size=3),
        "timestamp": st.floats(1_500_000_000, 1_790_000_000, allow_nan=False),
        "upload_dir": names,
        "sample": st.booleans(),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        payload[key] = draw(optional[key])
    if draw(st.booleans()):
        payload["shadow_latency"] = draw(latencies)
        payload["shadow_raw_predictions"] = draw(raw_predictions(type_, width, height))
    return payload


login_requests = st.fixed_dictionaries({"api_token": names, "deployment_id": names})
true_false = st.sampled_from(["True", "False"])
predict_forms = st.fixed_dictionaries(
    {"media": names},
    optional={
        "tags": st.lists(text, max_size=3),
        "source": text,
        "monitor": true_false,
        "postprocess": true_false,
        "upload_dir": names,
        "metadata": json_objects.map(json.dumps),
        "custom_metadata": json_objects.map(json.dumps),
    },
)
predict_v2_requests = st.fixed_dictionaries(
    {"cloud_image": cloud_images},
    optional={
        "tags": st.lists(text, max_size=3),
        "monitor": st.booleans(),
        "postprocess": st.booleans(),
        "source": text,
        "metadata": json_objects,
        "custom_metadata": json_objects,
    },
)
predict_shadow_v2_requests = st.fixed_dictionaries(
    {"prediction_id": names, "monitor": st.booleans(), "cloud_image": cloud_images}
)


@st.composite
def shadow_requests(draw, type_=None):
    type_ = type_ or draw(st.sampled_from(MONITORABLE))
    return {
        "shadow_raw_predictions": draw(raw_predictions(type_)),
        "shadow_latency": draw(latencies),
    }
