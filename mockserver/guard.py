"""Who may use the admin API and the web page: calls under a loopback (or configured) host
name, with no Origin or the server's own, with the admin token when one is set.

A call without an Origin header comes from curl or a program's HTTP client (browsers send Origin
on every POST and DELETE, same-site or not, and Sec-Fetch-Site too): it is taken whatever its
Content-Type, a POST with no body included. A call with an Origin comes from a browser: a foreign
or ``null`` Origin is refused (a page elsewhere cannot steer the mock with a cross-site
``text/plain`` POST, which needs no preflight), and the server's own page sends its state changes
as JSON (a second lock, kept). A foreign name that resolves to 127.0.0.1 is refused for its Host
(DNS rebinding). The token may come as a bearer header, or as the cookie the web page sets when
opened with ``?admin_token=``. Which admin calls change state is read from the OpenAPI document.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Request, Response, request

from picsellia_contract.routes import state_changing

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
SAFE = ("GET", "HEAD", "OPTIONS")  # methods that change nothing
SIMPLE_CHANGING = ("POST",)  # the one simple method: others need a preflight the mock never grants
BROWSER_SAME_ORIGIN = ("same-origin", "none")  # Sec-Fetch-Site values a page of its own sends
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
    site = request.headers.get("Sec-Fetch-Site")  # only browsers send it
    if origin is None and site not in (None, *BROWSER_SAME_ORIGIN) and request.method not in SAFE:
        message = f"a {site} browser request without an Origin: cross-site calls are refused"
        raise ApiError("admin_forbidden", message)
    if config.admin_token and not _token_given(config.admin_token, request):
        message = (
            "this mock has an admin token: send 'Authorization: Bearer <admin token>', or open "
            "the web page once with ?admin_token=<admin token>"
        )
        raise ApiError("admin_token_required", message)
    if origin is None or request.mimetype == "application/json":
        return
    operation_id = (request.endpoint or "").rpartition(".")[2]
    if request.method in SIMPLE_CHANGING and operation_id in state_changing():
        got = request.content_type or "no Content-Type"
        message = (
            f"a browser's admin calls that change state take application/json; got {got} "
            "(a call without an Origin header may send any)"
        )
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
