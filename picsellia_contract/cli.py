"""The ``validate`` command: check a JSON file against a message of the contract.

``picsellia-mock validate MESSAGE FILE [--deployment-type T] [--labels N] [--strict] [--json]``
prints each problem with its JSON Pointer and code; ``--labels N`` (the deployment's number of
labels) warns about class indexes N or more. Exit status: 0 valid (warnings allowed), 1 invalid,
2 usage error. ``POST /__admin/validate/{message}`` answers the same verdict as ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .problems import Problem
from .registry import message_names
from .validate import DEPLOYMENT_TYPES, is_valid, validate

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", help="schema name, e.g. monitoring-prediction-request")
    parser.add_argument("file", help="JSON file to check, or - for standard input")
    parser.add_argument("--deployment-type", choices=DEPLOYMENT_TYPES, default=None)
    parser.add_argument(
        "--labels",
        metavar="N",
        default=None,
        help="the deployment's number of labels: warn about class indexes N or more",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")


def verdict(problems: list[Problem]) -> dict[str, Any]:
    """The JSON verdict (admin-validate-response.json)."""
    return {"valid": is_valid(problems), "problems": [p.as_dict() for p in problems]}


def run_validate(args: argparse.Namespace, prog: str = "picsellia-mock") -> int:
    """Validate one file; print each problem with its pointer and code."""
    if args.message.removesuffix(".json") not in message_names():
        known = ", ".join(message_names())
        return _usage(prog, f"unknown message {args.message!r}; one of: {known}")
    label_count = _label_count(args.labels)
    if label_count == 0:
        return _usage(prog, f"--labels wants a number of labels, 1 or more; got {args.labels!r}")
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return _usage(prog, f"cannot read {args.file}: {exc}")
    try:
        instance = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _usage(prog, f"{args.file} is not JSON: {exc}")
    problems = validate(
        args.message,
        instance,
        deployment_type=args.deployment_type,
        strict=args.strict,
        label_count=label_count,
    )
    valid = is_valid(problems)
    if args.json:
        print(json.dumps(verdict(problems), indent=2))
    else:
        errors = sum(p.severity == "error" for p in problems)
        state = "valid" if valid else "invalid"
        print(f"{args.file}: {state} ({errors} errors, {len(problems) - errors} warnings)")
        for p in problems:
            print(f"  {p.severity:<7} {p.pointer or '/'}  [{p.code}] {p.message}")
    return EXIT_VALID if valid else EXIT_INVALID


def _label_count(text: str | None) -> int | None:
    """The count ``--labels`` gives, None when absent, 0 when it is not a count of 1 or more."""
    if text is None:
        return None
    return int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else 0


def _usage(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
