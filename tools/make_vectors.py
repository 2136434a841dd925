"""Write schemas/vectors/*.json: the language-neutral test vectors.

The expected verdicts, codes and pointers below are written by hand from the protocol facts;
nothing here calls the validator. Run from the repository root: ``python tools/make_vectors.py``.
Images are made with Pillow, so the output is the same on every run.
"""

from __future__ import annotations

import base64
import copy
import io
import json
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "schemas" / "vectors"
DEP = "6f1e3a52-0b7e-4c1a-9d3e-2f0c1b7a9e10"
CLOUD = {
    "connector_id": "c0ffee00-0000-4000-8000-000000000001",
    "client_type": "S3",
    "bucket_name": "my-bucket",
    "object_name": "frames/0001.png",
}


def image_bytes(fmt: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG", (64, 48))
JPEG = image_bytes("JPEG", (64, 48))
GUIDE_PNG = image_bytes("PNG", (800, 600))
B64 = base64.b64encode(PNG).decode()

SDK_RAW = {
    "CLASSIFICATION": {"detection_classes": [1], "detection_scores": [0.87]},
    "OBJECT_DETECTION": {
        "detection_classes": [0, 2],
        "detection_scores": [0.91, 0.45],
        "detection_boxes": [[4, 6, 20, 30], [10, 12, 40, 60]],
    },
    "SEGMENTATION": {
        "detection_classes": [0],
        "detection_scores": [0.8],
        "detection_masks": [[[5, 5], [30, 5], [30, 25], [5, 25]]],
    },
    "POINT": {
        "detection_classes": [0, 1],
        "detection_scores": [0.7, 0.6],
        "points": [[3, 4], [60, 40]],
    },
    "KEYPOINT": {
        "detection_classes": [0],
        "detection_scores": [0.66],
        "keypoints": [[[10, 10, 2], [12, 20, 1], [14, 30, 0]]],
    },
    "LINE": {
        "detection_classes": [0],
        "detection_scores": [0.5],
        "lines": [[[0, 0], [32, 24], [63, 47]]],
    },
    "MASK": {
        "detection_classes": [1],
        "detection_scores": [0.55],
        "detection_masks": ["opaque-mask-1"],
    },
}


def sdk_payload(type_: str) -> dict:
    """A monitoring payload as the SDK sends it: upper-case type, latency with a decimal point."""
    raw = dict(SDK_RAW[type_], detection_texts=None)
    return {
        "filename": "frame.png",
        "content_type": "IMAGE/PNG",
        "height": 48,
        "width": 64,
        "image": B64,
        "raw_predictions": raw,
        "latency": 1.0,
        "tags": [],
        "source": "camera-3",
    }


def t(description, data, problems=None, valid=None):
    """One test; ``problems`` is a list of (code, pointer); valid defaults to 'no problems'."""
    test = {
        "description": description,
        "data": data,
        "valid": not problems if valid is None else valid,
    }
    if problems:
        test["problems"] = [{"code": c, "pointer": p} for c, p in problems]
    return test


def group(description, message, tests, deployment_type=None, strict=False):
    g = {"description": description, "message": message}
    if deployment_type:
        g["deployment_type"] = deployment_type
    if strict:
        g["strict"] = True
    g["tests"] = tests
    return g


def od(**changes):
    """The SDK's OBJECT_DETECTION payload with top-level keys changed (None deletes)."""
    payload = sdk_payload("OBJECT_DETECTION")
    for key, value in changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def od_raw(**changes):
    """The OBJECT_DETECTION payload with raw_predictions keys changed (None deletes)."""
    payload = od()
    for key, value in changes.items():
        if value is None:
            payload["raw_predictions"].pop(key, None)
        else:
            payload["raw_predictions"][key] = value
    return payload


def with_raw(type_, **changes):
    payload = sdk_payload(type_)
    payload["raw_predictions"].update(changes)
    return payload


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def login_vectors():
    good = {"api_token": "my-api-token", "deployment_id": DEP}
    return [
        group(
            "login request",
            "login-request",
            [
                t(
                    "the vendor guide's login body is valid",
                    {"deployment_id": DEP, "api_token": "my-api-token"},
                ),
                t("the SDK's login body is valid", good),
                t(
                    "a login without api_token is invalid",
                    {"deployment_id": DEP},
                    [("missing_property", "/api_token")],
                ),
                t(
                    "a login without deployment_id is invalid",
                    {"api_token": "x"},
                    [("missing_property", "/deployment_id")],
                ),
                t(
                    "an empty api_token is invalid",
                    dict(good, api_token=""),
                    [("invalid_string", "/api_token")],
                ),
                t(
                    "a numeric api_token is invalid",
                    dict(good, api_token=123),
                    [("wrong_type", "/api_token")],
                ),
                t(
                    "an extra username field is invalid",
                    dict(good, username="me"),
                    [("unknown_property", "/username")],
                ),
                t("a list body is invalid", [good], [("wrong_type", "")]),
                t("a string body is invalid", "my-api-token", [("wrong_type", "")]),
                t(
                    "an empty object lacks both fields",
                    {},
                    [("missing_property", "/api_token"), ("missing_property", "/deployment_id")],
                ),
            ],
        )
    ]


def form(**fields):
    base = {"media": "image.png"}
    base.update(fields)
    return base


def predict_vectors():
    sdk = form(
        tags=["a", "b"],
        monitor="True",
        postprocess="False",
        source="camera-3",
        metadata='{"site": "lyon"}',
    )
    return [
        group(
            "predict multipart form, as parsed",
            "predict-form",
            [
                t("the vendor guide's form with only media is valid", form()),
                t(
                    "the vendor guide's form with source and tags is valid",
                    form(source="src", tags=["some", "tag"]),
                ),
                t("the SDK's form is valid", sdk),
                t("a form with a JPEG file name is valid", form(media="photo.jpeg")),
                t(
                    "a form without media is invalid",
                    {"monitor": "True"},
                    [("missing_property", "/media")],
                ),
                t(
                    "monitor 'true' in lower case is invalid",
                    form(monitor="true"),
                    [("invalid_value", "/monitor")],
                ),
                t(
                    "postprocess '1' is invalid",
                    form(postprocess="1"),
                    [("invalid_value", "/postprocess")],
                ),
                t(
                    "source sent twice is invalid",
                    form(source=["a", "b"]),
                    [("wrong_type", "/source")],
                ),
                t(
                    "metadata that is not JSON is invalid",
                    form(metadata="site=lyon"),
                    [("metadata_not_json_object", "/metadata")],
                ),
                t(
                    "metadata that is a JSON list is invalid",
                    form(metadata="[1, 2]"),
                    [("metadata_not_json_object", "/metadata")],
                ),
                t(
                    "custom_metadata that is a JSON string is invalid",
                    form(custom_metadata='"x"'),
                    [("metadata_not_json_object", "/custom_metadata")],
                ),
                t(
                    "an unknown image field is invalid",
                    form(image="abc"),
                    [("unknown_property", "/image")],
                ),
                t(
                    "a media part with an empty filename is invalid",
                    form(media=""),
                    [("invalid_string", "/media")],
                ),
                t(
                    "media sent twice is invalid",
                    form(media=["a.png", "b.png"]),
                    [("wrong_type", "/media")],
                ),
                t("a tag that is a number is invalid", form(tags=[1]), [("wrong_type", "/tags/0")]),
            ],
        ),
        group(
            "v2 predict (cloud image)",
            "predict-v2-request",
            [
                t(
                    "the SDK's v2 body is valid",
                    {"tags": [], "monitor": True, "postprocess": False, "cloud_image": CLOUD},
                ),
                t(
                    "a v2 body with metadata objects is valid",
                    {
                        "cloud_image": CLOUD,
                        "metadata": {"a": 1},
                        "custom_metadata": {},
                        "source": "s",
                    },
                ),
                t(
                    "a v2 body without cloud_image is invalid",
                    {"tags": [], "monitor": True},
                    [("missing_property", "/cloud_image")],
                ),
                t(
                    "monitor as the string 'True' is invalid in v2",
                    {"cloud_image": CLOUD, "monitor": "True"},
                    [("wrong_type", "/monitor")],
                ),
                t(
                    "metadata as a JSON string is invalid in v2",
                    {"cloud_image": CLOUD, "metadata": "{}"},
                    [("wrong_type", "/metadata")],
                ),
                t(
                    "null tags are invalid",
                    {"cloud_image": CLOUD, "tags": None},
                    [("wrong_type", "/tags")],
                ),
                t(
                    "a cloud image without connector_id is invalid",
                    {"cloud_image": {k: v for k, v in CLOUD.items() if k != "connector_id"}},
                    [("missing_property", "/cloud_image/connector_id")],
                ),
            ],
        ),
        group(
            "v2 predict shadow",
            "predict-shadow-v2-request",
            [
                t(
                    "the SDK's shadow body is valid",
                    {"prediction_id": "p-1", "monitor": False, "cloud_image": CLOUD},
                ),
                t(
                    "a shadow body without prediction_id is invalid",
                    {"monitor": False, "cloud_image": CLOUD},
                    [("missing_property", "/prediction_id")],
                ),
                t(
                    "a shadow body without monitor is invalid",
                    {"prediction_id": "p-1", "cloud_image": CLOUD},
                    [("missing_property", "/monitor")],
                ),
                t(
                    "an empty prediction_id is invalid",
                    {"prediction_id": "", "monitor": False, "cloud_image": CLOUD},
                    [("invalid_string", "/prediction_id")],
                ),
            ],
        ),
    ]


def monitoring_vectors():
    guide = {
        "filename": "image.png",
        "content_type": "image/png",
        "height": 600,
        "width": 800,
        "image": b64(GUIDE_PNG),
        "raw_predictions": {
            "detection_scores": [0.7279638051986694, 0.7203983664512634, 0.7142382264137268],
            "detection_boxes": [[57, 213, 118, 256], [186, 165, 246, 248], [80, 73, 169, 199]],
            "detection_classes": [3, 3, 4],
        },
        "latency": 0.259,
    }
    sdk_valid = [t(f"the SDK's {ty} payload is valid", sdk_payload(ty)) for ty in SDK_RAW]
    typed = [
        group(
            f"the SDK's {ty} payload on a {ty} deployment",
            "monitoring-prediction-request",
            [t(f"the SDK's {ty} payload is valid on its own type", sdk_payload(ty))],
            deployment_type=ty,
        )
        for ty in SDK_RAW
    ]
    full = od(
        custom_metadata={"k": "v"},
        metadata={},
        custom_metrics={"iou": 0.5},
        timestamp=1780000000.25,
        upload_dir="uploads",
        sample=True,
        shadow_latency=0.5,
        shadow_raw_predictions=copy.deepcopy(SDK_RAW["OBJECT_DETECTION"]),
    )
    valid = [
        t("the vendor guide's payload is valid", guide),
        *sdk_valid,
        t("every optional field together is valid", full),
        t("a cloud_image instead of image is valid", od(image=None, cloud_image=CLOUD)),
        t("an integer latency is valid", od(latency=1)),
        t("lower-case image/png is valid", od(content_type="image/png")),
        t(
            "a JPEG with image/jpeg is valid",
            od(image=b64(JPEG), content_type="image/jpeg", filename="f.jpg"),
        ),
        t(
            "a JPEG with IMAGE/JPEG is valid",
            od(image=b64(JPEG), content_type="IMAGE/JPEG", filename="f.jpg"),
        ),
        t(
            "absent detection_texts is valid",
            od_raw(detection_texts=None) | {"raw_predictions": dict(SDK_RAW["OBJECT_DETECTION"])},
        ),
        t("a list of detection_texts is valid", od_raw(detection_texts=["a", "b"])),
        t("an empty list of detection_texts is valid", od_raw(detection_texts=[])),
        t(
            "empty prediction lists are valid",
            od(
                raw_predictions={
                    "detection_classes": [],
                    "detection_scores": [],
                    "detection_boxes": [],
                }
            ),
        ),
        t("empty tags and metadata are valid", od(tags=[], metadata={}, custom_metadata={})),
        t("a score of exactly 1 is valid", od_raw(detection_scores=[1, 0])),
    ]
    invalid = [
        *[
            t(f"a payload without {k} is invalid", od(**{k: None}), [("missing_property", "/" + k)])
            for k in ("filename", "content_type", "height", "width", "raw_predictions", "latency")
        ],
        t(
            "a payload with neither image nor cloud_image is invalid",
            od(image=None),
            [("image_missing", "")],
        ),
        t(
            "a payload with both image and cloud_image is invalid",
            od(cloud_image=CLOUD),
            [("image_conflict", "")],
        ),
        t(
            "content_type image/jpg is invalid",
            od(content_type="image/jpg"),
            [("invalid_value", "/content_type")],
        ),
        t(
            "content_type image/webp is invalid",
            od(content_type="image/webp"),
            [("invalid_value", "/content_type")],
        ),
        t(
            "content_type png without a type is invalid",
            od(content_type="png"),
            [("invalid_value", "/content_type")],
        ),
        t(
            "mixed-case Image/Png is invalid",
            od(content_type="Image/Png"),
            [("invalid_value", "/content_type")],
        ),
        t("a height given as a string is invalid", od(height="48"), [("wrong_type", "/height")]),
        t("a fractional width is invalid", od(width=64.5), [("wrong_type", "/width")]),
        t("a zero height is invalid", od(height=0), [("out_of_range", "/height")]),
        t(
            "a latency given as a string is invalid",
            od(latency="0.2"),
            [("wrong_type", "/latency")],
        ),
        t("a negative latency is invalid", od(latency=-1), [("out_of_range", "/latency")]),
        t("an empty filename is invalid", od(filename=""), [("invalid_string", "/filename")]),
        t("a numeric filename is invalid", od(filename=12), [("wrong_type", "/filename")]),
        t(
            "the retired model_version field is invalid",
            od(model_version="v1"),
            [("unknown_property", "/model_version")],
        ),
        t("tags given as a string are invalid", od(tags="a"), [("wrong_type", "/tags")]),
        t("a numeric tag is invalid", od(tags=[1]), [("wrong_type", "/tags/0")]),
        t("metadata given as a list is invalid", od(metadata=[]), [("wrong_type", "/metadata")]),
        t(
            "custom_metrics given as a string is invalid",
            od(custom_metrics="x"),
            [("wrong_type", "/custom_metrics")],
        ),
        t(
            "a timestamp given as text is invalid",
            od(timestamp="now"),
            [("wrong_type", "/timestamp")],
        ),
        t("sample given as a string is invalid", od(sample="yes"), [("wrong_type", "/sample")]),
        t(
            "shadow_latency without shadow_raw_predictions is invalid",
            od(shadow_latency=0.1),
            [("missing_property", "/shadow_raw_predictions")],
        ),
        t(
            "shadow_raw_predictions without shadow_latency is invalid",
            od(shadow_raw_predictions=copy.deepcopy(SDK_RAW["OBJECT_DETECTION"])),
            [("missing_property", "/shadow_latency")],
        ),
        t(
            "a shadow_latency given as a string is invalid",
            od(
                shadow_latency="1",
                shadow_raw_predictions=copy.deepcopy(SDK_RAW["OBJECT_DETECTION"]),
            ),
            [("wrong_type", "/shadow_latency")],
        ),
        t(
            "shadow scores given as strings are invalid",
            od(
                shadow_latency=1,
                shadow_raw_predictions={
                    "detection_classes": [0],
                    "detection_scores": ["x"],
                    "detection_boxes": [[1, 1, 2, 2]],
                },
            ),
            [("wrong_type", "/shadow_raw_predictions/detection_scores/0")],
        ),
        t(
            "a cloud_image without object_name is invalid",
            od(image=None, cloud_image={k: v for k, v in CLOUD.items() if k != "object_name"}),
            [("missing_property", "/cloud_image/object_name")],
        ),
        t(
            "a cloud_image with an unknown region is invalid",
            od(image=None, cloud_image=dict(CLOUD, region="eu")),
            [("unknown_property", "/cloud_image/region")],
        ),
        t(
            "a cloud_image with an empty bucket_name is invalid",
            od(image=None, cloud_image=dict(CLOUD, bucket_name="")),
            [("invalid_string", "/cloud_image/bucket_name")],
        ),
        t(
            "base64 with line breaks is invalid",
            od(image=base64.encodebytes(PNG).decode()),
            [("invalid_base64", "/image")],
        ),
        t(
            "URL-safe base64 is invalid",
            od(image=base64.urlsafe_b64encode(b"\xfb\xff" * 30 + PNG).decode()),
            [("invalid_base64", "/image")],
        ),
        t(
            "base64 without its padding is invalid",
            od(image=B64.rstrip("=")[:-1] if len(PNG) % 3 == 0 else B64.rstrip("=")),
            [("invalid_base64", "/image")],
        ),
        t(
            "text that is not base64 is invalid",
            od(image="not an image!"),
            [("invalid_base64", "/image")],
        ),
        t(
            "a GIF is not a PNG or JPEG",
            od(image=b64(b"GIF89a" + bytes(40))),
            [("image_not_png_or_jpeg", "/image")],
        ),
        t(
            "an empty image is not a PNG or JPEG",
            od(image=""),
            [("image_not_png_or_jpeg", "/image")],
        ),
        t(
            "a PNG cut before its header is unreadable",
            od(image=b64(PNG[:16])),
            [("image_not_png_or_jpeg", "/image")],
        ),
        t(
            "a PNG declared as IMAGE/JPEG is a mismatch",
            od(content_type="IMAGE/JPEG"),
            [("content_type_mismatch", "/content_type")],
        ),
        t(
            "a JPEG declared as image/png is a mismatch",
            od(image=b64(JPEG), content_type="image/png"),
            [("content_type_mismatch", "/content_type")],
        ),
        t(
            "PNG bytes behind a JPEG signature are unreadable",
            od(image=b64(b"\xff\xd8\xff" + PNG[3:])),
            [("image_not_png_or_jpeg", "/image")],
        ),
        t(
            "raw_predictions given as a list is invalid",
            od(raw_predictions=[]),
            [("wrong_type", "/raw_predictions")],
        ),
        t(
            "raw_predictions without detection_classes is invalid",
            od_raw(detection_classes=None),
            [("missing_property", "/raw_predictions/detection_classes")],
        ),
        t(
            "raw_predictions without detection_scores is invalid",
            od_raw(detection_scores=None),
            [("missing_property", "/raw_predictions/detection_scores")],
        ),
        t(
            "detection_classes given as a number is invalid",
            od_raw(detection_classes=3),
            [("wrong_type", "/raw_predictions/detection_classes")],
        ),
        t(
            "detection_scores given as a string is invalid",
            od_raw(detection_scores="0.9"),
            [("wrong_type", "/raw_predictions/detection_scores")],
        ),
        t(
            "a fractional class index is invalid",
            od_raw(detection_classes=[0.5, 2]),
            [("wrong_type", "/raw_predictions/detection_classes/0")],
        ),
        t(
            "a score given as text is invalid",
            od_raw(detection_scores=["high", 0.4]),
            [("wrong_type", "/raw_predictions/detection_scores/0")],
        ),
        t(
            "boxes of five numbers are invalid",
            od_raw(detection_boxes=[[1, 2, 3, 4, 5], [1, 2, 3, 4]]),
            [("wrong_item_count", "/raw_predictions/detection_boxes/0")],
        ),
        t(
            "boxes of three numbers are invalid",
            od_raw(detection_boxes=[[1, 2, 3], [1, 2, 3, 4]]),
            [("wrong_item_count", "/raw_predictions/detection_boxes/0")],
        ),
        t(
            "fractional box coordinates are invalid",
            od_raw(detection_boxes=[[1.5, 2, 3, 4], [1, 2, 3, 4]]),
            [("wrong_type", "/raw_predictions/detection_boxes/0/0")],
        ),
        t(
            "a box given as an object is invalid",
            od_raw(detection_boxes=[{"x": 1}, [1, 2, 3, 4]]),
            [("wrong_type", "/raw_predictions/detection_boxes/0")],
        ),
        t(
            "one scores fewer than classes is a length mismatch",
            od_raw(detection_scores=[0.9]),
            [("list_length_mismatch", "/raw_predictions/detection_scores")],
        ),
        t(
            "one box fewer than classes is a length mismatch",
            od_raw(detection_boxes=[[1, 2, 3, 4]]),
            [("list_length_mismatch", "/raw_predictions/detection_boxes")],
        ),
        t(
            "three texts for two classes is a length mismatch",
            od_raw(detection_texts=["a", "b", "c"]),
            [("list_length_mismatch", "/raw_predictions/detection_texts")],
        ),
        t(
            "a numeric text is invalid",
            od_raw(detection_texts=[1, "b"]),
            [("wrong_type", "/raw_predictions/detection_texts/0")],
        ),
        t(
            "detection_texts given as a string is invalid",
            od_raw(detection_texts="car"),
            [("wrong_type", "/raw_predictions/detection_texts")],
        ),
        t(
            "an unknown raw_predictions key is invalid",
            od_raw(detection_labels=["car", "bus"]),
            [("unknown_property", "/raw_predictions/detection_labels")],
        ),
    ]
    typed_invalid = [
        t(
            "a misspelt detection_box key is invalid",
            od_raw(detection_boxes=None, detection_box=[[1, 2, 3, 4], [1, 2, 3, 4]]),
            [
                ("missing_property", "/raw_predictions/detection_boxes"),
                ("unknown_property", "/raw_predictions/detection_box"),
            ],
        ),
        t(
            "classification keys on an OBJECT_DETECTION deployment are a type mismatch",
            od(raw_predictions=dict(SDK_RAW["CLASSIFICATION"])),
            [("prediction_type_mismatch", "/raw_predictions")],
        ),
        t(
            "points on an OBJECT_DETECTION deployment are a type mismatch",
            od(raw_predictions=dict(SDK_RAW["POINT"])),
            [("prediction_type_mismatch", "/raw_predictions")],
        ),
        t(
            "keypoints on an OBJECT_DETECTION deployment are a type mismatch",
            od(raw_predictions=dict(SDK_RAW["KEYPOINT"])),
            [("prediction_type_mismatch", "/raw_predictions")],
        ),
        t(
            "a shadow prediction of another type is a type mismatch",
            od(shadow_latency=1, shadow_raw_predictions=dict(SDK_RAW["LINE"])),
            [("prediction_type_mismatch", "/shadow_raw_predictions")],
        ),
    ]
    other_types = [
        group(
            "a SEGMENTATION deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a fractional polygon vertex is invalid",
                    with_raw("SEGMENTATION", detection_masks=[[[1.5, 2], [3, 4], [5, 6]]]),
                    [("wrong_type", "/raw_predictions/detection_masks/0/0/0")],
                ),
                t(
                    "a polygon vertex of three numbers is invalid",
                    with_raw("SEGMENTATION", detection_masks=[[[1, 2, 3], [3, 4], [5, 6]]]),
                    [("wrong_item_count", "/raw_predictions/detection_masks/0/0")],
                ),
                t(
                    "mask strings on a SEGMENTATION deployment are a type mismatch",
                    with_raw("SEGMENTATION", detection_masks=["rle"]),
                    [("prediction_type_mismatch", "/raw_predictions")],
                ),
                t(
                    "a polygon vertex outside the image is a warning",
                    with_raw("SEGMENTATION", detection_masks=[[[5, 5], [99, 5], [30, 25]]]),
                    [("geometry_outside_image", "/raw_predictions/detection_masks/0/1")],
                    valid=True,
                ),
            ],
            deployment_type="SEGMENTATION",
        ),
        group(
            "a MASK deployment",
            "monitoring-prediction-request",
            [
                t(
                    "polygon masks on a MASK deployment are a type mismatch",
                    with_raw("MASK", detection_masks=[[[1, 2], [3, 4]]]),
                    [("prediction_type_mismatch", "/raw_predictions")],
                ),
                t(
                    "a numeric mask is invalid",
                    with_raw("MASK", detection_masks=[7]),
                    [("wrong_type", "/raw_predictions/detection_masks/0")],
                ),
                t(
                    "empty masks are valid on a MASK deployment",
                    with_raw("MASK", detection_classes=[], detection_scores=[], detection_masks=[]),
                ),
            ],
            deployment_type="MASK",
        ),
        group(
            "a KEYPOINT deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a keypoint of two numbers is invalid",
                    with_raw("KEYPOINT", keypoints=[[[10, 10]]]),
                    [("wrong_item_count", "/raw_predictions/keypoints/0/0")],
                ),
                t(
                    "a keypoint outside the image is a warning",
                    with_raw("KEYPOINT", keypoints=[[[10, 10, 2], [70, 10, 1]]]),
                    [("geometry_outside_image", "/raw_predictions/keypoints/0/1")],
                    valid=True,
                ),
                t(
                    "keypoints with one extra instance are a length mismatch",
                    with_raw("KEYPOINT", keypoints=[[[1, 1, 1]], [[2, 2, 2]]]),
                    [("list_length_mismatch", "/raw_predictions/keypoints")],
                ),
            ],
            deployment_type="KEYPOINT",
        ),
        group(
            "a LINE deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a line point of one number is invalid",
                    with_raw("LINE", lines=[[[1], [2, 3]]]),
                    [("wrong_item_count", "/raw_predictions/lines/0/0")],
                ),
                t(
                    "a line point outside the image is a warning",
                    with_raw("LINE", lines=[[[0, 0], [10, -1]]]),
                    [("geometry_outside_image", "/raw_predictions/lines/0/1")],
                    valid=True,
                ),
            ],
            deployment_type="LINE",
        ),
        group(
            "a POINT deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a point given as text is invalid",
                    with_raw("POINT", points=["a", [1, 2]]),
                    [("wrong_type", "/raw_predictions/points/0")],
                ),
                t(
                    "a point outside the image is a warning",
                    with_raw("POINT", points=[[3, 4], [65, 40]]),
                    [("geometry_outside_image", "/raw_predictions/points/1")],
                    valid=True,
                ),
                t(
                    "boxes on a POINT deployment are a type mismatch",
                    with_raw("POINT", points=None)
                    | {"raw_predictions": dict(SDK_RAW["OBJECT_DETECTION"])},
                    [("prediction_type_mismatch", "/raw_predictions")],
                ),
            ],
            deployment_type="POINT",
        ),
        group(
            "a MULTI deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a MULTI deployment cannot be monitored",
                    sdk_payload("CLASSIFICATION"),
                    [("type_not_monitorable", "")],
                ),
            ],
            deployment_type="MULTI",
        ),
        group(
            "a NOT_CONFIGURED deployment",
            "monitoring-prediction-request",
            [
                t(
                    "a NOT_CONFIGURED deployment cannot be monitored",
                    sdk_payload("CLASSIFICATION"),
                    [("type_not_monitorable", "")],
                ),
            ],
            deployment_type="NOT_CONFIGURED",
        ),
    ]
    warnings = [
        (
            "a score above 1 is a warning",
            od_raw(detection_scores=[1.5, 0.4]),
            [("score_out_of_range", "/raw_predictions/detection_scores/0")],
        ),
        (
            "a negative score is a warning",
            od_raw(detection_scores=[0.9, -0.1]),
            [("score_out_of_range", "/raw_predictions/detection_scores/1")],
        ),
        (
            "a box with y1 > y2 is a warning",
            od_raw(detection_boxes=[[20, 6, 4, 30], [10, 12, 40, 60]]),
            [("box_inverted", "/raw_predictions/detection_boxes/0")],
        ),
        (
            "a box with x1 > x2 is a warning",
            od_raw(detection_boxes=[[4, 30, 20, 6], [10, 12, 40, 60]]),
            [("box_inverted", "/raw_predictions/detection_boxes/0")],
        ),
        (
            "a box beyond the width is a warning",
            od_raw(detection_boxes=[[4, 6, 20, 65], [10, 12, 40, 60]]),
            [("box_outside_image", "/raw_predictions/detection_boxes/0")],
        ),
        (
            "a box with a negative top is a warning",
            od_raw(detection_boxes=[[-1, 6, 20, 30], [10, 12, 40, 60]]),
            [("box_outside_image", "/raw_predictions/detection_boxes/0")],
        ),
        (
            "a declared height unlike the image's is a warning",
            od(height=50),
            [("image_size_mismatch", "/height")],
        ),
        (
            "a declared width unlike the image's is a warning",
            od(width=62),
            [("image_size_mismatch", "/width")],
        ),
        (
            "a timestamp in the year 2100 is a warning",
            od(timestamp=4102444800),
            [("timestamp_in_future", "/timestamp")],
        ),
    ]
    return [
        group(
            "monitoring payloads, deployment type unknown",
            "monitoring-prediction-request",
            valid + invalid + [t(d, x, p, valid=True) for d, x, p in warnings],
        ),
        *typed,
        group(
            "monitoring payloads on an OBJECT_DETECTION deployment",
            "monitoring-prediction-request",
            typed_invalid,
            deployment_type="OBJECT_DETECTION",
        ),
        *other_types,
        group(
            "monitoring payloads in strict mode",
            "monitoring-prediction-request",
            [t(d.replace("a warning", "an error in strict mode"), x, p) for d, x, p in warnings],
            strict=True,
        ),
    ]


