"""The serving (prediction) service: login and the four predict routes."""

from __future__ import annotations

import base64
import io
import json

from flask import Blueprint
from PIL import Image

from . import model
from .bodies import read_json, read_predict_form
from .config import Deployment
from .errors import ApiError
from .service import (
    authorize,
    check,
    config,
    login,
    store,
    store_monitored,
    stored_prediction,
)

bp = Blueprint("serving", __name__)
CLOUD_IMAGE_SIZE = (640, 480)  # the mock cannot read the bucket: a nominal size


@bp.post("/api/login")
def serving_login():
    """POST /api/login -> login-response.json."""
    return login("serving")


@bp.post("/api/deployments/<id>/predict")
@bp.post("/api/deployment/<id>/predict")
def predict(id: str):
    """Multipart predict (predict-form.json) -> predict-response.json; monitor defaults to True."""
    deployment = authorize("serving", id)
    form, media = read_predict_form()
    check("predict-form", form, deployment)
    if media is None:
        message = "'media' must be one file part with a filename, not a text field"
        raise ApiError("media_not_image", message, pointer="/media")
    data = media.read()
    kind, size = read_image(data)
    raw, latency = simulate(deployment, data, size)
    monitored = form.get("monitor", "True") == "True"
    prediction_id = None
    if monitored:
        options = dict(form)
        for key in ("metadata", "custom_metadata"):
            if key in form:
                options[key] = json.loads(form[key])  # validated: the JSON text of an object
        image = {"filename": media.filename, "content_type": kind}
        image["image"] = base64.b64encode(data).decode("ascii")
        prediction_id = forward(deployment, image, size, raw, latency, options, data)
    return answer(deployment, prediction_id, monitored, size, latency, raw)


@bp.post("/api/v2/deployments/<id>/predict")
def predict_cloud_image(id: str):
    """predict-v2-request.json -> predict-response.json."""
    deployment = authorize("serving", id)
    body = read_json()
    check("predict-v2-request", body, deployment)
    raw, latency = simulate_cloud(deployment, body["cloud_image"], b"")
    monitored = body.get("monitor", True)
    prediction_id = None
    if monitored:
        image = {
            "filename": body["cloud_image"]["object_name"].rsplit("/", 1)[-1],
            "content_type": "image/jpeg",
            "cloud_image": body["cloud_image"],
        }
        prediction_id = forward(deployment, image, CLOUD_IMAGE_SIZE, raw, latency, body, None)
    return answer(deployment, prediction_id, monitored, CLOUD_IMAGE_SIZE, latency, raw)


@bp.post("/api/v2/deployments/<id>/predict/shadow")
def predict_shadow(id: str):
    """predict-shadow-v2-request.json -> predict-response.json (the shadow model's answer)."""
    deployment = authorize("serving", id)
    body = read_json()
    check("predict-shadow-v2-request", body, deployment)
    row = stored_prediction(body["prediction_id"])
    if row["deployment_id"] != deployment.id:
        message = f"prediction {body['prediction_id']} belongs to another deployment"
        raise ApiError("prediction_not_found", message)
    raw, latency = simulate_cloud(deployment, body["cloud_image"], b"shadow|")
    if body["monitor"]:
        shadow = {"shadow_raw_predictions": raw, "shadow_latency": latency}
        if not store().set_shadow(row["id"], shadow):
            message = f"prediction {row['id']} already has a shadow prediction"
            raise ApiError("already_shadowed", message)
    return answer(deployment, row["id"], body["monitor"], CLOUD_IMAGE_SIZE, latency, raw)


def forward(deployment, image: dict, size, raw: dict, latency: float, options: dict, data) -> str:
    """Store what the serving forwards to monitoring with monitor=True: a monitoring payload."""
    body = {**image, "height": size[1], "width": size[0], "raw_predictions": raw}
    body.update(latency=latency, tags=options.get("tags", []))
    for key in ("source", "upload_dir", "metadata", "custom_metadata"):
        if key in options:
            body[key] = options[key]
    return store_monitored(deployment, body, "serving", data, dedupe=False)


def read_image(data: bytes) -> tuple[str, tuple[int, int]]:
    """(content type, (width, height)) of PNG or JPEG bytes read with Pillow, or a 422."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except Exception:  # Pillow raises many types for bad bytes; all mean "not an image"
        kind = None
    if kind not in ("PNG", "JPEG"):
        message = f"the {len(data)} bytes of 'media' are not a PNG or JPEG image"
        raise ApiError("media_not_image", message, pointer="/media")
    return "image/" + kind.lower(), size


def simulate(deployment: Deployment, data: bytes, size: tuple[int, int]) -> tuple[dict, float]:
    """(raw_predictions, latency) of the simulated model for these input bytes."""
    if not deployment.monitorable:
        message = f"the mock cannot simulate a {deployment.type} model"
        raise ApiError("type_not_monitorable", message, status=422)
    return model.predict(deployment, data, size, config().seed), model.latency(data)


def simulate_cloud(deployment: Deployment, cloud_image: dict, salt: bytes) -> tuple[dict, float]:
    """The simulated model on a cloud image, keyed by its reference (the bucket is not read)."""
    key = salt + json.dumps(cloud_image, sort_keys=True).encode()
    return simulate(deployment, key, CLOUD_IMAGE_SIZE)


def answer(deployment, prediction_id, monitored, size, latency, raw) -> tuple[dict, int]:
    body = {
        "prediction_id": prediction_id,
        "deployment_id": deployment.id,
        "type": deployment.type,
        "monitored": bool(monitored),
        "width": size[0],
        "height": size[1],
        "latency": latency,
        "raw_predictions": raw,
    }
    return body, 200
