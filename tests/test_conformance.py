"""The conformance suite: its scenarios, the two adapters shipped that pass them all, and the
mutants of the reference adapter that each fail exactly the scenarios naming the rule they
break."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mockserver.certification.scenarios import load_scenarios
from picsellia_contract import load_schema
from picsellia_mock.cli import main

from .helpers import require

SCENARIOS = load_scenarios()

# Each mutant of the reference adapter: the code patching it, and the rules it breaks.
MUTANTS = {
    "retries off": (
        "session.RETRY_STATUSES = set()",
        {"retry_server_errors", "retry_429", "honour_retry_after", "bounded_retries"},
    ),
    "re-login off": (
        """
        original = session.ServiceSession.request
        def request(self, method, path, expect, **kw):
            if self.jwt is None:
                self.login()
            response = self._send(method, path, kw.get("data"), kw.get("files"),
                                  kw.get("params"), session.BearerAuth(self.jwt))
            if response.status_code != expect:
                raise session.from_response(response)
            return response
        session.ServiceSession.request = request
        """,
        {"relogin_on_401"},
    ),
    "a login before every call": (
        """
        original = session.ServiceSession.request
        def request(self, *args, **kw):
            self.jwt = None
            return original(self, *args, **kw)
        session.ServiceSession.request = request
        """,
        {"reuse_token"},
    ),
    "true instead of True": (
        """
        original = session.ServiceSession._send
        def send(self, method, path, data=None, *args, **kw):
            if isinstance(data, list):
                data = [(k, v.lower() if v in ("True", "False") else v) for k, v in data]
            return original(self, method, path, data, *args, **kw)
        session.ServiceSession._send = send
        """,
        {"python_booleans"},
    ),
    "empty lists dropped": (
        """
        import json
        def strip(value):
            if isinstance(value, dict):
                return {k: strip(v) for k, v in value.items() if v != []}
            return value
        original = session.ServiceSession._send
        def send(self, method, path, data=None, *args, **kw):
            if isinstance(data, str) and data.startswith("{"):
                data = json.dumps(strip(json.loads(data)))
            return original(self, method, path, data, *args, **kw)
        session.ServiceSession._send = send
        """,
        {"empty_lists"},
    ),
    "a 422 (any 4xx but 401) retried": (
        """
        session.RETRY_STATUSES = session.RETRY_STATUSES | (set(range(400, 500)) - {401})
        original = session.ServiceSession._wait
        def wait(self, response, attempt):  # no backoff before a 4xx retry: a quicker test
            quick = response.status_code < 500 and response.status_code != 429
            return 0.0 if quick else original(self, response, attempt)
        session.ServiceSession._wait = wait
        """,
        {"no_retry_client_errors"},
    ),
    "Retry-After ignored": (
        "session.ServiceSession._wait = lambda self, response, attempt: 0.0",
        {"honour_retry_after"},
    ),
}


# A client that is right but differs in what the services do not care about: optional keys left
# out instead of null, text parts in another order (repeated tags keep theirs), a Content-Type on
# JSON bodies and on the media part. It must pass every scenario.
FAIR_VARIANT = """
import json

def strip_nulls(value):
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value

original = session.ServiceSession._send
def send(self, method, path, data=None, files=None, params=None, auth=None):
    if isinstance(data, str) and data.startswith("{"):
        data = json.dumps(strip_nulls(json.loads(data)))
        request = self.http.request
        def typed(*args, **kw):
            return request(*args, headers={"Content-Type": "application/json"}, **kw)
        self.http.request = typed
        try:
            return original(self, method, path, data, files, params, auth)
        finally:
            self.http.request = request
    if isinstance(data, list):
        tags = [part for part in data if part[0] == "tags"]
        data = list(reversed([part for part in data if part[0] != "tags"])) + tags
    if files:
        files = {key: (name, body, "image/png") for key, (name, body) in files.items()}
    return original(self, method, path, data, files, params, auth)
