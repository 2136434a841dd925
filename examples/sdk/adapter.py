"""Conformance adapter around the official Python SDK, ``picsellia`` 6.37.0 from PyPI.

The runner writes one action (JSON) on stdin and closes it; every call of the action goes, in
order, through ONE ``picsellia.sdk.deployment.Deployment`` and its own code for every request to
the serving and monitoring services; one line ``{"results": [...]}`` is printed on stdout.
Diagnostics (the SDK's own log included) go to stderr. See README.md beside this file.

Binding without the platform: ``Deployment(connection, data)`` is the object
``Client.get_deployment()`` returns, built from the platform's answer. Here ``data`` is written
from the action (id, type, ``serving_host``, ``oracle_host``) and ``connection`` is an
``OfflinePlatform``, a ``Connection`` that refuses every request: the platform is only asked for
the target datalake connector (cloud images), which the action gives, so it is filled in first.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import sys
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The SDK configures logging at import: its "picsellia" logger writes to stdout unless this is set.
os.environ["PICSELLIA_SDK_CUSTOM_LOGGING"] = "1"

import logging  # noqa: E402

import picsellia.sdk.connection as sdk_connection  # noqa: E402
import requests  # noqa: E402
from beartype.roar import BeartypeException  # noqa: E402
from picsellia.exceptions import (  # noqa: E402
    BadRequestError,
    ContentTypeUnknown,
    MonitorError,
    MonitoringConnectionError,
    PredictionError,
    UnauthorizedError,
)
from picsellia.sdk.connection import Connection  # noqa: E402
from picsellia.sdk.deployment import Deployment  # noqa: E402
from picsellia.sdk.model_version import ModelVersion  # noqa: E402
from picsellia.sdk.predicted_asset import PredictedAsset  # noqa: E402
from picsellia.types.enums import ServiceMetrics  # noqa: E402
from picsellia.types.schemas import TargetDatalakeConnectorSchema  # noqa: E402
from picsellia.types.schemas_prediction import (  # noqa: E402
    ClassificationPredictionFormat,
    DetectionPredictionFormat,
    KeypointPredictionFormat,
    LinePredictionFormat,
    MaskPredictionFormat,
    PointPredictionFormat,
    PredictionFormat,
    SegmentationPredictionFormat,
)
from PIL import Image  # noqa: E402
from pydantic import ValidationError  # noqa: E402

log = logging.getLogger("sdk-adapter")

# The SDK's prediction type for each deployment type (MULTI and NOT_CONFIGURED have none).
FORMATS: dict[str, type[PredictionFormat]] = {
    "CLASSIFICATION": ClassificationPredictionFormat,
    "OBJECT_DETECTION": DetectionPredictionFormat,
    "SEGMENTATION": SegmentationPredictionFormat,
    "POINT": PointPredictionFormat,
    "KEYPOINT": KeypointPredictionFormat,
    "LINE": LinePredictionFormat,
    "MASK": MaskPredictionFormat,
}
# Placeholder for platform-only fields the SDK stores but never sends.
UNUSED_ID = "00000000-0000-0000-0000-000000000000"


class Refused(Exception):
    """The adapter cannot express this call with the SDK: nothing is sent."""


class OfflinePlatform(Connection):
    """The platform connection: the platform is not reachable, so no request may go to it."""

    def __init__(self, api_token: str) -> None:
        super().__init__("http://platform.invalid", api_token)

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:
        raise Refused(f"the SDK asks the Picsellia platform for GET {path}")

    def post(self, path: str, *args: Any, **kwargs: Any) -> Any:
        raise Refused(f"the SDK asks the Picsellia platform for POST {path}")

    put = patch = delete = xget = post


@dataclass
class Seen:
    """One HTTP attempt as the SDK's session saw it: an answer's status, or an exception."""

    url: str
    status: int | None
    error: Exception | None


class Observer:
    """Records every attempt of every ``requests`` session. It changes no request: it is how the
    adapter learns a status the SDK does not put in its exception."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []

    def install(self) -> None:
        original = requests.Session.send
        seen = self.seen

        def send(session: requests.Session, request: Any, **kwargs: Any) -> Any:
            try:
                response = original(session, request, **kwargs)
            except Exception as error:
                seen.append(Seen(request.url, None, error))
                raise
            seen.append(Seen(request.url, response.status_code, None))
            return response

        requests.Session.send = send  # type: ignore[method-assign]


