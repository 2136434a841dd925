"""The request as received, for the journal: query, headers, and the body in a readable form.

- Nothing secret is kept: ``Authorization`` and ``Proxy-Authorization`` keep their scheme and a
  fingerprint (the first 12 hex digits of the SHA-256 of the credential, so a test can tell two
  tokens apart without the journal holding either); each ``Cookie`` value, the admin token in a
  query or a ``Referer``, and a body's ``api_token`` (the login bodies) are fingerprinted too.
- Each header value is cut at ``HEADER_LIMIT`` characters, and at most ``HEADERS_KEPT`` headers
  are kept.
- A JSON body is kept as parsed, but a base64 ``image`` is replaced by the size and SHA-256 of
  its decoded bytes, as stored records show it.
- A multipart body is kept as its parts in order: name, filename, the part's Content-Type, and
  for a file its size and SHA-256, for a text field its value.
- A body whose readable form is over ``BODY_LIMIT`` characters of JSON is cut: ``body`` is
  then the first ``BODY_LIMIT`` characters of that JSON text and ``body_truncated`` is true.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from picsellia_contract.strict_base64 import strict_b64decode

from .jsontext import dumps
from .records import image_summary

BODY_LIMIT = 65_536
HEADER_LIMIT = 1_024  # characters of one header's value kept
HEADERS_KEPT = 64  # headers kept per entry
CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
SECRET_PARAMETERS = ("admin_token",)  # query parameters whose value is a secret
SECRET_FIELDS = ("api_token",)  # body fields whose value is a secret
SECRET_IN_TEXT = re.compile(r'("api_token"\s*:\s*")((?:[^"\\]|\\.)*)(")')
SECRET_IN_URL = re.compile(r"((?:^|[?&])admin_token=)([^&#]*)")
TEXT_LIMIT = 4_096  # how much of a body that is not JSON is kept, as text
CHUNK = 65_536  # how much of a multipart body the decoder is given at a time


def fingerprint(credential: str) -> str:
    """The first 12 hex digits of the credential's SHA-256 (a lone surrogate, which JSON can
    escape but UTF-8 cannot carry, is hashed as its escape)."""
    data = credential.encode("utf-8", "backslashreplace")
    return "sha256:" + hashlib.sha256(data).hexdigest()[:12]


def headers_as_received(headers) -> dict[str, str]:
    """Every header (up to ``HEADERS_KEPT``), repeated ones joined with ', ', each value cut at
    ``HEADER_LIMIT`` characters; secrets replaced by a fingerprint."""
    found: dict[str, str] = {}
    for name, value in headers.items():
        if name not in found and len(found) >= HEADERS_KEPT:
            continue
        lower = name.lower()
        if lower in CREDENTIAL_HEADERS:
            scheme, _, credential = value.partition(" ")
            value = f"{scheme} {fingerprint(credential.strip())}" if credential else scheme
        elif lower == "cookie":
            value = "; ".join(_cookie(pair) for pair in value.split(";"))
        elif lower == "referer":
            value = secret_free_url(value)
        if len(value) > HEADER_LIMIT:
            value = value[:HEADER_LIMIT] + f"...[{len(value) - HEADER_LIMIT} characters cut]"
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def _cookie(pair: str) -> str:
    name, equals, value = pair.strip().partition("=")
    return f"{name}={fingerprint(value)}" if equals else name


def secret_free_url(url: str) -> str:
    """A URL (or query string) with the admin token's value fingerprinted."""
    return SECRET_IN_URL.sub(lambda m: m.group(1) + fingerprint(m.group(2)), url)


def query_as_received(args) -> dict[str, list[str]]:
    """The query's parameters, a secret one's values fingerprinted."""
    query = args.to_dict(flat=False)
    for name in SECRET_PARAMETERS:
        if name in query:
            query[name] = [fingerprint(value) for value in query[name]]
    return query


def secret_free(body: Any) -> Any:
    """A JSON body (parsed, or text that could not be parsed) with secrets fingerprinted."""
    if isinstance(body, dict) and any(isinstance(body.get(k), str) for k in SECRET_FIELDS):
        return {
            k: fingerprint(v) if k in SECRET_FIELDS and isinstance(v, str) else v
            for k, v in body.items()
        }
    if isinstance(body, str) and "api_token" in body:
        return SECRET_IN_TEXT.sub(lambda m: m.group(1) + fingerprint(m.group(2)) + m.group(3), body)
    return body


