"""Who may use the admin API and the web page: same-origin calls, under a loopback (or
configured) host name, with the admin token when one is set; state-changing admin calls in JSON.

This keeps a web page elsewhere from steering the mock (a cross-site ``text/plain`` POST needs
no preflight; it is refused for its Origin and its Content-Type), and a foreign name that
resolves to 127.0.0.1 from reading it (DNS rebinding: refused for its Host). The token may come
as a bearer header, or as the cookie the web page sets when opened with ``?admin_token=``.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Request, Response, request

from .config import Config
from .errors import ApiError

GUARDED = ("admin", "web")  # the blueprints this applies to; the services are open
# Sent with every answer of the admin API and the web page: no framing by another page (its
# Reset button), no script but the page's own files, no sniffing, no Referer carrying a token.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATE_CHANGING = ("POST",)  # the one simple method: others need a preflight the mock never grants
TOKEN_COOKIE = "picsellia_admin_token"
LOOPBACK_NAMES = ("localhost",)


def is_loopback(hostname: str) -> bool:
    if hostname.lower() in LOOPBACK_NAMES or hostname.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def hostname_of(host: str) -> str:
    """The name part of a Host header: [::1]:8080 -> [::1], localhost:8080 -> localhost."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def check(config: Config, request: Request) -> None:
    """403, 401 or 415 for a call to the admin API or the web page that is not allowed."""
    if request.blueprint not in GUARDED:
        return
    hostname = hostname_of(request.host)
    if not is_loopback(hostname) and hostname not in config.allowed_hosts:
        message = (
            f"the Host {request.host!r} is neither a loopback name nor one of allowed_hosts "
            "in the config file (a guard against DNS rebinding)"
        )
        raise ApiError("admin_forbidden", message)
    origin = request.headers.get("Origin")
    own = f"{request.scheme}://{request.host}"
    if origin is not None and origin != own:
        message = (
            f"the Origin {origin!r} is not this server's own ({own}): cross-site calls are refused"
        )
        raise ApiError("admin_forbidden", message)
    if config.admin_token and not _token_given(config.admin_token, request):
        message = (
            "this mock has an admin token: send 'Authorization: Bearer <admin token>', or open "
            "the web page once with ?admin_token=<admin token>"
        )
        raise ApiError("admin_token_required", message)
    changing = request.blueprint == "admin" and request.method in STATE_CHANGING
    if changing and request.mimetype != "application/json":
        got = request.content_type or "no Content-Type"
        message = f"admin calls that change state take application/json; got {got}"
        raise ApiError("json_required", message)


def secure(response: Response) -> Response:
    """The security headers on an answer of the admin API or the web page."""
    if request.blueprint in GUARDED:
        response.headers.update(SECURITY_HEADERS)
    return response


def _token_given(token: str, request: Request) -> bool:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    candidates = [
        value.strip() if scheme.lower() == "bearer" else "",
        request.cookies.get(TOKEN_COOKIE, ""),
        request.args.get("admin_token", "") if request.blueprint == "web" else "",
    ]
    return any(hmac.compare_digest(c.encode(), token.encode()) for c in candidates if c)
