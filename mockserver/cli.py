"""``picsellia-mock``: validate a message file against the contract, or serve the mock.

Exit status of ``validate``: 0 valid (warnings allowed), 1 invalid, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from picsellia_contract.cli import add_validate_arguments, run_validate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="picsellia-mock", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_validate_arguments(
        commands.add_parser("validate", help="validate a JSON file against a message schema")
    )
    from .serve import add_serve_arguments  # the server's options live beside the server

    add_serve_arguments(commands.add_parser("serve", help="run the mock server"))
    from .conformance.report import add_conformance_parser
    from .live_check import add_check_live_parser
    from .vectors import add_vectors_parser

    add_check_live_parser(commands)
    add_vectors_parser(commands)
    add_conformance_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from .serve import serve

        return serve(args)
    if args.command == "check-live":
        return args.run(args)
    if args.command == "conformance":
        from .conformance.report import run_conformance

        return run_conformance(args)
    if args.command == "vectors":
        from .vectors import run_vectors

        return run_vectors(args)
    return run_validate(args)


if __name__ == "__main__":
    sys.exit(main())
