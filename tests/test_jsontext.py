"""The mock's fast JSON (mockserver/jsontext.py): orjson's reading is taken only where it is the
standard library's, and what is written reads back as it was."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.jsontext import MAX_JSON_DEPTH, NOT_READ, dumps, fast_loads

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # across the 64-bit edges
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def same(a, b) -> bool:
    """Equal and of the same JSON types all the way down (1 and 1.0 differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


@given(VALUES)
def test_what_is_read_fast_is_what_the_standard_library_reads(value):
    text = json.dumps(value)
    fast = fast_loads(text.encode())
    expected = json.loads(text)
    assert fast is NOT_READ or same(fast, expected)
    if not any(abs(n) >= 2**63 for n in numbers(expected)):
        assert fast is not NOT_READ  # the fast path is the usual one


def numbers(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


@pytest.mark.parametrize(
    "text",
    [
        b"18446744073709551616",  # 2**64: orjson reads a float
        b'{"width": 1' + b"0" * 30 + b"}",
        b"[-9223372036854775809]",
        b'"\\ud800"',  # a lone surrogate: orjson refuses what json reads
        b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
        b'{"a": 1e400}',
        b"NaN",
        b"\xef\xbb\xbf{}",
        b"not json",
    ],
)
def test_the_exact_path_reads_what_orjson_would_read_otherwise(text):
    assert fast_loads(text) is NOT_READ


def test_nesting_at_the_limit_is_read_fast():
    text = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert fast_loads(text) is not NOT_READ


@given(VALUES)
def test_what_is_written_reads_back_as_it_was(value):
    assert same(json.loads(dumps(value)), value)


def test_an_integer_beyond_64_bits_is_written_whole():
    assert dumps({"n": 2**80}) == '{"n":1208925819614629174706176}'


def test_a_large_body_takes_the_exact_path():
    from mockserver.jsontext import FAST_LIMIT

    large = json.dumps({"image": "A" * FAST_LIMIT}).encode()
    assert fast_loads(large) is NOT_READ
    small = json.dumps({"image": "A" * (FAST_LIMIT // 2)}).encode()
    assert fast_loads(small) == {"image": "A" * (FAST_LIMIT // 2)}
