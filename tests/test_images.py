"""Reading PNG and JPEG headers without an image library."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from picsellia_contract.images import image_size, sniff_content_type


def encode(fmt: str, size: tuple[int, int], **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "fmt, options, kind",
    [
        ("PNG", {}, "image/png"),
        ("JPEG", {}, "image/jpeg"),
        ("JPEG", {"progressive": True}, "image/jpeg"),
    ],
    ids=["png", "baseline-jpeg", "progressive-jpeg"],
)
@pytest.mark.parametrize("size", [(1, 1), (640, 480), (3, 2000)], ids=str)
def test_size_and_type_read_from_header(fmt, options, kind, size):
    data = encode(fmt, size, **options)
    assert sniff_content_type(data) == kind
    assert image_size(data) == size


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a" + bytes(20), b"\x89PNG\r\n\x1a\n" + bytes(4), b"\xff\xd8\xff\xe0\x00"],
    ids=["empty", "gif", "png-without-ihdr", "jpeg-cut-short"],
)
def test_unreadable_bytes_have_no_size(data):
    assert image_size(data) is None
