"""Offline mock of Picsellia's serving and monitoring services (the contract is
``picsellia_contract``)."""

from picsellia_contract import __version__

__all__ = ["__version__"]
