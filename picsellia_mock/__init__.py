"""The ``picsellia-mock`` command: one front door to the kit's tools (``serve``, ``validate``,
``vectors``, ``check-live``, ``conformance``), each living in the package of its product."""
