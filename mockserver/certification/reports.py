"""Verdicts and the report of the scenarios graded since the last reset, as JSON
(admin-verdict.json, admin-conformance-report.json) and as JUnit XML."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

LEVELS = ("required", "recommended")
STDERR_KEPT = 20_000  # characters of a client's standard error kept in a verdict
# What XML 1.0 cannot carry, even escaped: control characters but tab, line feed and carriage
# return, lone surrogates and the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def summary(scenario: dict) -> dict[str, Any]:
    """A scenario as GET /__admin/conformance/scenarios lists it."""
    keys = ("name", "level", "rules", "summary", "deployment_type")
    return {key: scenario[key] for key in keys}


def verdict(scenario: dict, failures: list[str], seconds: float, graded: dict) -> dict[str, Any]:
    """admin-verdict.json: the scenario, its failures, and what the grade request carried."""
    found = summary(scenario)
    del found["deployment_type"]
    return {
        **found,
        "passed": not failures,
        "failures": failures,
        "seconds": round(seconds, 3),
        "outcome": graded.get("outcome"),
        "stderr": (graded.get("stderr") or "")[-STDERR_KEPT:],
    }


def report(verdicts: list[dict]) -> dict[str, Any]:
    """admin-conformance-report.json: sorted by level, then name."""
    ordered = sorted(verdicts, key=lambda v: (LEVELS.index(v["level"]), v["name"]))
    passed = sum(v["passed"] for v in ordered)
    return {"passed": passed, "failed": len(ordered) - passed, "scenarios": ordered}


def junit_xml(found: dict[str, Any]) -> bytes:
    """One testsuite per level, one testcase per verdict; always well-formed XML (characters
    XML cannot carry are dropped from messages and stderr)."""
    suites = ElementTree.Element("testsuites", name="picsellia-conformance")
    for level in LEVELS:
        chosen = [v for v in found["scenarios"] if v["level"] == level]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=level,
            tests=str(len(chosen)),
            failures=str(sum(not v["passed"] for v in chosen)),
            time=f"{sum(v['seconds'] for v in chosen):.3f}",
        )
        for item in chosen:
            case = ElementTree.SubElement(
                suite, "testcase", classname=level, name=item["name"], time=f"{item['seconds']:.3f}"
            )
            if not item["passed"]:
                failure = ElementTree.SubElement(
                    case, "failure", message=xml_text(item["failures"][0])
                )
                failure.text = xml_text("\n".join([item["summary"], *item["failures"]]))
            if item["stderr"]:
                ElementTree.SubElement(case, "system-err").text = xml_text(item["stderr"])
    return ElementTree.tostring(suites, encoding="utf-8", xml_declaration=True)


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)
