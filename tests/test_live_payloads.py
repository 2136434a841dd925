"""What ``check-live --write`` sends: the built-in PNG, empty predictions, the monitoring body."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from checklive.payloads import (
    SOURCE,
    TAG,
    empty_prediction,
    monitoring_payload,
    predict_fields,
    tiny_png,
)
from picsellia_contract import validate
from picsellia_contract.images import image_size, sniff_content_type

from .helpers import TYPES, assert_conforms


def test_the_built_in_png_is_a_png_that_pillow_and_the_header_reader_can_read():
    data = tiny_png("run 1")
    assert sniff_content_type(data) == "image/png" and image_size(data) == (8, 8)
    with Image.open(io.BytesIO(data)) as decoded:
        decoded.load()
        assert decoded.size == (8, 8) and decoded.text["Comment"] == "run 1"


def test_two_runs_never_send_the_same_bytes():
    assert tiny_png("run 1") != tiny_png("run 2")


@pytest.mark.parametrize("type_", TYPES)
def test_the_empty_prediction_of_each_type_is_valid_on_that_type(type_):
    prediction = empty_prediction(type_)
    assert prediction and all(value == [] for value in prediction.values())
    assert validate("raw-predictions", prediction, deployment_type=type_) == []


@pytest.mark.parametrize("type_", TYPES)
def test_the_monitoring_body_conforms_and_is_marked(type_):
    payload = monitoring_payload(tiny_png("run"), "run.png", type_, 0.25)
    assert_conforms("monitoring-prediction-request", payload, type_)
    assert (payload["source"], payload["tags"]) == (SOURCE, [TAG])
    assert payload["content_type"] == "IMAGE/PNG"  # as the SDK writes it


@pytest.mark.parametrize(
    "image_bytes, type_, message",
    [
        (b"GIF89a", "POINT", "not a PNG or JPEG"),
        (tiny_png("run"), "MULTI", "cannot be monitored"),
    ],
    ids=["not-an-image", "multi"],
)
def test_a_body_that_would_break_the_contract_is_refused(image_bytes, type_, message):
    with pytest.raises(ValueError, match=message):
        monitoring_payload(image_bytes, "run.png", type_, 0.0)


def test_the_predict_asks_to_store_nothing_and_carries_the_marks():
    fields = dict(predict_fields())
    assert fields["monitor"] == "False"
    assert (fields["source"], fields["tags"]) == (SOURCE, TAG)
    assert_conforms("predict-form", {**fields, "tags": [TAG], "media": "run.png"})