class BindLog(logging.Handler):
    """Why the SDK could not log in while building the Deployment: it logs the reason, per
    service, and keeps going without that service's connection."""

    PATTERN = re.compile(r"Could not bind .* our (monitoring|serving) service .* because : (.*)")

    def __init__(self) -> None:
        super().__init__()
        self.reasons: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        found = self.PATTERN.search(record.getMessage())
        if found:
            self.reasons[found[1]] = found[2]


def number(value: Any) -> Any:
    """A JSON integer where the SDK's hint says ``float`` (beartype refuses ``int`` there)."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def prediction(deployment_type: str, raw: Any) -> PredictionFormat:
    """The SDK's typed prediction for this deployment type, built from the wire dict."""
    if deployment_type not in FORMATS:
        raise Refused(f"the SDK has no prediction format for a {deployment_type} deployment")
    if not isinstance(raw, dict):
        raise Refused("raw predictions must be an object")
    return FORMATS[deployment_type].model_validate(raw)


def guess_type(calls: list[dict]) -> str:
    """The deployment type when the action does not say: from the first raw predictions' keys."""
    for call in calls:
        data = call.get("input") or {}
        raw = data.get("raw_predictions") or data.get("shadow_raw_predictions")
        if isinstance(raw, dict):
            for key, kind in (("keypoints", "KEYPOINT"), ("lines", "LINE"), ("points", "POINT")):
                if key in raw:
                    return kind
            masks = raw.get("detection_masks")
            if isinstance(masks, list):
                return "MASK" if masks and isinstance(masks[0], str) else "SEGMENTATION"
            return "OBJECT_DETECTION" if "detection_boxes" in raw else "CLASSIFICATION"
    return "NOT_CONFIGURED"


def service_metric(name: Any) -> ServiceMetrics:
    """The SDK's enum member for a wire ``service``: the aggregated one (GET .../stats) when it
    exists, as other adapters use that route; else the one of GET .../predictions/stats."""
    members = [m for m in ServiceMetrics if m.service == name]
    if not members:
        raise Refused(f"the SDK has no stats service {name!r}")
    return max(members, key=lambda m: m.is_aggregation)


