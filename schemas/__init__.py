"""The contract's data files, installed as the package ``mockserver.schemas``.

Nothing here but JSON: every wire message has one JSON Schema file in this folder.
"""
