"""Driving a mock from tests and tools: ``AdminClient`` (its admin API over HTTP, the paths read
from the OpenAPI document), ``LiveMock`` (a mock served in this process, on the same waitress
server as ``picsellia-mock serve``), the pytest fixtures over it, and the vectors runner.

Nothing here imports pytest but ``pytest_plugin``."""

from .admin_client import AdminClient, AdminError
from .livemock import LiveMock

__all__ = ["AdminClient", "AdminError", "LiveMock"]