session.ServiceSession._send = send
"""


def run(adapter: str, tmp_path, *extra: str) -> tuple[int, dict]:
    report = tmp_path / "report.json"
    code = main(["conformance", "--adapter", adapter, "--json", str(report), *extra])
    return code, json.loads(report.read_text()) if report.exists() else {}


def mutant_adapter(tmp_path, patch: str) -> str:
    script = tmp_path / "mutant_adapter.py"
    body = textwrap.indent(textwrap.dedent(patch).strip(), "")
    script.write_text(
        "import sys\nfrom reference_client import session\n"
        + body
        + "\nfrom reference_client.adapter import main\nsys.exit(main())\n"
    )
    return f"{sys.executable} {script}"


def test_scenarios_cover_what_a_client_must_get_right():
    assert len(SCENARIOS) >= 30
    levels = Counter(s["level"] for s in SCENARIOS)
    assert levels["required"] >= 20 and levels["recommended"] >= 5
    types = {s["deployment_type"] for s in SCENARIOS if s["calls"][0]["operation"] == "monitor"}
    assert types >= {
        "CLASSIFICATION",
        "OBJECT_DETECTION",
        "SEGMENTATION",
        "POINT",
        "KEYPOINT",
        "LINE",
        "MASK",
    }
    operations = {c["operation"] for s in SCENARIOS for c in s["calls"]}
    action = load_schema("conformance-action")
    calls = [
        action["$defs"][ref["$ref"].rsplit("/", 1)[1]]
        for ref in action["properties"]["calls"]["items"]["oneOf"]
    ]
    assert operations == {call["properties"]["operation"]["const"] for call in calls}
    rules = {rule for s in SCENARIOS for rule in s["rules"]}
    for _, broken in MUTANTS.values():
        assert broken <= rules


@pytest.mark.slow
def test_the_reference_adapter_passes_every_scenario(tmp_path, capsys):
    junit = tmp_path / "junit.xml"
    code, report = run("reference", tmp_path, "--junit", str(junit))
    out = capsys.readouterr().out
    assert code == 0, out
    assert report["failed"] == 0 and report["passed"] == len(SCENARIOS)
    suites = ElementTree.parse(junit).getroot()
    assert sum(int(s.get("tests")) for s in suites) == len(SCENARIOS)
    assert "required (" in out and f"{len(SCENARIOS)} passed, 0 failed" in out


@pytest.mark.slow
def test_a_client_differing_only_where_the_services_do_not_care_passes_everything(tmp_path):
    code, report = run(mutant_adapter(tmp_path, FAIR_VARIANT), tmp_path)
    failed = {s["name"]: s["failures"] for s in report["scenarios"] if not s["passed"]}
    assert code == 0 and failed == {} and report["passed"] == len(SCENARIOS)


@pytest.mark.slow
def test_the_node_port_passes_every_scenario(tmp_path, capsys):
    node = shutil.which("node")
    assert node, "Node.js 20 is needed for the Node port's conformance run"
    code, report = run(f"{node} examples/node/adapter.js", tmp_path)
    assert code == 0, capsys.readouterr().out
    assert report["passed"] == len(SCENARIOS)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MUTANTS))
def test_a_mutant_fails_exactly_the_scenarios_naming_the_rule_it_breaks(tmp_path, name):
    """Graded on the scenarios that name a rule it breaks, plus one naming none of them, which
    must still pass: a mutant that breaks everything is caught without a whole run."""
    patch, broken = MUTANTS[name]
    expected = {s["name"] for s in SCENARIOS if broken & set(s["rules"])}
    control = next(s["name"] for s in SCENARIOS if not broken & set(s["rules"]))
    only = [arg for name_ in sorted(expected | {control}) for arg in ("--only", name_)]
    code, report = run(mutant_adapter(tmp_path, patch), tmp_path, *only)
    assert {s["name"] for s in report["scenarios"]} == expected | {control}
    failed = {s["name"] for s in report["scenarios"] if not s["passed"]}
    assert code == 1
    assert failed == expected, {
        s["name"]: s["failures"] for s in report["scenarios"] if not s["passed"]
    }


def test_an_adapter_that_crashes_fails_its_scenarios_with_its_stderr(tmp_path, capsys):
    script = tmp_path / "crash.py"
    script.write_text("import sys\nsys.stderr.write('boom: no client here\\n')\nsys.exit(3)\n")
    code, report = run(f"{sys.executable} {script}", tmp_path, "--only", "deployment-*")
    out = capsys.readouterr().out
    assert code == 1 and report["failed"] == 1
    assert "exited with status 3" in out and "boom: no client here" in out


def test_an_adapter_that_hangs_fails_and_the_run_goes_on(tmp_path, capsys):
    script = tmp_path / "hang.py"
    script.write_text("import time\ntime.sleep(30)\n")
    code, report = run(
        f"{sys.executable} {script}", tmp_path, "--only", "monitor-p*", "--adapter-timeout", "1"
    )
    assert code == 1 and report["failed"] == len(report["scenarios"]) == 2
    assert "did not finish within 1 s" in capsys.readouterr().out


def test_an_adapter_printing_no_json_fails_clearly(tmp_path, capsys):
    script = tmp_path / "chatty.py"
    script.write_text("print('hello')\n")
    code, _ = run(f"{sys.executable} {script}", tmp_path, "--only", "deployment-info")
    assert (
        code == 1 and 'printed no JSON outcome (not JSON; got: "hello")' in capsys.readouterr().out
    )


def test_no_scenario_matching_is_a_usage_error(tmp_path, capsys):
    assert main(["conformance", "--adapter", "reference", "--only", "nothing-*"]) == 2
    assert "no scenario matches" in capsys.readouterr().err


def sdk_table() -> dict[str, bool]:
    """The porting guide's table: recommended scenario -> whether the official SDK passes it."""
    guide = (Path(__file__).resolve().parent.parent / "docs" / "porting-guide.md").read_text()
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (passes|fails)", guide, re.MULTILINE)
    return {name: verdict == "passes" for name, verdict in rows}


