"""The serving (prediction) service: login and the four predict routes.

Each view reads top to bottom: context -> authorize -> parse -> validate -> simulate -> store
(with monitor) -> answer.
"""

from __future__ import annotations

import functools
import json

from flask import Blueprint

from picsellia_contract import field_defaults, load_schema
from picsellia_contract.checks import json_text_fields
from picsellia_contract.images import image_size, sniff_content_type

from . import model
from .auth import authorize, login_view
from .bodies import read_json, read_predict_form
from .config import Deployment
from .context import Context
from .errors import ApiError
from .exchange import Answer, Incoming
from .records import store_monitored, stored_prediction
from .routing import add_views

bp = Blueprint("serving", __name__)
# The mock cannot read the customer's bucket: a cloud image is predicted on this nominal size.
CLOUD_IMAGE_SIZE = (640, 480)


def predict(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """Multipart predict (predict-form.json) -> predict-response.json; monitor's default is the
    schema's. Serves both the plural route (current SDK) and the singular one (vendor guide)."""
    deployment = authorize(ctx, "serving", id, incoming.headers.get("Authorization"))
    form, media = read_predict_form(incoming)
    warnings = ctx.check("predict-form", form, deployment).problems
    if media is None:
        message = "'media' must be one file part with a filename, not a text field"
        raise ApiError("media_not_image", message, pointer="/media", deployment_id=id)
    data = media.read()
    kind, size = read_image(data, id)
    raw, latency = simulate(deployment, data, size, ctx.config.seed)
    monitored = {**field_defaults("predict-form"), **form}["monitor"] == "True"
    prediction_id = None
    if monitored:
        options = dict(form)
        for key in json_text_fields("predict-form"):
            if key in form:
                options[key] = json.loads(form[key])  # validated: the JSON text of an object
        # the stored record keeps the bytes and null in place of the base64 text: none is made
        image = {"filename": media.filename, "content_type": kind, "image": None}
        prediction_id = forward(ctx, deployment, image, (size, raw, latency), options, data)
    body = prediction(deployment, prediction_id, monitored, size, latency, raw)
    return Answer(body, deployment_id=id, problems=warnings)


def predict_cloud_image(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """predict-v2-request.json -> predict-response.json."""
    deployment = authorize(ctx, "serving", id, incoming.headers.get("Authorization"))
    body = read_json(incoming)
    warnings = ctx.check("predict-v2-request", body, deployment).problems
    raw, latency = simulate_cloud(deployment, body["cloud_image"], b"", ctx.config.seed)
    monitored = {**field_defaults("predict-v2-request"), **body}["monitor"]
    prediction_id = None
    if monitored:
        image = {
            "filename": body["cloud_image"]["object_name"].rsplit("/", 1)[-1],
            "content_type": "image/jpeg",
            "cloud_image": body["cloud_image"],
        }
        simulated = (CLOUD_IMAGE_SIZE, raw, latency)
        prediction_id = forward(ctx, deployment, image, simulated, body, None)
    answer_ = prediction(deployment, prediction_id, monitored, CLOUD_IMAGE_SIZE, latency, raw)
    return Answer(answer_, deployment_id=id, problems=warnings)


def predict_shadow(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """predict-shadow-v2-request.json -> predict-response.json (the shadow model's answer)."""
    deployment = authorize(ctx, "serving", id, incoming.headers.get("Authorization"))
    body = read_json(incoming)
    warnings = ctx.check("predict-shadow-v2-request", body, deployment).problems
    row = stored_prediction(ctx, body["prediction_id"])
    if row["deployment_id"] != deployment.id:
        message = f"prediction {body['prediction_id']} belongs to another deployment"
        raise ApiError("prediction_not_found", message, deployment_id=id)
    raw, latency = simulate_cloud(deployment, body["cloud_image"], b"shadow|", ctx.config.seed)
    if body["monitor"]:
        shadow = {"shadow_raw_predictions": raw, "shadow_latency": latency}
        if not ctx.store.set_shadow(row["id"], shadow):
            message = f"prediction {row['id']} already has a shadow prediction"
            raise ApiError("already_shadowed", message, deployment_id=id)
    answer_ = prediction(deployment, row["id"], body["monitor"], CLOUD_IMAGE_SIZE, latency, raw)
    return Answer(answer_, deployment_id=id, problems=warnings)


def forward(ctx: Context, deployment, image: dict, simulated: tuple, options: dict, data) -> str:
    """Store what the serving forwards to monitoring with monitor=True: a monitoring payload
    made of the image, the simulated prediction and every option that is also a field of
    monitoring-prediction-request.json (tags, source, metadata, ...)."""
    size, raw, latency = simulated
    body = {**image, "height": size[1], "width": size[0], "raw_predictions": raw}
    body.update(latency=latency, tags=options.get("tags", []))
    for key in forwarded_fields():
        if key in options:
            body[key] = options[key]
    return store_monitored(ctx, deployment, body, "serving", data, dedupe=False)


@functools.cache
def forwarded_fields() -> frozenset[str]:
    """The predict options that monitoring also takes (the two schemas' common fields)."""
    monitoring = load_schema("monitoring-prediction-request")["properties"]
    options = set(load_schema("predict-form")["properties"])
    options |= set(load_schema("predict-v2-request")["properties"])
    return frozenset(options & set(monitoring))


def read_image(data: bytes, deployment_id: str) -> tuple[str, tuple[int, int]]:
    """(content type, (width, height)) of PNG or JPEG bytes, read from the header, or a 422."""
    kind, size = sniff_content_type(data), image_size(data)
    if kind is None or size is None:
        message = f"the {len(data)} bytes of 'media' are not a PNG or JPEG image"
        raise ApiError("media_not_image", message, pointer="/media", deployment_id=deployment_id)
    return kind, size


def simulate(deployment: Deployment, data: bytes, size, seed: int) -> tuple[dict, float]:
    """(raw_predictions, latency) of the simulated model for these input bytes."""
    if not deployment.monitorable:
        message = f"the mock cannot simulate a {deployment.type} model"
        raise ApiError("type_not_monitorable", message, status=422, deployment_id=deployment.id)
    return model.predict(deployment, data, size, seed), model.latency(data)


def simulate_cloud(deployment: Deployment, cloud_image: dict, salt: bytes, seed: int):
    """The simulated model on a cloud image, keyed by its reference (the bucket is not read)."""
    key = salt + json.dumps(cloud_image, sort_keys=True).encode()
    return simulate(deployment, key, CLOUD_IMAGE_SIZE, seed)


def prediction(deployment, prediction_id, monitored, size, latency, raw) -> dict:
    """predict-response.json."""
    return {
        "prediction_id": prediction_id,
        "deployment_id": deployment.id,
        "type": deployment.type,
        "monitored": bool(monitored),
        "width": size[0],
        "height": size[1],
        "latency": latency,
        "raw_predictions": raw,
    }


add_views(
    bp,
    {
        "servingLogin": login_view("serving"),
        "predict": predict,
        "predictSingular": predict,
        "predictCloudImage": predict_cloud_image,
        "predictShadow": predict_shadow,
    },
)
