"""The conformance suite, served by the mock over its admin API: the scenarios
(``schemas/conformance/scenarios/``), their grading against the journal, and the report."""