@pytest.mark.slow
def test_the_official_sdk_passes_every_required_scenario_as_the_guide_says(tmp_path):
    require("picsellia", "sdk")
    adapter = Path(__file__).resolve().parent.parent / "examples" / "sdk" / "adapter.py"
    _, report = run(f"{sys.executable} {adapter}", tmp_path)
    verdicts = {s["name"]: s for s in report["scenarios"]}
    failed_required = [
        n for n, s in verdicts.items() if s["level"] == "required" and not s["passed"]
    ]
    assert failed_required == [], {n: verdicts[n]["failures"] for n in failed_required}
    recommended = {n: s["passed"] for n, s in verdicts.items() if s["level"] == "recommended"}
    assert recommended == sdk_table()


def adapter_script(tmp_path, name: str, body: str) -> str:
    script = tmp_path / name
    script.write_text(textwrap.dedent(body))
    return f"{sys.executable} {script}"


def test_invalid_utf8_from_an_adapter_is_reported(tmp_path):
    adapter = adapter_script(
        tmp_path,
        "bytes.py",
        """
        import sys
        sys.stderr.buffer.write(b"bad \\xff\\xfe bytes\\n")
        sys.stdout.buffer.write(b"\\xff not json")
        """,
    )
    code, report = run(adapter, tmp_path, "--only", "deployment-info")
    [verdict] = report["scenarios"]
    assert code == 1 and "printed no JSON outcome" in verdict["failures"][0]
    assert "bad \ufffd\ufffd bytes" in verdict["stderr"]


