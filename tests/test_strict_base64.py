"""invalid_base64 says where and why: the offset and kind of the first offending character."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from picsellia_contract import validate
from picsellia_contract.strict_base64 import first_fault, strict_b64decode

from .helpers import image, sdk_payload

NOISE = ["=", "==", "A", "z", "/", "+", "-", "_", "\n", "\r", " ", "\t", ":", "\u00e9"]
MIME = base64.encodebytes(bytes(range(256))).decode()  # wrapped at 76 characters


@pytest.mark.parametrize(
    "text, offset, kind",
    [
        (MIME, 76, "line break"),
        ("aGVs\r\nbG8=", 4, "line break"),
        ("aGVs bG8=", 4, "space"),
        ("aGVsbG8=\t", 8, "space"),
        ("ab-_", 2, "URL-safe alphabet"),
        ("a_bc", 1, "URL-safe alphabet"),
        ("aGVsbG8", 7, "length"),
        ("aGVs=", 5, "length"),
        ("aGVsbG8==", 9, "length"),
        ("aGVsbG8=aGVs", 7, "padding"),
        ("a===", 1, "padding"),
        ("aGVsbG9=", 6, "unused bits"),
        ("aGVs!G8=", 4, "other"),
        ("aGVsbG8=\u00e9", 8, "other"),
        ("data:image/png;base64,aGVsbG8=", 0, "other"),
    ],
    ids=[
        "mime",
        "crlf",
        "space",
        "tab-after-padding",
        "url-safe-dash",
        "url-safe-underscore",
        "unpadded",
        "padding-after-a-full-group",
        "padding-too-long",
        "text-after-padding",
        "three-pads",
        "non-canonical-bits",
        "punctuation",
        "non-ascii",
        "data-uri",
    ],
)
def test_the_first_fault_is_located_and_named(text, offset, kind):
    fault = first_fault(text)
    assert (fault.offset, fault.kind) == (offset, kind)
    assert f"at offset {offset}," in fault.message()


def test_canonical_text_has_no_fault():
    for data in (b"", b"h", b"he", b"hel", bytes(range(256))):
        assert first_fault(base64.b64encode(data).decode()) is None


@given(st.binary(max_size=40), st.lists(st.sampled_from(NOISE), max_size=3), st.integers(0, 60))
def test_a_fault_is_found_exactly_when_the_text_does_not_decode(data, noise, at):
    encoded = base64.b64encode(data).decode()
    text = encoded[:at] + "".join(noise) + encoded[at:]
    fault = first_fault(text)
    assert (fault is None) == (strict_b64decode(text) is not None), (text, fault)
    if fault is not None:
        assert 0 <= fault.offset <= len(text)


def test_the_validator_reports_a_mime_wrapped_image_at_its_first_line_break():
    payload = sdk_payload("CLASSIFICATION")
    payload["image"] = base64.encodebytes(image()).decode()
    [problem] = validate("monitoring-prediction-request", payload)
    assert (problem.code, problem.pointer) == ("invalid_base64", "/image")
    assert "at offset 76, a line break" in problem.message


def test_the_validator_names_the_url_safe_alphabet():
    payload = sdk_payload("CLASSIFICATION")
    jpeg = image("JPEG")  # its base64 starts "/9j/"
    payload["image"] = base64.urlsafe_b64encode(jpeg).decode()
    at = base64.b64encode(jpeg).decode().index("/")
    [problem] = validate("monitoring-prediction-request", payload)
    assert f"at offset {at}, " in problem.message
    assert "URL-safe alphabet" in problem.message
