"""The monitoring service: store predictions and shadows, read deployment and stats."""

from __future__ import annotations

import json
import os
from typing import Any

from .payloads import check, describe_image, encode_image, read_image
from .routes import path
from .session import ServiceSession


class MonitoringClient:
    """Monitoring for one deployment. Each call logs in first if needed (POST /api/auth/login)."""

    def __init__(
        self,
        host: str,
        deployment_id: str,
        api_token: str,
        *,
        validate: bool = True,
        deployment_type: str | None = None,
        session: ServiceSession | None = None,
    ) -> None:
        self.session = session or ServiceSession("monitoring", host, deployment_id, api_token)
        self.deployment_id = deployment_id
        self.validate = validate
        self.deployment_type = deployment_type

    def build_payload(
        self,
        image: str | os.PathLike | bytes,
        raw_predictions: dict,
        latency: float,
        *,
        filename: str | None = None,
        width: int | None = None,
        height: int | None = None,
        tags: list[str] | None = None,
        source: str | None = None,
        upload_dir: str | None = None,
        metadata: dict | None = None,
        custom_metadata: dict | None = None,
        custom_metrics: dict | None = None,
        timestamp: float | None = None,
        sample: bool | None = None,
        shadow_raw_predictions: dict | None = None,
        shadow_latency: float | None = None,
    ) -> dict:
        """The monitoring-prediction-request.json body for an image file and its prediction.

        The content type comes from the image's magic bytes, and width and height from its
        header unless given. Optional fields are sent only when given (tags always, as the SDK).
        """
        data, filename = read_image(image, filename)
        content_type, image_width, image_height = describe_image(data)
        payload: dict[str, Any] = {
            "filename": filename,
            "content_type": content_type,
            "height": image_height if height is None else height,
            "width": image_width if width is None else width,
            "image": encode_image(data),
            "raw_predictions": raw_predictions,
            "latency": float(latency),
            "tags": tags or [],
        }
        optional = {
            "source": source,
            "upload_dir": upload_dir,
            "metadata": metadata,
            "custom_metadata": custom_metadata,
            "custom_metrics": custom_metrics,
            "timestamp": timestamp,
            "sample": sample,
            "shadow_raw_predictions": shadow_raw_predictions,
            "shadow_latency": shadow_latency,
        }
        payload.update({key: value for key, value in optional.items() if value is not None})
        return payload

    def monitor(self, payload: dict) -> dict:
        """POST /api/deployment/{id}/predictions (monitoring-prediction-request.json).

        Answers the 201 body (monitoring-prediction-response.json); a 409 raises
        AlreadyProcessed. Build the payload with ``build_payload``.
        """
        if self.validate:
            check("monitoring-prediction-request", payload, self.deployment_type)
        route = path("monitorPrediction", id=self.deployment_id)
        return self.session.request("POST", route, 201, data=json.dumps(payload)).json()

    def shadow(
        self, prediction_id: str, shadow_raw_predictions: dict, shadow_latency: float
    ) -> dict:
        """POST /api/prediction/{prediction_id}/shadow (shadow-request.json) -> 201."""
        body = {
            "shadow_raw_predictions": shadow_raw_predictions,
            "shadow_latency": float(shadow_latency),
        }
        if self.validate:
            check("shadow-request", body, self.deployment_type)
        route = path("shadowPrediction", prediction_id=prediction_id)
        return self.session.request("POST", route, 201, data=json.dumps(body)).json()

    def deployment(self) -> dict:
        """GET /api/deployment/{id} -> deployment-info-response.json."""
        route = path("deploymentInfo", id=self.deployment_id)
        return self.session.request("GET", route, 200).json()

    def stats(
        self,
        service: str = "metrics",
        *,
        predictions_route: bool = False,
        model_id: str | None = None,
        from_timestamp: float | None = None,
        to_timestamp: float | None = None,
        since: float | None = None,
        includes: list[str] | None = None,
        excludes: list[str] | None = None,
        tags: list[str] | None = None,
    ) -> dict:
        """GET /api/deployment/{id}/stats (or .../predictions/stats) -> stats-response.json.

        Lists are sent as repeated parameters (tags=a&tags=b).
        """
        params: list[tuple[str, Any]] = [("service", service)]
        single = {
            "model_id": model_id,
            "from_timestamp": from_timestamp,
            "to_timestamp": to_timestamp,
            "since": since,
        }
        params += [(key, value) for key, value in single.items() if value is not None]
        for key, values in (("includes", includes), ("excludes", excludes), ("tags", tags)):
            params += [(key, value) for value in values or []]
        operation = "predictionStats" if predictions_route else "deploymentStats"
        route = path(operation, id=self.deployment_id)
        return self.session.request("GET", route, 200, params=params).json()
