"""The contract in Python: load the schema files, validate a message, read the error catalogue.

>>> from picsellia_contract import validate
>>> validate("login-request", {"api_token": "t"})[0].code
'missing_property'
"""

from .problems import ERROR, WARNING, Problem
from .registry import error_catalogue, load_schema, message_names, registry, validator_for
from .validate import DEPLOYMENT_TYPES, is_valid, validate

__all__ = [
    "DEPLOYMENT_TYPES",
    "ERROR",
    "WARNING",
    "Problem",
    "error_catalogue",
    "is_valid",
    "load_schema",
    "message_names",
    "registry",
    "validate",
    "validator_for",
]
