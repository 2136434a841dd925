"""Server configuration: defaults, the TOML config file, and the built-in demo deployments.

The file is described and checked by schemas/mock-config.json (its defaults are the defaults
here); a bad one stops the server with one ``ConfigError`` line naming the file, the JSON Pointer
of the first error and the problem. Rules across entries (ids) are checked here.
"""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from picsellia_contract import ERROR, Problem, field_defaults, load_schema, validate
from picsellia_contract.checks import monitorable_types

DEMO_API_TOKEN = "demo-api-token"
DEMO_LABELS = ["car", "truck", "bus", "person", "bicycle"]
CONFIG_SCHEMA = "mock-config"  # schemas/mock-config.json: every key of the file


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
    jwt_lifetime_seconds: int = field(default_factory=lambda: _defaults()["jwt_lifetime_seconds"])
    max_body_bytes: int = field(default_factory=lambda: _defaults()["max_body_bytes"])
    reject_duplicates: bool = field(default_factory=lambda: _defaults()["reject_duplicates"])
    db_path: str | None = None
    strict: bool = False
    seed: int = 0
    journal_capacity: int = 10_000
    max_stored_image_bytes: int = field(
        default_factory=lambda: _defaults()["max_stored_image_bytes"]
    )
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
    """Read a TOML config file over ``base`` (defaults when None), checked by mock-config.json."""
    config = base or Config()
    where = str(path)
    data = _read(path)
    errors = [p for p in validate(CONFIG_SCHEMA, data) if p.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{where}: {first.pointer or '/'}: {_wording(first)}{more}")
    keys = ("jwt_lifetime_seconds", "max_body_bytes", "max_stored_image_bytes")
    for key in (*keys, "reject_duplicates", "admin_token"):
        if key in data:
            setattr(config, key, data[key])
    if "allowed_hosts" in data:
        config.allowed_hosts = tuple(data["allowed_hosts"])
    if "deployments" in data:
        configured = _deployments(data["deployments"], where)
        if {**_defaults(), **data}["demo_deployments"]:
            for index, ident in enumerate(configured):
                if ident in config.deployments:
                    message = f"repeats the id of a demo deployment: {ident!r}"
                    raise ConfigError(f"{where}: /deployments/{index}/id: {message}")
            configured = {**config.deployments, **configured}
        config.deployments = configured
    return config


def _read(path: str | Path) -> dict[str, Any]:
    """The file's TOML as JSON values (dates become their text: the schema wants none)."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (a TOML file is UTF-8)") from None
    return json.loads(json.dumps(data, default=str))


def _wording(problem: Problem) -> str:
    """A problem's message, the known keys added to an unknown one's."""
    if problem.code != "unknown_property":
        return problem.message
    schema = load_schema(CONFIG_SCHEMA)
    parent = problem.pointer.rsplit("/", 1)[0]
    known = schema["properties"] if not parent else schema["$defs"]["deployment"]["properties"]
    return f"unknown key; known: {', '.join(sorted(known))}"


def _defaults() -> dict[str, Any]:
    return field_defaults(CONFIG_SCHEMA)


def _deployments(entries: list[dict], where: str) -> dict[str, Deployment]:
    """The configured deployments (already valid against the schema), ids checked distinct."""
    found: dict[str, Deployment] = {}
    for index, entry in enumerate(entries):
        ident = entry["id"]
        if ident in found:
            raise ConfigError(f"{where}: /deployments/{index}/id: repeats deployment {ident!r}")
        name = entry.get("name", ident)
        labels = tuple(entry.get("labels", ()))
        found[ident] = Deployment(ident, entry["type"], name, labels, tuple(entry["api_tokens"]))
    return found
