"""Large bodies take the memory-saving paths (the body read once, its text dropped once parsed,
the image written into its blob in pieces, a multipart body decoded in chunks) and are stored
and journaled exactly as small ones are."""

from __future__ import annotations

import hashlib
import io
import json
import random

from PIL import Image

from mockserver.capture import CHUNK, multipart_parts
from mockserver.store import LARGE_IMAGE
from tests.helpers import b64

SIDE = 720  # random pixels: a PNG of about 1.5 MB, over LARGE_IMAGE and many CHUNKs


def large_png() -> bytes:
    pixels = random.Random(5).randbytes(SIDE * SIDE * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (SIDE, SIDE), pixels).save(buffer, "PNG", compress_level=1)
    data = buffer.getvalue()
    assert len(data) > max(LARGE_IMAGE, 8 * CHUNK)
    return data


def large_body(image: bytes, filename: str) -> dict:
    """A CLASSIFICATION monitoring payload carrying ``image``, a PNG of SIDE x SIDE."""
    return {
        "filename": filename,
        "content_type": "image/png",
        "height": SIDE,
        "width": SIDE,
        "image": b64(image),
        "raw_predictions": {"detection_classes": [0], "detection_scores": [0.5]},
        "latency": 0.1,
        "tags": ["large"],
    }


def summary(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def last_entry(client, route: str) -> dict:
    return client.get(f"/__admin/requests?route={route}").json["entries"][0]


def stored_image(client, prediction_id: str) -> bytes:
    return client.get(f"/__admin/predictions/{prediction_id}/image").data


def test_large_monitoring_image_is_stored_and_journaled_whole(client, ids, login):
    image = large_png()
    payload = large_body(image, "large.png")
    url = f"/api/deployment/{ids['CLASSIFICATION']}/predictions"
    text = json.dumps(payload)
    headers = login("monitoring", "CLASSIFICATION")
    response = client.post(url, data=text, headers=headers, content_type="application/json")
    assert response.status_code == 201, response.json
    assert stored_image(client, response.json["id"]) == image
    entry = last_entry(client, "monitorPrediction")
    assert entry["request"]["body_kind"] == "json"
    assert entry["request"]["body_size"] == len(text)
    assert entry["request"]["body"] == {**payload, "image": summary(image)}


def test_rejected_large_monitoring_body_is_journaled_as_parsed(client, ids, login):
    image = large_png()
    payload = {"filename": "large.png", "content_type": "image/png", "image": b64(image)}
    url = f"/api/deployment/{ids['CLASSIFICATION']}/predictions"
    response = client.post(url, json=payload, headers=login("monitoring", "CLASSIFICATION"))
    assert response.status_code == 422
    body = last_entry(client, "monitorPrediction")["request"]["body"]
    assert body == {**payload, "image": summary(image)}


def test_body_that_is_not_json_is_journaled_as_text(client, ids, login):
    url = f"/api/deployment/{ids['CLASSIFICATION']}/predictions"
    text = '{"filename": ' + "x" * 100
    headers = login("monitoring", "CLASSIFICATION")
    response = client.post(url, data=text, headers=headers, content_type="application/json")
    assert response.status_code == 400
    captured = last_entry(client, "monitorPrediction")["request"]
    assert (captured["body_kind"], captured["body"]) == ("text", text)


def test_large_predict_image_is_stored_and_journaled_whole(client, ids, login):
    image = large_png()
    tags = "t" * 1000
    data = {"media": (io.BytesIO(image), "large.png"), "monitor": "True", "source": tags}
    url = f"/api/deployments/{ids['OBJECT_DETECTION']}/predict"
    headers = login("serving", "OBJECT_DETECTION")
    response = client.post(url, data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    assert stored_image(client, response.json["prediction_id"]) == image
    parts = last_entry(client, "predict")["request"]["body"]
    by_name = {part["name"]: part for part in parts}
    assert by_name["media"]["filename"] == "large.png"
    assert {k: by_name["media"][k] for k in ("size", "sha256")} == summary(image)
    assert by_name["source"]["value"] == tags and by_name["monitor"]["value"] == "True"


def test_multipart_parts_do_not_depend_on_where_chunks_cut():
    boundary = "b0undary"
    fields = [("a", b"x" * (CHUNK - 40)), ("b", b"y" * (2 * CHUNK + 7))]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields
    )
    body += f'--{boundary}\r\nContent-Disposition: form-data; name="f"; filename="f.bin"'.encode()
    body += b"\r\nContent-Type: application/octet-stream\r\n\r\n" + b"z" * CHUNK
    body += f"\r\n--{boundary}--\r\n".encode()
    parts = multipart_parts(body, boundary)
    assert [p["name"] for p in parts] == ["a", "b", "f"]
    assert parts[0]["value"] == "x" * (CHUNK - 40) and parts[1]["value"] == "y" * (2 * CHUNK + 7)
    assert parts[2] == {
        "name": "f",
        "content_type": "application/octet-stream",
        "filename": "f.bin",
        **summary(b"z" * CHUNK),
    }
    assert multipart_parts(body[:-10], boundary) is None