class Calls:
    """The operations of one action, all through one SDK Deployment."""

    def __init__(self, action: dict, deployment_type: str) -> None:
        self.files_dir = Path(action.get("files_dir") or ".")
        self.type = deployment_type
        self.platform = OfflinePlatform(action.get("api_token", ""))
        data = {
            "id": action.get("deployment_id"),
            "name": f"conformance {action.get('scenario', '')}",
            "type": deployment_type,
            "oracle_host": action.get("monitoring_url"),
            "serving_host": action.get("serving_url"),
        }
        # Logs in to both services now, as Client.get_deployment() does.
        self.deployment = Deployment(self.platform, data)

    def file(self, name: Any) -> Path:
        if not isinstance(name, str):
            raise Refused("no image file given")
        return self.files_dir / name

    def connector(self, cloud_image: Any) -> str:
        """Fills in the target datalake connector the SDK would ask the platform for."""
        if not isinstance(cloud_image, dict):
            raise Refused("no cloud_image given")
        self.deployment._target_datalake_connector = TargetDatalakeConnectorSchema(
            id=cloud_image.get("connector_id"),
            client_type=cloud_image.get("client_type"),
            bucket_name=cloud_image.get("bucket_name"),
        )
        return cloud_image.get("object_name")

    def predict(self, data: dict) -> Any:
        if data.get("singular_route"):
            raise Refused("the SDK only posts to /api/deployments/{id}/predict (plural)")
        keys = ("tags", "source", "metadata", "upload_dir", "custom_metadata")
        return self.deployment.predict(
            self.file(data.get("image")),
            monitor=data.get("monitor", True),
            postprocess=data.get("postprocess", False),
            **{key: data[key] for key in keys if key in data},
        )

    def predict_cloud_image(self, data: dict) -> Any:
        object_name = self.connector(data.get("cloud_image"))
        keys = ("tags", "source", "metadata", "custom_metadata")
        return self.deployment.predict_cloud_image(
            object_name,
            monitor=data.get("monitor", True),
            postprocess=data.get("postprocess", False),
            **{key: data[key] for key in keys if key in data},
        )

    def predict_shadow(self, data: dict) -> Any:
        object_name = self.connector(data.get("cloud_image"))
        # The SDK takes a PredictedAsset (a platform object); only these two fields are sent.
        asset = PredictedAsset(
            self.platform,
            self.deployment.id,
            {
                "id": UNUSED_ID,
                "oracle_prediction_id": data.get("prediction_id"),
                "data": {
                    "id": UNUSED_ID,
                    "object_name": object_name,
                    "filename": os.path.basename(str(object_name)),
                    "type": "IMAGE",
                    "content_type": "",
                    "upload_status": "DONE",
                    "meta": {"width": 0, "height": 0},
                },
            },
        )
        return self.deployment.predict_shadow(asset, monitor=data.get("monitor", True))

    def monitor(self, data: dict) -> Any:
        path = self.file(data.get("image"))
        try:  # the SDK takes height and width from its caller
            with Image.open(path) as image:
                width, height = image.size
        except OSError as error:
            raise Refused(f"cannot read the image's size: {error}") from error
        options: dict[str, Any] = {
            key: number(data[key])
            for key in ("source", "tags", "timestamp", "metadata", "upload_dir")
            + ("custom_metadata", "sample", "custom_metrics", "shadow_latency")
            if key in data
        }
        if "shadow_raw_predictions" in data:
            options["shadow_prediction"] = prediction(self.type, data["shadow_raw_predictions"])
        raw = prediction(self.type, data.get("raw_predictions"))
        latency = number(data.get("latency"))
        if "filename" not in data:
            content_type = data.get("content_type")
            return self.deployment.monitor(
                path, latency, height, width, raw, content_type=content_type, **options
            )
        # monitor() names the image after its file; monitor_bytes() takes any filename. The
        # content type is guessed from the file's name, as monitor() does, unless given.
        content_type = data.get("content_type") or mimetypes.guess_type(path, strict=False)[0]
        if content_type is None:
            raise ContentTypeUnknown(f"Content type of {path} could not be inferred")
        return self.deployment.monitor_bytes(
            path.read_bytes(),
            content_type,
            data["filename"],
            latency,
            height,
            width,
            raw,
            **options,
        )

    def shadow(self, data: dict) -> Any:
        # Returns None: the SDK reads the 201 answer's status and drops its body.
        return self.deployment.monitor_shadow_from_oracle_prediction_id(
            data.get("prediction_id"),
            number(data.get("shadow_latency")),
            prediction(self.type, data.get("shadow_raw_predictions")),
        )

    def deployment_info(self, data: dict) -> Any:
        return self.deployment.retrieve_information()

    def stats(self, data: dict) -> Any:
        keys = ("since", "includes", "excludes", "tags")  # since's hint is int: as given
        options: dict[str, Any] = {key: data[key] for key in keys if key in data}
        for key in ("from_timestamp", "to_timestamp"):
            if key in data:
                options[key] = number(data[key])
        if "model_id" in data:  # the SDK takes a ModelVersion and sends its id
            options["model_version"] = ModelVersion(
                self.platform,
                {
                    "id": data["model_id"],
                    "origin": {"id": UNUSED_ID, "name": "model", "private": True},
                    "name": "version",
                    "version": 1,
                    "type": self.type,
                    "framework": "NOT_CONFIGURED",
                },
            )
        return self.deployment.get_stats(service_metric(data.get("service")), **options)


# The SDK's messages that carry a status or a 409.
STATUS_IN_MESSAGE = re.compile(r"could not handle your (?:shadow )?prediction: (\d{3})")
ALREADY_PROCESSED = re.compile(r"has already been (?:shadow )?processed")
REFUSALS = (
    Refused,
    BadRequestError,  # raised by the SDK itself before sending (type mismatch, shadow latency)
    ContentTypeUnknown,
    ValidationError,
    BeartypeException,
    TypeError,
    FileNotFoundError,
    IsADirectoryError,
    PermissionError,
)


def error_body(message: str) -> dict | None:
    """The answer's JSON body, where the SDK copied the answer's text into its message."""
    start = message.find("{")
    if start < 0:
        return None
    try:
        body, _ = json.JSONDecoder().raw_decode(message[start:])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def outcome(kind: str, message: str, status: int | None = None, body: dict | None = None) -> dict:
    problems = body.get("problems") if body and isinstance(body.get("problems"), list) else []
    code = problems[0].get("code") if problems and isinstance(problems[0], dict) else None
    if kind == "service" and status == 409:
        kind = "already_processed"
    return {"kind": kind, "status": status, "code": code, "problems": problems, "message": message}


def from_attempt(seen: Seen | None, message: str) -> dict:
    """The error of an attempt that the SDK reported without its status or cause."""
    if seen is None:
        return outcome("invalid_request", message)
    if seen.error is not None:
        kind = "timeout" if isinstance(seen.error, requests.Timeout) else "transport"
        return outcome(kind, f"{message}: {seen.error}")
    return outcome("service", message, seen.status)


