"""``picsellia-mock COMMAND``: the kit's one command line, each command run by its own product.

Every command is a pair of functions in the package that holds it: one adds its options to its
parser, the other runs it and answers the exit status (2 for a usage error, for every command).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    module: str  # where the command lives
    add_arguments: str = "add_arguments"
    run: str = "run"


COMMANDS = (
    Command("serve", "run the mock server", "mockserver.serve"),
    Command(
        "validate",
        "validate a JSON file against a message schema",
        "picsellia_contract.cli",
        add_arguments="add_validate_arguments",
        run="run_validate",
    ),
    Command("vectors", "send every test vector to a running server", "mockdriver.vectors"),
    Command(
        "check-live", "compare the real services' answers with the contract", "checklive.command"
    ),
    Command(
        "conformance",
        "certify a client: run the conformance scenarios through its adapter",
        "conformance.report",
    ),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="picsellia-mock", description="The Picsellia contract kit's mock server and tools."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        module = importlib.import_module(command.module)
        getattr(module, command.add_arguments)(commands.add_parser(command.name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    return getattr(importlib.import_module(command.module), command.run)(args)


if __name__ == "__main__":
    sys.exit(main())
