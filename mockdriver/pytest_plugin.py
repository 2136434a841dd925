"""pytest plugin: the ``picsellia_mock`` fixture, a live mock server for integration tests.

    def test_my_client(picsellia_mock):
        client = MyClient(picsellia_mock.base_url, picsellia_mock.api_token)
        client.monitor(picsellia_mock.deployments["OBJECT_DETECTION"], ...)
        assert len(picsellia_mock.predictions("OBJECT_DETECTION")) == 1

The server (``mockdriver.LiveMock``) starts once per session on a free loopback port; each test
gets it reset.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.config import Config

from .livemock import LiveMock


@pytest.fixture(scope="session")
def picsellia_mock_server(tmp_path_factory) -> Iterator[LiveMock]:
    """One live mock server for the whole session (demo deployments, temporary database)."""
    config = Config(db_path=str(tmp_path_factory.mktemp("picsellia-mock") / "mock.sqlite3"))
    with LiveMock(config) as server:
        yield server


@pytest.fixture
def picsellia_mock(picsellia_mock_server: LiveMock) -> LiveMock:
    """The session's live mock server, reset: no predictions, journal, faults or clock offset."""
    picsellia_mock_server.reset()
    return picsellia_mock_server