def describe(error: Exception, service: str, attempts: list[Seen], bind_failures: dict) -> dict:
    """The ``error`` of a failed call: the SDK's exception mapped onto the protocol's kinds."""
    message = str(error) or type(error).__name__
    last = attempts[-1] if attempts else None
    last_status = last.status if last else None
    if isinstance(error, MonitorError):
        if ALREADY_PROCESSED.search(message):
            return outcome("already_processed", message, 409)
        found = STATUS_IN_MESSAGE.search(message)
        return outcome(
            "service", message, int(found[1]) if found else last_status, error_body(message)
        )
    if isinstance(error, PredictionError):
        body = error_body(message)
        status = body.get("status") if body and isinstance(body.get("status"), int) else None
        return outcome("service", message, status or last_status, body)
    if isinstance(error, MonitoringConnectionError):  # a status > 500, five times
        return outcome("service", "a status > 500 on each of the SDK's 5 tries", last_status)
    if isinstance(error, UnauthorizedError):
        if "regeneration" in message:  # a 401 again, after logging in again
            return outcome("service", message, 401)
        return from_attempt(last, message)  # the login was not answered 200
    if isinstance(error, AssertionError) and "with this deployment" in message:
        # The connection is None: its login failed when the Deployment was built.
        return bind_failures.get(service) or outcome("invalid_request", message)
    if isinstance(error, requests.exceptions.JSONDecodeError):
        return outcome("service", f"the answer is not JSON: {message}", last_status)
    if isinstance(error, requests.Timeout):
        return outcome("timeout", message)
    if isinstance(error, requests.RequestException):
        return outcome("transport", message)
    if isinstance(error, REFUSALS):
        return outcome("invalid_request", f"{type(error).__name__}: {message}")
    traceback.print_exc()  # not an outcome this adapter knows: a bug here or in the SDK
    return from_attempt(last, f"{type(error).__name__}: {message}")


def bind(action: dict, observer: Observer) -> tuple[Calls | None, dict, Exception | None]:
    """The Deployment, and how each service's login failed when the SDK swallowed it."""
    calls = action.get("calls") or []
    deployment_type = action.get("deployment_type") or guess_type(calls)
    bind_log = BindLog()
    logging.getLogger("picsellia").addHandler(bind_log)
    try:
        run = Calls(action, deployment_type)
    except Exception as error:  # such as a deployment id that is not a UUID
        return None, {}, error
    finally:
        logging.getLogger("picsellia").removeHandler(bind_log)
    failures: dict[str, dict] = {}
    bound = {
        "monitoring": run.deployment._oracle_connection,
        "serving": run.deployment._serving_connection,
    }
    for service, login in (("monitoring", "/api/auth/login"), ("serving", "/api/login")):
        if bound[service] is None:
            tried = [s for s in observer.seen if s.url.endswith(login)]
            failures[service] = from_attempt(
                tried[-1] if tried else None,
                f"the SDK could not log in to the {service} service when it built the Deployment"
                f" ({bind_log.reasons.get(service, 'no reason logged')}); it does not try again",
            )
    return run, failures, None


def main() -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s: %(message)s")
    try:
        action = json.loads(sys.stdin.read())
        if not isinstance(action, dict):
            raise ValueError("the action is not a JSON object")
    except ValueError as error:
        print(f"sdk-adapter: stdin is not a JSON action: {error}", file=sys.stderr)
        return 1
    out = sys.stdout
    with redirect_stdout(sys.stderr):  # nothing but the outcome may reach stdout
        timeout = action.get("timeout_seconds")
        if timeout is not None:  # every request but the logins, which have no timeout
            sdk_connection.DEFAULT_TIMEOUT = timeout
        observer = Observer()
        observer.install()
        run, bind_failures, bind_error = bind(action, observer)
        results = []
        for call in action.get("calls") or []:
            call = call if isinstance(call, dict) else {}
            operation = call.get("operation")
            first = len(observer.seen)
            try:
                if bind_error is not None:
                    raise Refused(f"the SDK cannot bind this deployment: {bind_error}")
                if operation not in OPERATIONS:
                    raise Refused(f"unknown operation {operation!r}")
                value = getattr(run, operation)(call.get("input") or {})
                results.append({"ok": True, "value": value})
            except Exception as error:
                log.info("%s failed: %r", operation, error)
                service = "serving" if str(operation).startswith("predict") else "monitoring"
                failure = describe(error, service, observer.seen[first:], bind_failures)
                results.append({"ok": False, "error": failure})
    out.write(json.dumps({"results": results}) + "\n")
    out.flush()
    return 0


OPERATIONS = (
    "predict",
    "predict_cloud_image",
    "predict_shadow",
    "monitor",
    "shadow",
    "deployment_info",
    "stats",
)

if __name__ == "__main__":
    sys.exit(main())
