"""Running an adapter: the client under test, wrapped in an executable that reads one action
(JSON, standard input) and prints one outcome (JSON, standard output).

Each adapter runs in a session (and process group) of its own, its output written to files: the
runner waits for the adapter itself, not for whatever it left running, then ends the whole group.
Whatever it prints (invalid UTF-8, control characters, JSON nested too deep) is reported, never a
crash of the runner; a signal it sends to its own group cannot reach the runner.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from picsellia_contract.registry import validator_for

# Short names for the adapters this kit ships.
BUILT_IN = {
    "reference": [sys.executable, "-m", "reference_client.adapter"],
}
STDERR_SHOWN = 2_000  # characters of an adapter's standard error kept
OUTPUT_READ = 16 << 20  # bytes of an adapter's standard output read at most


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


def run_adapter(argv: list[str], action: dict[str, Any], timeout: float) -> Run:
    """Run the adapter on one action; a hang, a crash or unreadable output is a failure."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group, ended as a whole below
            )
        except OSError as exc:
            return Run(None, f"the adapter cannot be started: {exc}", "", 0.0)
        timed_out = False
        try:
            with contextlib.suppress(BrokenPipeError):
                process.stdin.write(json.dumps(action).encode())
                process.stdin.close()
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            end_group(process)
        seconds = time.monotonic() - started
        stdout, stderr = read(out, OUTPUT_READ), read(err, None)[-STDERR_SHOWN:]
    if timed_out:
        return Run(None, f"the adapter did not finish within {timeout:.0f} s", stderr, timeout)
    if process.returncode != 0:
        status = process.returncode
        return Run(None, f"the adapter exited with status {status}", stderr, seconds)
    return _outcome(stdout, stderr, seconds)


def end_group(process: subprocess.Popen) -> None:
    """Kill the adapter's process group (what it left running too), then reap the adapter."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def read(file, limit: int | None) -> str:
    """A captured output as text: invalid UTF-8 shown as U+FFFD, never an error."""
    file.seek(0)
    return file.read(limit if limit is not None else -1).decode("utf-8", "replace")


def _outcome(stdout: str, stderr: str, seconds: float) -> Run:
    try:
        outcome = json.loads(stdout)
    except (ValueError, RecursionError) as exc:
        shown = json.dumps(stdout.strip()[:200]) if stdout.strip() else "nothing"
        why = "nested too deep" if isinstance(exc, RecursionError) else "not JSON"
        return Run(
            None, f"the adapter printed no JSON outcome ({why}; got: {shown})", stderr, seconds
        )
    errors = list(validator_for("conformance-outcome").iter_errors(outcome))
    if errors:
        where = "/".join(str(p) for p in errors[0].path)
        message = f"the outcome breaks conformance-outcome.json at /{where}: {errors[0].message}"
        return Run(None, message[:500], stderr, seconds)
    return Run(outcome, None, stderr, seconds)
