"""Offline mock of Picsellia's serving and monitoring services, and the contract they follow."""

__version__ = "0.1.0"
