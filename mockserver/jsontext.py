"""JSON text in and out of the mock: orjson where it gives what the standard library would.

orjson parses and writes JSON in C, several times faster than the ``json`` module, which matters
on every request (a monitoring body is mostly one long base64 string, and every answer, record
and journal entry is written as JSON). Where orjson's reading differs from the standard
library's, the caller takes the slow, exact path instead:

- orjson reads an integer beyond 64 bits as a float, losing digits; ``json`` keeps it whole;
- orjson refuses some texts ``json`` reads (a lone surrogate escape) and the reverse for none
  that matters here (``NaN``, ``1e400`` and control characters are refused by both paths);
- orjson nests up to 1024 levels, the mock's limit is ``MAX_JSON_DEPTH``;
- orjson holds a copy of the whole text while it parses: for a body of ``FAST_LIMIT`` bytes or
  more (a large image in base64) the exact path, which frees the bytes before parsing, keeps
  the peak at twice the body instead of three times.

Writing falls back to ``json`` for what orjson cannot write (an integer beyond 64 bits, a lone
surrogate, which only an ASCII text with escapes can carry into SQLite).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

MAX_JSON_DEPTH = 64  # arrays and objects nested deeper than this are refused as invalid_json
NOT_READ = object()  # what fast_loads gives when the exact path must read the body
BIG = float(2**63)  # from here on, a float may be orjson's reading of a larger integer
FAST_LIMIT = 1 << 20  # bytes; larger bodies take the exact path, leaner in memory


def fast_loads(data: bytes) -> Any:
    """The parsed body, or NOT_READ when orjson cannot give the standard library's result
    (or the body is too large to be read fast)."""
    if len(data) >= FAST_LIMIT:
        return NOT_READ
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return NOT_READ
    if isinstance(parsed, (dict, list)) and not _plain(parsed):
        return NOT_READ
    if type(parsed) is float and abs(parsed) >= BIG:
        return NOT_READ
    return parsed


def _plain(value: dict | list) -> bool:
    """Nested at most MAX_JSON_DEPTH deep, and no float that may have been a larger integer."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is float and abs(child) >= BIG:
                return False
    return True


def dumps(value: Any) -> str:
    """Compact JSON text of ``value`` (characters as they are, or escaped where they must be)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, a lone surrogate
        return json.dumps(value, separators=(",", ":"))  # ASCII: escapes what UTF-8 cannot hold


class JSONProvider(DefaultJSONProvider):
    """Flask's ``jsonify`` writing with ``dumps``; keys in the order they were given."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        try:
            return orjson.dumps(obj).decode()
        except TypeError:  # a big integer, or a type only Flask's own writer knows
            return super().dumps(obj, **kwargs)
