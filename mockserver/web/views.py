"""The mock's web page: deployments, the live request journal, every stored prediction drawn over
its image, the OpenAPI document and an API reference.

These routes are not part of Picsellia's services: they are not in ``schemas/openapi.json`` and
the journal does not record them (``exchange.handle`` does not serve them). The page reads the
journal from the admin API (``GET /__admin/requests``, itself unjournaled); what the admin API
does not give (the warnings of each stored record, the size it is drawn at) comes from
``GET /__web/predictions``, so that the page never reads the database.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from markupsafe import Markup, escape

from picsellia_contract.geometry import as_json as geometry_table
from picsellia_contract.openapi import bundled_openapi

from .. import __version__, admin, guard
from ..context import read_context
from ..exchange import Incoming
from ..guard import TOKEN_COOKIE
from . import apidocs
from .gallery import drawn_predictions

bp = Blueprint(
    "web",
    __name__,
    static_folder="static",
    static_url_path="/__web/static",
    template_folder="templates",
)
DRAWN_LIMIT = 100
CODE_SPAN = re.compile(r"`([^`]+)`")


@bp.get("/")
def overview():
    """Every deployment, the journal and every stored prediction."""
    return page(None)


@bp.get("/deployments/<id>")
def deployment(id: str):
    """One deployment: its credentials, its stored predictions and its journal."""
    if id not in read_context().config.deployments:
        return page(id, status=404)
    return page(id)


def page(deployment_id: str | None, status: int = 200) -> tuple[str, int]:
    """templates/page.html, given the deployments as GET /__admin/deployments lists them
    (admin-deployments-response.json) and the contract's geometry table."""
    ctx = read_context()
    deployments = admin.deployments(ctx, None).body["deployments"]  # the admin API's own shape
    current = next((d for d in deployments if d["id"] == deployment_id), None)
    data = {
        "deployment_id": deployment_id,
        "deployments": deployments,
        "geometry": geometry_table(),  # read from the contract: the page restates no key
    }
    html = render_template(
        "page.html",
        deployments=deployments,
        current=current,
        missing=deployment_id if status == 404 else None,
        data=data,
        version=__version__,
        base_url=request.host_url.rstrip("/"),
    )
    return html, status


@bp.get("/__web/predictions")
def predictions() -> Response:
    """The newest stored records as the page draws them (``?deployment_id=`` for one
    deployment's, ``?limit=``: how many, 100 by default); ``total``: how many are stored."""
    ctx = read_context()
    wanted = request.args.get("deployment_id")
    deployments = [d for d in ctx.config.deployments.values() if wanted in (None, d.id)]
    limit = request.args.get("limit", DRAWN_LIMIT, type=int)
    total, found = drawn_predictions(ctx, deployments, max(limit, 0))
    return jsonify({"total": total, "count": len(found), "predictions": found})


@bp.get("/__web/predictions/<prediction_id>/image")
def image(prediction_id: str) -> Response:
    """A stored record's image bytes, as ``GET /__admin/predictions/{prediction_id}/image``."""
    incoming = Incoming(request._get_current_object(), b"", 0)
    response = admin.image(read_context(), incoming, prediction_id).response()
    response.cache_control.max_age = 3600  # a stored image never changes
    return response


@bp.get("/docs")
def docs():
    """The API reference, rendered from the bundled OpenAPI document."""
    document = bundled_openapi()
    return render_template("docs.html", ref=apidocs.reference(document), version=__version__)


@bp.app_template_filter("prose")
def prose(text: str) -> Markup:
    """Plain text from the OpenAPI document, escaped, with `code spans` set as code."""
    return Markup(CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


@bp.before_request
def check_caller() -> None:
    """The page is guarded as the admin API is (``guard.check``)."""
    guard.check(current_app.config["MOCK"], request._get_current_object())


@bp.after_request
def remember_admin_token(response: Response) -> Response:
    """Opened with ?admin_token= (checked by guard.check), the page keeps it as a same-site,
    script-proof cookie, which its later calls to the admin API carry."""
    token = request.args.get("admin_token")
    if token and current_app.config["MOCK"].admin_token == token:
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
    return response
