"""The prediction (serving) service: predict on an image file, or on an image in a bucket."""

from __future__ import annotations

import json
import os
from typing import Any

from .payloads import check, read_image
from .routes import path
from .session import ServiceSession


class ServingClient:
    """Predictions for one deployment. Each call logs in first if needed (POST /api/login)."""

    def __init__(
        self,
        host: str,
        deployment_id: str,
        api_token: str,
        *,
        validate: bool = True,
        singular_route: bool = False,
        deployment_type: str | None = None,
        session: ServiceSession | None = None,
    ) -> None:
        self.session = session or ServiceSession("serving", host, deployment_id, api_token)
        self.deployment_id = deployment_id
        self.validate = validate
        self.deployment_type = deployment_type
        # The current SDK posts to /api/deployments/{id}/predict; the vendor guide to the singular.
        operation = "predictSingular" if singular_route else "predict"
        self.predict_path = path(operation, id=deployment_id)

    def predict(
        self,
        image: str | os.PathLike | bytes,
        *,
        filename: str | None = None,
        tags: list[str] | None = None,
        source: str | None = None,
        monitor: bool = True,
        postprocess: bool = False,
        upload_dir: str | None = None,
        metadata: dict | None = None,
        custom_metadata: dict | None = None,
    ) -> dict:
        """POST /api/deployments/{id}/predict (predict-form.json) -> predict-response.json.

        Multipart as the SDK sends it: text parts first (one ``tags`` part per tag, ``monitor``
        and ``postprocess`` as True/False), then the ``media`` file part with its filename and
        no part Content-Type.
        """
        data, filename = read_image(image, filename)
        fields: list[tuple[str, str]] = [("tags", tag) for tag in tags or []]
        fields += [("monitor", str(bool(monitor))), ("postprocess", str(bool(postprocess)))]
        if source is not None:
            fields.append(("source", source))
        if upload_dir is not None:
            fields.append(("upload_dir", upload_dir))
        if metadata:
            fields.append(("metadata", json.dumps(metadata)))
        if custom_metadata:
            fields.append(("custom_metadata", json.dumps(custom_metadata)))
        if self.validate:
            parsed: dict[str, Any] = {key: value for key, value in fields if key != "tags"}
            if tags:
                parsed["tags"] = list(tags)
            check("predict-form", {**parsed, "media": filename}, self.deployment_type)
        files = {"media": (filename, data)}  # a 2-tuple: no per-part Content-Type
        response = self.session.request("POST", self.predict_path, 200, data=fields, files=files)
        return response.json()

    def predict_cloud_image(
        self,
        cloud_image: dict,
        *,
        tags: list[str] | None = None,
        source: str | None = None,
        monitor: bool = True,
        postprocess: bool = False,
        metadata: dict | None = None,
        custom_metadata: dict | None = None,
    ) -> dict:
        """POST /api/v2/deployments/{id}/predict (predict-v2-request.json) -> predict-response."""
        body: dict[str, Any] = {"tags": tags or [], "monitor": monitor, "postprocess": postprocess}
        if source is not None:
            body["source"] = source
        if metadata:
            body["metadata"] = metadata
        if custom_metadata:
            body["custom_metadata"] = custom_metadata
        body["cloud_image"] = cloud_image
        return self._post_json(
            path("predictCloudImage", id=self.deployment_id), "predict-v2-request", body
        )

    def predict_shadow(
        self, prediction_id: str, cloud_image: dict, *, monitor: bool = True
    ) -> dict:
        """POST /api/v2/deployments/{id}/predict/shadow (predict-shadow-v2-request.json)."""
        body = {"prediction_id": prediction_id, "monitor": monitor, "cloud_image": cloud_image}
        route = path("predictShadow", id=self.deployment_id)
        return self._post_json(route, "predict-shadow-v2-request", body)

    def _post_json(self, route: str, message: str, body: dict) -> dict:
        if self.validate:
            check(message, body, self.deployment_type)
        response = self.session.request("POST", route, 200, data=json.dumps(body))
        return response.json()
