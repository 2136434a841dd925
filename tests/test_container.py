"""Clients against a mock already running elsewhere (the container image, in ``.ci/container``):
the vendor guide's snippets and the README's reference-client calls, through its mapped port.

Skipped unless ``PICSELLIA_CONTAINER_URL`` names the mock's base URL (with the demo deployments).
"""

from __future__ import annotations

import os

import pytest

from mockdriver.admin_client import AdminClient
from mockserver.config import DEMO_API_TOKEN
from reference_client import MonitoringClient, ServingClient

from .helpers import image
from .test_vendor_guide import GUIDE
from .test_vendor_guide import test_both_guide_snippets_succeed_against_the_mock as guide_case

URL = os.environ.get("PICSELLIA_CONTAINER_URL")
pytestmark = pytest.mark.skipif(not URL, reason="PICSELLIA_CONTAINER_URL is not set")


class RunningMock:
    """What the guide's test reads of ``picsellia_mock``, from a mock at ``URL``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.admin = AdminClient(self.base_url)
        self.api_token = DEMO_API_TOKEN
        self.deployments = {d["type"]: d["id"] for d in self.admin.deployments()}

    def requests(self, **filters) -> list[dict]:
        return self.admin.requests(**filters)

    def predictions(self, deployment_type: str) -> list[dict]:
        return self.admin.predictions(self.deployments[deployment_type])


@pytest.fixture
def running_mock():
    mock = RunningMock(URL)
    mock.admin.reset()
    yield mock
    mock.admin.close()


@pytest.mark.skipif(not GUIDE.exists(), reason=f"the vendor guide is not at {GUIDE}")
def test_the_vendor_guide_snippets_succeed_against_the_container(running_mock, tmp_path):
    guide_case(running_mock, tmp_path)


def test_the_reference_client_predicts_and_monitors_through_the_container(running_mock, tmp_path):
    frame = tmp_path / "frame.png"
    frame.write_bytes(image("PNG", (320, 240)))
    deployment_id = running_mock.deployments["OBJECT_DETECTION"]
    serving = ServingClient(running_mock.base_url, deployment_id, DEMO_API_TOKEN)
    prediction = serving.predict(str(frame), tags=["night"])
    monitoring = MonitoringClient(running_mock.base_url, deployment_id, DEMO_API_TOKEN)
    payload = monitoring.build_payload(str(frame), prediction["raw_predictions"], latency=0.12)
    answer = monitoring.monitor(payload)
    records = running_mock.predictions("OBJECT_DETECTION")
    monitored = [r for r in records if r["origin"] == "monitoring"]
    assert [r["id"] for r in monitored] == [answer["id"]]
    assert monitored[0]["body"]["raw_predictions"] == prediction["raw_predictions"]
    assert running_mock.admin.image(answer["id"]) == frame.read_bytes()
