"""Property tests: what the strategies draw is valid; each mutation yields its code and pointer."""

from __future__ import annotations

import base64
import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from picsellia_contract import validate

from . import strategies as s

REQUIRED = ["filename", "content_type", "height", "width", "raw_predictions", "latency"]


def found(problems):
    return {(p.code, p.pointer) for p in problems if p.severity == "error"}


@pytest.mark.parametrize(
    "message, strategy",
    [
        ("login-request", s.login_requests),
        ("predict-form", s.predict_forms),
        ("predict-v2-request", s.predict_v2_requests),
        ("predict-shadow-v2-request", s.predict_shadow_v2_requests),
        ("shadow-request", s.shadow_requests()),
        ("monitoring-prediction-request", s.monitoring_payloads()),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_everything_drawn_validates_with_no_problem(message, strategy):
    @given(strategy)
    def check(instance):
        assert validate(message, instance) == []

    check()


@given(
    st.sampled_from(s.MONITORABLE).flatmap(
        lambda t: st.tuples(st.just(t), s.monitoring_payloads(t))
    )
)
def test_payload_is_valid_on_its_own_deployment_type(drawn):
    type_, payload = drawn
    assert validate("monitoring-prediction-request", payload, deployment_type=type_) == []


@given(s.monitoring_payloads(), st.sampled_from(REQUIRED))
def test_dropping_a_required_key_names_it(payload, key):
    del payload[key]
    problems = validate("monitoring-prediction-request", payload)
    assert ("missing_property", "/" + key) in found(problems)


@given(s.monitoring_payloads(), st.sampled_from(["height", "width", "latency", "filename"]))
def test_changing_a_type_names_the_field(payload, key):
    payload[key] = [payload[key]]
    assert ("wrong_type", "/" + key) in found(validate("monitoring-prediction-request", payload))


@given(s.monitoring_payloads(), st.sampled_from(["detection_scores", "detection_classes"]))
def test_unequal_list_lengths_are_found(payload, key):
    raw = payload["raw_predictions"]
    raw[key] = raw[key] + [0]
    other = "detection_scores" if key == "detection_scores" else None
    problems = found(validate("monitoring-prediction-request", payload))
    if other:
        assert ("list_length_mismatch", "/raw_predictions/detection_scores") in problems
    else:
        assert any(c == "list_length_mismatch" for c, _ in problems)


@given(
    s.monitoring_payloads(with_image=True), st.sampled_from(["!", "\n", "-", "=", " "]), st.data()
)
def test_corrupt_base64_is_found(payload, bad, data):
    where = data.draw(st.integers(0, len(payload["image"])))
    payload["image"] = payload["image"][:where] + bad + payload["image"][where:]
    assert found(validate("monitoring-prediction-request", payload)) == {
        ("invalid_base64", "/image")
    }


@given(s.monitoring_payloads(with_image=True))
def test_image_in_the_other_format_is_a_content_type_mismatch(payload):
    declared = payload["content_type"].lower()
    other = "JPEG" if declared == "image/png" else "PNG"
    image = s.image_bytes(other, payload["width"], payload["height"])
    payload["image"] = base64.b64encode(image).decode()
    assert found(validate("monitoring-prediction-request", payload)) == {
        ("content_type_mismatch", "/content_type")
    }


@given(s.monitoring_payloads(with_image=True))
def test_swapped_magic_bytes_are_not_an_image(payload):
    image = base64.b64decode(payload["image"])
    payload["image"] = base64.b64encode(b"GIF89a" + image[6:]).decode()
    assert found(validate("monitoring-prediction-request", payload)) == {
        ("image_not_png_or_jpeg", "/image")
    }


@given(st.permutations(s.MONITORABLE).map(lambda p: p[:2]), st.data())
def test_another_types_keys_are_a_type_mismatch(types, data):
    deployment_type, other = types
    payload = data.draw(s.monitoring_payloads(deployment_type))
    payload["raw_predictions"] = data.draw(s.raw_predictions(other, min_size=1))
    problems = validate("monitoring-prediction-request", payload, deployment_type=deployment_type)
    assert found(problems) == {("prediction_type_mismatch", "/raw_predictions")}


@given(s.monitoring_payloads())
def test_validation_never_changes_the_payload(payload):
    before = copy.deepcopy(payload)
    validate("monitoring-prediction-request", payload, deployment_type="OBJECT_DETECTION")
    assert payload == before
