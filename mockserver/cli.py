"""``picsellia-mock``: validate a message file against the contract, or serve the mock.

Exit status of ``validate``: 0 valid (warnings allowed), 1 invalid, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from picsellia_contract import DEPLOYMENT_TYPES, is_valid, message_names, validate

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picsellia-mock", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="validate a JSON file against a message schema")
    check.add_argument("message", help="schema name, e.g. monitoring-prediction-request")
    check.add_argument("file", help="JSON file to check, or - for standard input")
    check.add_argument("--deployment-type", choices=DEPLOYMENT_TYPES, default=None)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    from .serve import add_serve_arguments  # the server's options live beside the server

    add_serve_arguments(commands.add_parser("serve", help="run the mock server"))
    from .live_check import add_check_live_parser

    add_check_live_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from .serve import serve

        return serve(args)
    if args.command == "check-live":
        return args.run(args)
    return run_validate(args)


def run_validate(args: argparse.Namespace) -> int:
    """Validate one file; print each problem with its pointer and code."""
    if args.message.removesuffix(".json") not in message_names():
        return _usage(f"unknown message {args.message!r}; one of: {', '.join(message_names())}")
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return _usage(f"cannot read {args.file}: {exc}")
    try:
        instance = json.loads(text)
    except ValueError as exc:
        return _usage(f"{args.file} is not JSON: {exc}")
    problems = validate(
        args.message, instance, deployment_type=args.deployment_type, strict=args.strict
    )
    valid = is_valid(problems)
    if args.json:
        report = {"valid": valid, "problems": [p.as_dict() for p in problems]}
        print(json.dumps(report, indent=2))
    else:
        errors = sum(p.severity == "error" for p in problems)
        verdict = "valid" if valid else "invalid"
        print(f"{args.file}: {verdict} ({errors} errors, {len(problems) - errors} warnings)")
        for p in problems:
            print(f"  {p.severity:<7} {p.pointer or '/'}  [{p.code}] {p.message}")
    return EXIT_VALID if valid else EXIT_INVALID


def _usage(message: str) -> int:
    print(f"picsellia-mock: error: {message}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
