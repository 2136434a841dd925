"""The stats services: dispatched from common.json#/$defs/stats_service, none missing."""

from __future__ import annotations

import pytest

from mockserver import stats
from mockserver.config import Deployment
from picsellia_contract import load_schema


def enum() -> list[str]:
    return load_schema("common")["$defs"]["stats_service"]["enum"]


def test_every_service_of_the_enum_has_an_implementation_and_no_other():
    assert list(stats.VALUES) == enum()


def test_an_enum_value_without_implementation_is_refused():
    with pytest.raises(LookupError, match="no implementation for \\['drift_v2'\\]"):
        stats.dispatch_table([*enum(), "drift_v2"])


def test_an_implementation_the_enum_does_not_name_is_refused():
    with pytest.raises(LookupError, match="not in the enum: \\['ae_outlier'\\]"):
        stats.dispatch_table([name for name in enum() if name != "ae_outlier"])


@pytest.mark.parametrize("service", enum())
def test_each_service_answers_numbers(service):
    deployment = Deployment(id="d", name="n", type="OBJECT_DETECTION", labels=("cat",))
    body = {
        "latency": 0.5,
        "raw_predictions": {"detection_scores": [0.9], "detection_classes": [0]},
    }
    values = stats.VALUES[service](deployment, [body, body])
    assert values and all(isinstance(v, int | float) for v in values.values())