NOT_PARSED = object()


def body_as_received(
    data: bytes | str,
    mimetype: str,
    boundary: str | None,
    image: bytes | None = None,
    parsed: Any = NOT_PARSED,
) -> tuple[str, Any]:
    """(kind, body): kind is none, json, multipart, text or binary. ``parsed`` is the JSON body
    as the view already parsed it, so that a large body is not parsed twice; ``data`` may be
    the body already decoded as UTF-8 text."""
    if parsed is not NOT_PARSED:
        return "json", _summarise_image(parsed, image)
    if not data:
        return "none", None
    if mimetype == "multipart/form-data" and boundary:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        parts = multipart_parts(raw, boundary)
        if parts is not None:
            return "multipart", parts
    try:
        text = data if isinstance(data, str) else data.decode("utf-8")
    except UnicodeDecodeError:
        return "binary", image_summary(data)
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return "text", text[:TEXT_LIMIT]
    return "json", _summarise_image(parsed, image)


def _summarise_image(body: Any, image: bytes | None) -> Any:
    if not isinstance(body, dict) or not isinstance(body.get("image"), str):
        return body
    data = image if image is not None else strict_b64decode(body["image"])
    if data is None:  # not base64: keep its length, not its text
        return {**body, "image": {"size": len(body["image"]), "sha256": None}}
    return {**body, "image": image_summary(data)}


def cut(body: Any) -> tuple[str, bool]:
    """The JSON text of the body, or of the head of that text when it is over BODY_LIMIT
    characters; and whether it was cut."""
    text = dumps(body)
    if len(text) <= BODY_LIMIT:
        return text, False
    return dumps(text[:BODY_LIMIT]), True


def captured_text(head: dict[str, Any], body_text: str, truncated: bool) -> str:
    """``json.dumps({**head, "body": body, "body_truncated": truncated})``, the body's JSON text
    given (cut made it): dumped once, not twice."""
    return f'{dumps(head)[:-1]},"body":{body_text},"body_truncated":{dumps(truncated)}}}'


def multipart_parts(data: bytes, boundary: str) -> list[dict[str, Any]] | None:
    """The parts of a multipart body in order, or None when it cannot be decoded.

    The body is fed to the decoder in chunks and a file part is hashed as it comes, so that a
    large file is not copied whole into the decoder's buffer, nor joined again from its pieces.
    """
    decoder = MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=None)
    view = memoryview(data)
    pieces = [view[start : start + CHUNK] for start in range(0, len(view), CHUNK)]
    parts: list[dict[str, Any]] = []
    content = _Content(keep=True)
    try:
        for piece in [*pieces, None]:  # None: the end of the body
            decoder.receive_data(piece)
            event = decoder.next_event()
            while not isinstance(event, NeedData):  # past the end, the decoder raises instead
                if isinstance(event, Epilogue):
                    return parts
                if isinstance(event, (Field, File)):
                    headers = event.headers
                    part = {"name": event.name, "content_type": headers.get("Content-Type")}
                    if isinstance(event, File):
                        part["filename"] = event.filename
                    parts.append(part)
                    content = _Content(keep=not isinstance(event, File))
                elif isinstance(event, Data):
                    content.add(event.data)
                    if not event.more_data and parts:
                        content.finish(parts[-1])
                event = decoder.next_event()
    except ValueError:
        return None
    return parts


class _Content:
    """One part's content as it arrives: a file's size and hash, a text field's pieces."""

    def __init__(self, keep: bool) -> None:
        self.size, self.hasher, self.chunks, self.keep = 0, hashlib.sha256(), [], keep

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.keep:
            self.chunks.append(data)
        else:
            self.hasher.update(data)

    def finish(self, part: dict[str, Any]) -> None:
        if "filename" in part:
            part.update(size=self.size, sha256=self.hasher.hexdigest())
        else:
            part["value"] = self.text()

    def text(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")
