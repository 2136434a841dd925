"""The contract in Python: load the schema files, validate a message, read the error catalogue.

>>> from picsellia_contract import validate
>>> validate("login-request", {"api_token": "t"})[0].code
'missing_property'

Importing it imports none of Flask, Werkzeug, gunicorn or Pillow: a sender can validate a
payload with the contract alone.
"""

from importlib.metadata import PackageNotFoundError, version

from .problems import ERROR, WARNING, Problem
from .registry import (
    error_catalogue,
    field_defaults,
    load_schema,
    message_names,
    registry,
    retry_after_statuses,
    status_titles,
    validator_for,
)
from .validate import DEPLOYMENT_TYPES, Checked, check_message, is_valid, validate

try:
    __version__ = version("picsellia-contract-kit")  # one home: pyproject.toml
except PackageNotFoundError:  # pragma: no cover - running from a checkout that is not installed
    __version__ = "0+unknown"

__all__ = [
    "DEPLOYMENT_TYPES",
    "ERROR",
    "WARNING",
    "Checked",
    "Problem",
    "__version__",
    "check_message",
    "error_catalogue",
    "field_defaults",
    "is_valid",
    "load_schema",
    "message_names",
    "registry",
    "retry_after_statuses",
    "status_titles",
    "validate",
    "validator_for",
]
