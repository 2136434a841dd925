"""Shared fixtures, and the Hypothesis profiles ``ci`` (bounded, used under CI) and ``dev``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"
REFERENCE_DIR = ROOT.parent / "shared" / "reference"

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """The suite runs on pytest-xdist's workers (``-n auto`` in pyproject.toml), each test on
    its own, except the code-generation gate: all of it goes to one worker, so that its session
    fixtures generate and build each client once and no two builds share a folder. (Not
    ``xdist_group`` marks: with pytest 9.2, xdist 3.8's loadgroup silently groups nothing,
    pytest-xdist issue 1386.)"""
    if config.getvalue("dist") != "load":
        return None  # the scheduler named by --dist
    from xdist.scheduler import LoadScopeScheduling

    class GateOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/codegen" if nodeid.startswith("tests/codegen/") else nodeid

    return GateOnOneWorker(config, log)


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    return SCHEMA_DIR


@pytest.fixture
def config(tmp_path):
    from mockserver.config import Config

    return Config(db_path=str(tmp_path / "mock.sqlite3"))


@pytest.fixture
def app(config):
    from mockserver.app import create_app

    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ids(config) -> dict[str, str]:
    """Demo deployment id by type."""
    return {d.type: d.id for d in config.deployments.values()}


@pytest.fixture
def login(client, ids):
    """login(service, type) -> {"Authorization": "Bearer <jwt>"} for a demo deployment."""

    def login_(service: str = "monitoring", type_: str = "OBJECT_DETECTION") -> dict[str, str]:
        route = "/api/login" if service == "serving" else "/api/auth/login"
        body = {"api_token": "demo-api-token", "deployment_id": ids[type_]}
        response = client.post(route, json=body)
        assert response.status_code == 200, response.json
        return {"Authorization": "Bearer " + response.json["jwt"]}

    return login_


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium for the browser tests (tests/browser.py; skipped without Playwright)."""
    from .browser import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def page(browser, picsellia_mock):
    """A fresh page; a script error, or a request leaving the mock, fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    elsewhere: list[str] = []

    def only_the_mock(route):
        if route.request.url.startswith(picsellia_mock.base_url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_mock)
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []
    assert elsewhere == []
