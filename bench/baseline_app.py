"""The benchmark's baseline: bare Flask endpoints that only parse the same bodies as the mock.

Served by gunicorn exactly like the mock (``gunicorn bench.baseline_app:app``), so that the
ratio measures what the mock adds: validation, signing, storage, journal.
"""

from __future__ import annotations

import json

from flask import Flask, request

app = Flask(__name__)


@app.post("/login")
def login():
    body = json.loads(request.get_data())
    return {"jwt": "x", "expires": len(body)}


@app.post("/predict")
def predict():
    size = len(request.files["media"].read())
    return {"size": size, "fields": len(request.form)}


@app.post("/predictions")
def predictions():
    body = json.loads(request.get_data())
    return {"id": str(len(body))}, 201
