"""The mock's web page: the deployments, the live journal, every stored prediction drawn over
its image, and the API reference (``views``), with its templates and static files."""

from .views import bp

__all__ = ["bp"]
