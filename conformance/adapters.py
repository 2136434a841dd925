"""Running an adapter: the client under test, wrapped in an executable that reads one action
(JSON, standard input) and prints one outcome (JSON, standard output)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from .scenarios import conformance_dir

# Short names for the adapters this kit ships.
BUILT_IN = {
    "reference": [sys.executable, "-m", "reference_client.adapter"],
}
STDERR_SHOWN = 2_000  # characters of an adapter's standard error kept in a failure


@dataclass
class Run:
    """What an adapter did: its outcome, or why there is none."""

    outcome: dict[str, Any] | None
    failure: str | None
    stderr: str
    seconds: float


def command(adapter: str) -> list[str]:
    """The command line of ``--adapter``: a built-in name, or a shell-style command."""
    return BUILT_IN.get(adapter) or shlex.split(adapter)


def _outcome_validator() -> Draft202012Validator:
    schema = json.loads((conformance_dir() / "outcome.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def run_adapter(argv: list[str], action: dict[str, Any], timeout: float) -> Run:
    """Run the adapter on one action; a hang, a crash or unreadable output is a failure."""
    import time

    started = time.monotonic()
    try:
        done = subprocess.run(
            argv,
            input=json.dumps(action),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = (
            (exc.stderr or b"").decode("utf-8", "replace")
            if isinstance(exc.stderr, bytes)
            else exc.stderr or ""
        )
        return Run(
            None,
            f"the adapter did not finish within {timeout:.0f} s",
            stderr[-STDERR_SHOWN:],
            timeout,
        )
    except OSError as exc:
        return Run(None, f"the adapter cannot be started: {exc}", "", 0.0)
    seconds = time.monotonic() - started
    stderr = done.stderr[-STDERR_SHOWN:]
    if done.returncode != 0:
        return Run(None, f"the adapter exited with status {done.returncode}", stderr, seconds)
    try:
        outcome = json.loads(done.stdout)
    except ValueError:
        shown = done.stdout.strip()[:200] or "nothing"
        return Run(None, f"the adapter printed no JSON outcome (got: {shown})", stderr, seconds)
    errors = list(_outcome_validator().iter_errors(outcome))
    if errors:
        where = "/".join(str(p) for p in errors[0].path)
        return Run(
            None,
            f"the outcome breaks outcome.schema.json at /{where}: {errors[0].message}",
            stderr,
            seconds,
        )
    return Run(outcome, None, stderr, seconds)
