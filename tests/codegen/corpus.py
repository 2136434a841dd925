"""The round-trip corpus: payloads a client of one deployment type reads or sends, each with
the concrete message it is.

- every valid vector of the monitoring and shadow requests (their ``concrete`` field);
- every example of the concrete messages;
- the mock's predict answers for each of the seven types, monitored and not (the Flask test
  client, in-process, as tests/conftest.py does), and a monitoring request built from each;
- "nothing found": per type, a monitoring request and a predict answer with every list empty.

Each item is ``{"id", "component", "concrete", "payload"}``; ``component`` is the bundle's name
of the concrete message (the generated type to parse into).
"""

from __future__ import annotations

import base64
import functools
import io
import json
from pathlib import Path

from picsellia_contract import load_schema
from picsellia_contract.concrete import concrete_names
from picsellia_contract.geometry import geometry_of, type_schemas
from picsellia_contract.openapi import pascal_case

from ..helpers import image
from .helpers import SCHEMAS, vector_tests

MONITORING = "monitoring-prediction-request"
PREDICT = "predict-response"
DEMO_TOKEN = "demo-api-token"


def concrete_files() -> list[Path]:
    """The JSON Schema file of every concrete message."""
    return [SCHEMAS / f"{name}.json" for name in sorted(concrete_names().values())]


def component(concrete: str) -> str:
    return pascal_case(load_schema(concrete)["title"])


def item(id_: str, concrete: str, payload) -> dict:
    return {"id": id_, "component": component(concrete), "concrete": concrete, "payload": payload}


@functools.cache
def corpus() -> tuple[dict, ...]:
    items = []
    for _, test in vector_tests():
        if test.get("concrete") in concrete_names().values():
            items.append(item(f"vector: {test['description']}", test["concrete"], test["data"]))
    for concrete in sorted(concrete_names().values()):
        for index, example in enumerate(load_schema(concrete)["examples"]):
            items.append(item(f"example {index} of {concrete}", concrete, example))
    items.extend(mock_answers())
    items.extend(nothing_found())
    return tuple(items)


def mock_answers() -> list[dict]:
    """Predict answers of the mock for every type (monitored or not), and the monitoring
    request a client would build from each monitored one."""
    import tempfile

    from mockserver.app import create_app
    from mockserver.config import Config

    items = []
    png = image()
    with tempfile.TemporaryDirectory() as folder:
        config = Config(db_path=str(Path(folder) / "mock.sqlite3"))
        client = create_app(config).test_client()
        for deployment in config.deployments.values():
            type_ = deployment.type
            if type_ not in type_schemas():
                continue
            body = {"api_token": DEMO_TOKEN, "deployment_id": deployment.id}
            jwt = client.post("/api/login", json=body).json["jwt"]
            for monitor in ("True", "False"):
                form = {"media": (io.BytesIO(png), "frame.png"), "monitor": monitor}
                url = f"/api/deployments/{deployment.id}/predict"
                answer = client.post(url, data=form, headers={"Authorization": f"Bearer {jwt}"})
                assert answer.status_code == 200, answer.json
                name = concrete_names()[PREDICT, type_]
                items.append(item(f"mock answer, {type_}, monitor={monitor}", name, answer.json))
            request = {
                "filename": "frame.png",
                "content_type": "image/png",
                "height": answer.json["height"],
                "width": answer.json["width"],
                "image": base64.b64encode(png).decode("ascii"),
                "latency": answer.json["latency"],
                "raw_predictions": answer.json["raw_predictions"],
                "tags": [],
                "timestamp": 1790000000.25,
            }
            name = concrete_names()[MONITORING, type_]
            items.append(item(f"monitoring request from the {type_} answer", name, request))
    return items


def nothing_found() -> list[dict]:
    """Per type, a monitoring request and a predict answer with every list empty."""
    items = []
    for type_ in type_schemas():
        raw = {"detection_classes": [], "detection_scores": [], "detection_texts": []}
        geometry = geometry_of(type_)
        if geometry is not None:
            raw[geometry.key] = []
        request = {
            "filename": "empty.jpg",
            "content_type": "IMAGE/JPEG",
            "height": 480,
            "width": 640,
            "cloud_image": {
                "connector_id": "c0ffee00-0000-4000-8000-000000000001",
                "client_type": "S3",
                "bucket_name": "frames",
                "object_name": "empty.jpg",
            },
            "latency": 0,
            "raw_predictions": raw,
            "tags": [],
            "metadata": {},
        }
        name = concrete_names()[MONITORING, type_]
        items.append(item(f"nothing found, monitoring request, {type_}", name, request))
        answer = {
            "prediction_id": None,
            "deployment_id": "6f1e3a52-0b7e-4c1a-9d3e-2f0c1b7a9e10",
            "type": type_,
            "monitored": False,
            "width": 640,
            "height": 480,
            "latency": 0.5,
            "raw_predictions": raw,
        }
        name = concrete_names()[PREDICT, type_]
        items.append(item(f"nothing found, predict answer, {type_}", name, answer))
    return items


def write_corpus(path: Path) -> list[dict]:
    items = list(corpus())
    path.write_text(json.dumps([{k: i[k] for k in ("component", "payload")} for i in items]))
    return items
