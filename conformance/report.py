"""``picsellia-mock conformance``: the command and its table; the JSON and JUnit XML reports are
the mock's own (``GET /__admin/conformance/report`` and ``report.xml``), written to files.

Without ``--url`` it starts a mock in this process (``LiveMock``); with it, any running mock
(a container's mapped port works)."""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import tempfile
import time
from pathlib import Path

from mockdriver import AdminClient, AdminError, LiveMock
from mockserver.config import Config

from .adapters import command
from .runner import run_scenario

LEVELS = ("required", "recommended")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``conformance``'s options."""
    parser.description = (
        "Run every scenario of schemas/conformance/ through an adapter (see the "
        "porting guide, 'Certify your client') and grade it from the mock's journal. Exit "
        "status: 0 all passed, 1 any failed, 2 usage error."
    )
    parser.add_argument("--adapter", required=True, help='"reference", or a command: "node a.js"')
    parser.add_argument("--url", help="a running mock to use (default: start one)")
    parser.add_argument("--admin-token", help="the running mock's admin token, if it has one")
    parser.add_argument(
        "--only",
        action="append",
        help="run the scenarios whose name matches this glob (repeat it for several)",
    )
    parser.add_argument("--junit", help="write a JUnit XML report to this file")
    parser.add_argument("--json", help="write a JSON report to this file")
    parser.add_argument(
        "--adapter-timeout",
        type=float,
        default=60.0,
        help="seconds after which an adapter that has not finished fails its scenario",
    )


def run(args: argparse.Namespace) -> int:
    argv = command(args.adapter)
    if args.url:
        return _run(args, argv, args.url)
    with (
        tempfile.TemporaryDirectory(prefix="picsellia-conformance-") as folder,
        LiveMock(Config(db_path=str(Path(folder) / "db"))) as server,
    ):
        return _run(args, argv, server.base_url)


def _run(args, argv: list[str], url: str) -> int:
    started = time.monotonic()
    admin = AdminClient(url, args.admin_token)
    try:
        listed = admin.call("adminScenarios")["scenarios"]
        names = [s["name"] for s in listed if _chosen(s["name"], args.only)]
        if not names:
            return _usage(f"no scenario matches {' or '.join(args.only or [])}")
        admin.reset()  # the report then holds this run's verdicts only
        errors = run_each(admin, names, argv, args.adapter_timeout, url)
        report = admin.call("adminConformanceReport")
        junit = admin.call("adminConformanceJunit") if args.junit else None
    except AdminError as exc:
        return _usage(f"cannot use the mock at {url}: {exc}")
    finally:
        admin.close()
    print_table(report, time.monotonic() - started)
    if junit is not None:
        Path(args.junit).write_bytes(junit)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for error in errors:
        _usage(error)
    if errors:
        return 2
    return 0 if report["failed"] == 0 else 1


def run_each(admin: AdminClient, names: list[str], argv: list[str], limit: float, url: str):
    """Run the scenarios in turn; the errors that kept one from running. A broken scenario
    is skipped and the others run; a mock that cannot be used stops the run. Either way the
    verdicts already given stay in the mock's report, which the caller then reads."""
    errors = []
    with tempfile.TemporaryDirectory(prefix="picsellia-conformance-files-") as files:
        for name in names:
            try:
                run_scenario(admin, name, argv, limit, Path(files))
            except AdminError as exc:
                if exc.code != "scenario_broken":
                    errors.append(f"cannot use the mock at {url}: {exc}")
                    break
                errors.append(f"a scenario is broken: {exc}")
    return errors


def _chosen(name: str, globs: list[str] | None) -> bool:
    return not globs or any(fnmatch.fnmatch(name, glob) for glob in globs)


def print_table(report: dict, seconds: float) -> None:
    verdicts = report["scenarios"]
    width = max((len(v["name"]) for v in verdicts), default=0)
    for level in LEVELS:
        chosen = [v for v in verdicts if v["level"] == level]
        if not chosen:
            continue
        print(f"{level} ({sum(v['passed'] for v in chosen)}/{len(chosen)} passed)")
        for verdict in chosen:
            mark = "pass" if verdict["passed"] else "FAIL"
            print(f"  {mark}  {verdict['name']:<{width}}  {verdict['seconds']:5.1f} s")
            for failure in verdict["failures"]:
                print(f"        {failure}")
            if not verdict["passed"]:
                for line in verdict["stderr"].strip().splitlines()[-5:]:
                    print(f"        stderr: {line}")
    print(f"conformance: {report['passed']} passed, {report['failed']} failed ({seconds:.1f} s)")


def _usage(message: str) -> int:
    print(f"picsellia-mock: error: {message}", file=sys.stderr)
    return 2
