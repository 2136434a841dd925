"""The conformance suite: scenarios (schemas/conformance/) run against a client's adapter and
graded from the mock's journal. ``picsellia-mock conformance --adapter CMD``."""