def shadow_vectors():
    raw = dict(SDK_RAW["CLASSIFICATION"])
    return [
        group(
            "shadow prediction",
            "shadow-request",
            [
                t("a shadow body is valid", {"shadow_raw_predictions": raw, "shadow_latency": 0.2}),
                t(
                    "a shadow body without shadow_latency is invalid",
                    {"shadow_raw_predictions": raw},
                    [("missing_property", "/shadow_latency")],
                ),
                t(
                    "a negative shadow_latency is invalid",
                    {"shadow_raw_predictions": raw, "shadow_latency": -0.5},
                    [("out_of_range", "/shadow_latency")],
                ),
                t(
                    "shadow_raw_predictions given as a list is invalid",
                    {"shadow_raw_predictions": [], "shadow_latency": 1},
                    [("wrong_type", "/shadow_raw_predictions")],
                ),
                t(
                    "unequal shadow lists are a length mismatch",
                    {
                        "shadow_raw_predictions": {
                            "detection_classes": [1, 2],
                            "detection_scores": [0.5],
                        },
                        "shadow_latency": 1,
                    },
                    [("list_length_mismatch", "/shadow_raw_predictions/detection_scores")],
                ),
            ],
            deployment_type="CLASSIFICATION",
        ),
        group(
            "raw predictions alone",
            "raw-predictions",
            [
                *[
                    t(f"the SDK's {ty} raw predictions are valid", dict(SDK_RAW[ty]))
                    for ty in SDK_RAW
                ],
                t("a list is not a raw_predictions object", [[0, 0.5]], [("wrong_type", "")]),
                t(
                    "boxes and points together fit no type",
                    {
                        "detection_classes": [0],
                        "detection_scores": [0.5],
                        "points": [[1, 2]],
                        "detection_boxes": [[1, 2, 3, 4]],
                    },
                    [("unknown_property", "/detection_boxes")],
                ),
            ],
        ),
    ]


VECTORS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://picsellia-mock.invalid/schemas/vectors/vectors.schema.json",
    "title": "A file of test vectors",
    "description": "Groups of tests for one message each; see README.md in this folder.",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "message", "tests"],
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "message": {"type": "string", "description": "A schema file stem in schemas/."},
            "deployment_type": {"type": "string"},
            "strict": {"type": "boolean"},
            "tests": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["description", "data", "valid"],
                    "additionalProperties": False,
                    "properties": {
                        "description": {"type": "string", "minLength": 1, "maxLength": 90},
                        "data": True,
                        "valid": {"type": "boolean"},
                        "problems": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["code", "pointer"],
                                "additionalProperties": False,
                                "properties": {
                                    "code": {"type": "string"},
                                    "pointer": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def main() -> None:
    files = {
        "login-request.json": login_vectors(),
        "predict.json": predict_vectors(),
        "monitoring-prediction-request.json": monitoring_vectors(),
        "shadow-and-raw-predictions.json": shadow_vectors(),
        "vectors.schema.json": VECTORS_SCHEMA,
    }
    for name, content in files.items():
        (OUT / name).write_text(
            json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