def test_control_characters_from_an_adapter_keep_the_junit_file_valid(tmp_path):
    adapter = adapter_script(
        tmp_path,
        "control.py",
        """
        import sys
        sys.stderr.write("bell \\x07 nul \\x00 escape \\x1b[31m red\\n")
        """,
    )
    junit = tmp_path / "junit.xml"
    code, report = run(adapter, tmp_path, "--only", "deployment-info", "--junit", str(junit))
    ElementTree.parse(junit)  # well-formed despite the control characters
    assert code == 1 and "bell" in report["scenarios"][0]["stderr"]


def test_json_nested_too_deep_is_reported(tmp_path):
    adapter = adapter_script(tmp_path, "deep.py", "print('[' * 100000 + ']' * 100000)\n")
    code, report = run(adapter, tmp_path, "--only", "deployment-info")
    assert code == 1 and "nested too deep" in report["scenarios"][0]["failures"][0]


def test_an_adapters_children_are_ended_and_do_not_stall_the_run(tmp_path):
    pid_file = tmp_path / "child.pid"
    adapter = adapter_script(
        tmp_path,
        "child.py",
        f"""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print('{{"results": []}}')
        """,
    )
    started = time.monotonic()
    code, report = run(adapter, tmp_path, "--only", "deployment-info", "--adapter-timeout", "20")
    assert time.monotonic() - started < 15  # the child kept stdout open: not waited for
    assert any("expected 1 results" in f for f in report["scenarios"][0]["failures"])
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        status = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if status == "Z":
            break
        time.sleep(0.05)
    stat = Path(f"/proc/{child}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_an_adapter_signalling_its_group_cannot_stop_the_run(tmp_path):
    """The script must not be named signal.py: it would import itself instead of the module."""
    adapter = adapter_script(
        tmp_path, "killgroup.py", "import os, signal\nos.killpg(0, signal.SIGTERM)\n"
    )
    code, report = run(adapter, tmp_path, "--only", "deployment-*")
    assert code == 1 and report["failed"] == len(report["scenarios"]) >= 1
    for verdict in report["scenarios"]:
        assert verdict["failures"] == ["the adapter exited with status -15"]


def scenario_folder(tmp_path, bad_fault: dict) -> list[Path]:
    """Three scenario files: two real ones around a copy of retry-login-503 whose fault is bad."""
    from mockserver.certification.scenarios import conformance_dir

    source = conformance_dir() / "scenarios"
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("deployment-info", "wrong-api-token-is-an-error"):
        shutil.copy(source / f"{name}.json", folder)
    broken = json.loads((source / "retry-login-503.json").read_text())
    broken["name"] = "e-broken-fault"
    broken["server"]["faults"][0] = {**broken["server"]["faults"][0], **bad_fault}
    (folder / "e-broken-fault.json").write_text(json.dumps(broken))
    return sorted(folder.glob("*.json"))


def test_a_bad_fault_is_a_load_error_naming_the_scenario_and_its_file(tmp_path):
    from mockserver.certification.scenarios import load_scenario

    path = scenario_folder(tmp_path, {"status": "503"})[1]
    with pytest.raises(ValueError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "'e-broken-fault'" in message and str(path) in message
    assert "/server/faults/0/status" in message  # the fault schema (admin-fault-request) says it
    path.write_text(path.read_text().replace('"status": "503"', '"status": 503, "colour": 1'))
    with pytest.raises(ValueError, match="/server/faults/0"):
        load_scenario(path)


def test_a_broken_scenario_keeps_the_results_around_it(tmp_path, monkeypatch, capsys):
    from mockserver.certification import views

    paths = scenario_folder(tmp_path, {"times": -1})
    monkeypatch.setattr(views, "scenario_paths", lambda: paths)
    code, result = run("reference", tmp_path)
    assert code == 2
    rows = {row["name"]: row for row in result["scenarios"]}
    assert list(rows) == ["deployment-info", "wrong-api-token-is-an-error"]
    assert all(row["passed"] for row in rows.values())
    err = capsys.readouterr().err
    assert "a scenario is broken" in err and "'e-broken-fault'" in err
    assert "/server/faults/0/times" in err and "e-broken-fault.json" in err
