"""``picsellia-mock conformance``: the command, its table, JUnit XML and JSON reports."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

import requests

from mockdriver import AdminClient, AdminError, LiveMock
from mockserver.config import Config

from .adapters import command
from .runner import Result, run_scenario
from .scenarios import load_scenarios

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
    try:
        scenarios = load_scenarios(args.only)
    except ValueError as exc:
        return _usage(f"a scenario is broken: {exc}")
    if not scenarios:
        return _usage(f"no scenario matches {' or '.join(args.only)}")
    argv = command(args.adapter)
    if args.url:
        return _run(args, scenarios, argv, args.url)
    with (
        tempfile.TemporaryDirectory(prefix="picsellia-conformance-") as folder,
        LiveMock(Config(db_path=str(Path(folder) / "db"))) as server,
    ):
        return _run(args, scenarios, argv, server.base_url)


def _run(args, scenarios: list[dict], argv: list[str], url: str) -> int:
    started = time.monotonic()
    try:
        server = AdminClient(url)
        results = [
            run_scenario(server, scenario, argv, args.adapter_timeout) for scenario in scenarios
        ]
    except (AdminError, requests.RequestException, LookupError) as exc:
        return _usage(f"cannot use the mock at {url}: {exc}")
    print_table(results, time.monotonic() - started)
    if args.junit:
        write_junit(results, args.junit)
    if args.json:
        Path(args.json).write_text(json.dumps(as_json(results), indent=2) + "\n", encoding="utf-8")
    return 0 if all(r.passed for r in results) else 1


def print_table(results: list[Result], seconds: float) -> None:
    width = max(len(r.scenario["name"]) for r in results)
    for level in LEVELS:
        chosen = [r for r in results if r.scenario["level"] == level]
        if not chosen:
            continue
        print(f"{level} ({sum(r.passed for r in chosen)}/{len(chosen)} passed)")
        for result in chosen:
            verdict = "pass" if result.passed else "FAIL"
            print(f"  {verdict}  {result.scenario['name']:<{width}}  {result.seconds:5.1f} s")
            if not result.passed:
                print(f"        {result.failure}")
                for line in result.stderr.strip().splitlines()[-5:]:
                    print(f"        stderr: {line}")
    failed = sum(not r.passed for r in results)
    print(f"conformance: {len(results) - failed} passed, {failed} failed ({seconds:.1f} s)")


def write_junit(results: list[Result], path: str) -> None:
    suites = ElementTree.Element("testsuites", name="picsellia-conformance")
    for level in LEVELS:
        chosen = [r for r in results if r.scenario["level"] == level]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=level,
            tests=str(len(chosen)),
            failures=str(sum(not r.passed for r in chosen)),
            time=f"{sum(r.seconds for r in chosen):.3f}",
        )
        for result in chosen:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=level,
                name=result.scenario["name"],
                time=f"{result.seconds:.3f}",
            )
            if not result.passed:
                failure = ElementTree.SubElement(case, "failure", message=result.failure)
                failure.text = result.scenario["summary"]
                if result.stderr:
                    ElementTree.SubElement(case, "system-err").text = result.stderr
    ElementTree.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def as_json(results: list[Result]) -> dict:
    return {
        "passed": sum(r.passed for r in results),
        "failed": sum(not r.passed for r in results),
        "scenarios": [
            {
                "name": r.scenario["name"],
                "level": r.scenario["level"],
                "rules": r.scenario["rules"],
                "passed": r.passed,
                "failure": r.failure,
                "seconds": round(r.seconds, 3),
            }
            for r in results
        ],
    }


def _usage(message: str) -> int:
    print(f"picsellia-mock: error: {message}", file=sys.stderr)
    return 2
