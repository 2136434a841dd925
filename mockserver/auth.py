"""Authentication: both login routes, signed JWTs, and the checks every protected route makes.

A token is an HS256 JWT whose audience is the service that issued it ("serving" or
"monitoring") and whose subject is the deployment. Expiry is checked against the server's clock,
which the admin API can move forward.
"""

from __future__ import annotations

import functools
import uuid

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.api_jws import PyJWS

from picsellia_contract.routes import login_operation

from .bodies import read_json
from .config import Config, Deployment
from .context import Context
from .errors import ApiError
from .exchange import Answer, Incoming
from .jsontext import dumps

ISSUER = "picsellia-mock"
SERVICE_NAMES = {
    "serving": "the prediction (serving) service",
    "monitoring": "the monitoring service",
}


def login_view(service: str):
    """The view of a service's login route (login-request.json -> login-response.json): a
    token for that service's routes only. Both services log in the same way."""

    def view(ctx: Context, incoming: Incoming) -> Answer:
        body = read_json(incoming)
        token = login(ctx, service, body, incoming.headers.get("Authorization"))
        return Answer(token, deployment_id=body["deployment_id"])

    view.__name__ = f"{service}_login"
    return view


def login(ctx: Context, service: str, body: object, token_header: str | None) -> dict:
    """Both login routes (login-request.json -> login-response.json): a signed jwt."""
    ctx.check("login-request", body)
    deployment = deployment_or_404(ctx.config, body["deployment_id"])
    check_api_token(deployment, body["api_token"], token_header)
    return issue_token(service, deployment.id, ctx.now, ctx.config.jwt_lifetime_seconds, ctx.secret)


def authorize(ctx: Context, service: str, deployment_id: str, header: str | None) -> Deployment:
    """The deployment a valid bearer token of ``service`` gives access to: 401, 404 or 403."""
    claims = bearer_claims(header, service, ctx.now, ctx.secret)
    deployment = deployment_or_404(ctx.config, deployment_id)
    check_deployment(claims, deployment_id)
    return deployment


def deployment_or_404(config: Config, deployment_id: str) -> Deployment:
    deployment = config.deployments.get(deployment_id)
    if deployment is None:
        message = f"no deployment has the id {deployment_id!r}"
        raise ApiError("deployment_not_found", message, deployment_id=deployment_id)
    return deployment


def issue_token(service: str, deployment_id: str, now: float, lifetime: int, secret: str) -> dict:
    """The login answer: a signed ``jwt`` and its expiry as epoch seconds in ``expires``."""
    expires = int(now) + lifetime
    claims = {
        "iss": ISSUER,
        "aud": service,
        "sub": deployment_id,
        "iat": int(now),
        "exp": expires,
        "jti": uuid.uuid4().hex,
    }
    token = SIGNER.encode(dumps(claims).encode(), secret, algorithm="HS256")
    return {"jwt": token, "expires": expires}


class MockKeyHS256(HMACAlgorithm):
    """HS256 with the mock's key checked once: PyJWT checks a key (is it PEM? SSH?) on every
    token it signs, which cost a login about a tenth of its time."""

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one instance, a few keys, kept for good
    def prepare_key(self, key: str | bytes) -> bytes:
        return super().prepare_key(key)


SIGNER = PyJWS(algorithms=["HS256"])  # PyJWT's signing of the claims, given as JSON
SIGNER.unregister_algorithm("HS256")
SIGNER.register_algorithm("HS256", MockKeyHS256(HMACAlgorithm.SHA256))


def check_api_token(deployment: Deployment, api_token: str, header: str | None) -> None:
    """401 unless ``api_token`` is one of the deployment's tokens (and the Token header agrees)."""
    if api_token not in deployment.api_tokens:
        raise ApiError(
            "invalid_api_token",
            f"the api_token is not valid for deployment {deployment.id}",
            pointer="/api_token",
            deployment_id=deployment.id,
        )
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "token" and value.strip() != api_token:
            message = "the 'Authorization: Token' header and the body's api_token differ"
            raise ApiError("invalid_api_token", message, deployment_id=deployment.id)


def bearer_claims(header: str | None, service: str, now: float, secret: str) -> dict:
    """The verified claims of the request's bearer token for ``service``, or a 401."""
    login = str(login_operation(service))
    if not header:
        _unauthorized("token_missing", f"send 'Authorization: Bearer <jwt>'; get a jwt at {login}")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        message = f"the Authorization header must be 'Bearer <jwt>' (a jwt from {login})"
        _unauthorized("token_missing", message)
    claims = verified_claims(token.strip(), secret)
    if claims is None:
        _unauthorized("token_invalid", f"the bearer token is not a jwt issued by {login}")
    if claims["aud"] != service:
        other = "monitoring" if service == "serving" else "serving"
        message = (
            f"the token was issued by {SERVICE_NAMES[other]}; {SERVICE_NAMES[service]} "
            f"needs its own token: log in at {login}"
        )
        _unauthorized("token_wrong_service", message)
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] <= now:
        _unauthorized("token_expired", f"the token has expired; log in again at {login}")
    return claims


@functools.lru_cache(maxsize=4096)
def verified_claims(token: str, secret: str) -> dict | None:
    """The claims of a token whose signature is ours, or None; a client's token is checked once.

    Time claims are not checked here but against the server's clock by the caller.
    """
    options = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False}
    options["require"] = ["aud", "sub", "exp"]
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], options=options)
    except jwt.InvalidTokenError:
        return None


def check_deployment(claims: dict, deployment_id: str) -> None:
    """403 when the token was issued for another deployment."""
    if claims["sub"] != deployment_id:
        message = (
            f"the token was issued for deployment {claims['sub']}, not {deployment_id}; "
            "log in with this deployment's id"
        )
        raise ApiError("token_wrong_deployment", message, deployment_id=deployment_id)


def _unauthorized(code: str, message: str) -> None:
    quoted = message.replace('"', "'")
    header = f'Bearer realm="picsellia-mock", error="invalid_token", error_description="{quoted}"'
    raise ApiError(code, message, headers={"WWW-Authenticate": header})
