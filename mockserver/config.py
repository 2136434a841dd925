"""Server configuration: defaults, the TOML config file, and the built-in demo deployments.

A bad config file stops the server with one ``ConfigError`` naming the file, the key and the
problem.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from picsellia_contract import DEPLOYMENT_TYPES
from picsellia_contract.checks import monitorable_types

DEMO_API_TOKEN = "demo-api-token"
DEMO_LABELS = ["car", "truck", "bus", "person", "bicycle"]
TOP_LEVEL_KEYS = {
    "jwt_lifetime_seconds",
    "max_body_bytes",
    "reject_duplicates",
    "demo_deployments",
    "admin_token",
    "allowed_hosts",
    "deployments",
}
DEPLOYMENT_KEYS = {"id", "name", "type", "labels", "api_tokens"}


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Deployment:
    id: str
    type: str
    name: str = ""
    labels: tuple[str, ...] = ()
    api_tokens: tuple[str, ...] = ()

    @property
    def monitorable(self) -> bool:
        return self.type in monitorable_types()


@dataclass
class Config:
    """Everything ``create_app`` needs; every field has a safe default."""

    deployments: dict[str, Deployment] = field(default_factory=lambda: demo_deployments())
    jwt_lifetime_seconds: int = 3600
    max_body_bytes: int = 32 * 1024 * 1024
    reject_duplicates: bool = True
    db_path: str | None = None
    strict: bool = False
    seed: int = 0
    journal_capacity: int = 10_000
    # Stored image bytes kept at most: past it the oldest images are dropped (their records keep
    # the size and SHA-256, and say so); 1 GiB by default.
    max_stored_image_bytes: int = 1 << 30
    admin_token: str | None = None  # when set, /__admin/* and the web page require it
    allowed_hosts: tuple[str, ...] = ()  # Host names besides loopback ones the admin API answers


def demo_name(deployment_type: str) -> str:
    """The name of the demo deployment of a type: demo-object-detection."""
    return "demo-" + deployment_type.lower().replace("_", "-")


def demo_deployments() -> dict[str, Deployment]:
    """One demo deployment per monitorable type, with stable ids and the demo API token."""
    found = {}
    for type_ in monitorable_types():
        ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"picsellia-mock/demo/{type_}"))
        name = demo_name(type_)
        found[ident] = Deployment(ident, type_, name, tuple(DEMO_LABELS), (DEMO_API_TOKEN,))
    return found


def load_config_file(path: str | Path, base: Config | None = None) -> Config:
    """Read a TOML config file over ``base`` (defaults when None)."""
    config = base or Config()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (a TOML file is UTF-8)") from None
    where = str(path)
    for key in sorted(set(data) - TOP_LEVEL_KEYS):
        raise ConfigError(f"{where}: unknown key '{key}'; known: {sorted(TOP_LEVEL_KEYS)}")
    for key in ("jwt_lifetime_seconds", "max_body_bytes"):
        if key in data:
            setattr(config, key, _positive_int(data[key], where, key))
    if "reject_duplicates" in data:
        if not isinstance(data["reject_duplicates"], bool):
            raise ConfigError(f"{where}: key 'reject_duplicates' must be true or false")
        config.reject_duplicates = data["reject_duplicates"]
    if "admin_token" in data:
        token = data["admin_token"]
        if not isinstance(token, str) or len(token) < 8:
            raise ConfigError(
                f"{where}: key 'admin_token' must be a string of 8 characters or more"
            )
        config.admin_token = token
    if "allowed_hosts" in data:
        config.allowed_hosts = _strings(data["allowed_hosts"], where, "allowed_hosts", True)
    keep_demo = data.get("demo_deployments", False)
    if not isinstance(keep_demo, bool):
        raise ConfigError(f"{where}: key 'demo_deployments' must be true or false")
    if "deployments" in data:
        configured = _deployments(data["deployments"], where)
        if keep_demo:
            for ident in sorted(set(configured) & set(config.deployments)):
                raise ConfigError(f"{where}: deployment {ident!r} repeats a demo deployment's id")
            configured = {**config.deployments, **configured}
        config.deployments = configured
    return config


def _positive_int(value: Any, where: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: key '{key}' must be a positive integer, got {value!r}")
    return value


def _deployments(entries: Any, where: str) -> dict[str, Deployment]:
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{where}: key 'deployments' must be one or more [[deployments]] tables")
    found: dict[str, Deployment] = {}
    for index, entry in enumerate(entries):
        at = f"{where}: deployments[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{at}: must be a table")
        for key in sorted(set(entry) - DEPLOYMENT_KEYS):
            raise ConfigError(f"{at}: unknown key '{key}'; known: {sorted(DEPLOYMENT_KEYS)}")
        for key in ("id", "type", "api_tokens"):
            if key not in entry:
                raise ConfigError(f"{at}: key '{key}' is required")
        ident, type_ = entry["id"], entry["type"]
        if not isinstance(ident, str) or not ident or "/" in ident:
            raise ConfigError(f"{at}: key 'id' must be a non-empty string without '/'")
        if ident in found:
            raise ConfigError(f"{at}: key 'id' repeats deployment {ident!r}")
        if type_ not in DEPLOYMENT_TYPES:
            raise ConfigError(f"{at}: key 'type' must be one of {list(DEPLOYMENT_TYPES)}")
        name = entry.get("name", ident)
        if not isinstance(name, str):
            raise ConfigError(f"{at}: key 'name' must be a string")
        labels = _strings(entry.get("labels", []), at, "labels", allow_empty=True)
        tokens = _strings(entry["api_tokens"], at, "api_tokens", allow_empty=False)
        found[ident] = Deployment(ident, type_, name, labels, tokens)
    return found


def _strings(value: Any, at: str, key: str, allow_empty: bool) -> tuple[str, ...]:
    ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if not ok or (not value and not allow_empty):
        need = "a list of non-empty strings" + ("" if allow_empty else ", at least one")
        raise ConfigError(f"{at}: key '{key}' must be {need}")
    return tuple(value)
