"""A minimal client of Picsellia's serving and monitoring services, to translate line by line.

from reference_client import MonitoringClient

client = MonitoringClient("http://127.0.0.1:8080", deployment_id, api_token)
raw = {"detection_classes": [0], "detection_scores": [0.9], "detection_boxes": [[10, 20, 50, 80]]}
payload = client.build_payload("frame.png", raw, latency=0.12)
client.monitor(payload)  # 201 {"id": ..., "warnings": []}
"""

from .errors import (
    AlreadyProcessed,
    PicselliaError,
    RequestInvalid,
    ServiceError,
    TransportError,
)
from .monitoring import MonitoringClient
from .serving import ServingClient
from .session import BearerAuth, ServiceSession

__all__ = [
    "AlreadyProcessed",
    "BearerAuth",
    "MonitoringClient",
    "PicselliaError",
    "RequestInvalid",
    "ServiceError",
    "ServiceSession",
    "ServingClient",
    "TransportError",
]
