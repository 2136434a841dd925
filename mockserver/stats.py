"""Statistics of stored predictions, for the two stats routes (stats-response.json).

Each function registers, with ``@computes``, the services of common.json#/$defs/stats_service
it computes; ``dispatch_table`` builds the dispatch from that enum and refuses, at import, an
enum value without an implementation or an implementation the enum does not name. Each reads
the window's facts (facts.py), never the records themselves.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable

from picsellia_contract import load_schema

from .config import Deployment
from .facts import Window

Compute = Callable[[Deployment, Window], dict[str, float]]
_COMPUTED: dict[str, Compute] = {}


def computes(*services: str) -> Callable[[Compute], Compute]:
    """Register a function as the values of the named stats services."""

    def register(function: Compute) -> Compute:
        for service in services:
            _COMPUTED[service] = function
        return function

    return register


def service_names() -> tuple[str, ...]:
    """The stats services of the contract, in the schema's order."""
    return tuple(load_schema("common")["$defs"]["stats_service"]["enum"])


def dispatch_table(services: Iterable[str] | None = None) -> dict[str, Compute]:
    """The implementation of each service of the enum; LookupError when the two differ."""
    names = tuple(service_names() if services is None else services)
    missing = [name for name in names if name not in _COMPUTED]
    unnamed = sorted(set(_COMPUTED) - set(names))
    if missing or unnamed:
        raise LookupError(
            "stats services and common.json#/$defs/stats_service differ: "
            f"no implementation for {missing}, not in the enum: {unnamed}"
        )
    return {name: _COMPUTED[name] for name in names}


def compute(deployment: Deployment, query: dict, db: sqlite3.Connection) -> dict:
    """stats-response.json for a stats-query.json ``query`` on ``deployment``'s records."""
    start = query.get("from_timestamp", query.get("since"))
    end = query.get("to_timestamp")
    window = Window(db, deployment.id, start, end, query.get("tags", []))
    service = query["service"]
    # One read transaction: the count and the values are of the same records, even while
    # another worker stores one between their queries (WAL: a reader sees one snapshot).
    db.execute("BEGIN")
    try:
        values = VALUES[service](deployment, window)
        count = window.summary["count"]
    finally:
        if db.in_transaction:
            db.execute("COMMIT")
    return {
        "deployment_id": deployment.id,
        "service": service,
        "model_id": query.get("model_id"),
        "from_timestamp": start,
        "to_timestamp": end,
        "count": count,
        "values": values,
    }


def _score_mean(summary: dict) -> float:
    return summary["score_sum"] / summary["score_count"] if summary["score_count"] else 0.0


@computes("metrics")
def metrics(deployment: Deployment, window: Window) -> dict[str, float]:
    summary = window.summary
    return {
        "count": summary["count"],
        "latency_mean": summary["latency_mean"] or 0.0,
        "latency_min": summary["latency_min"] or 0.0,
        "latency_max": summary["latency_max"] or 0.0,
        "score_mean": _score_mean(summary),
    }


@computes("label_distribution", "classification")
def label_counts(deployment: Deployment, window: Window) -> dict[str, float]:
    """Instances per label name (a class index outside the labels: the index as text)."""
    counted = window.class_counts()
    if not all(type(index) is int for index, _ in counted):
        # an index past 64 bits reaches SQLite as a real: count those records in Python
        counted = Counter(i for classes in window.classes() for i in classes).items()
    counts: Counter = Counter()
    for index, count in counted:
        known = 0 <= index < len(deployment.labels)
        counts[deployment.labels[index] if known else str(index)] += count
    return dict(counts)


@computes("object_detection")
def object_detection(deployment: Deployment, window: Window) -> dict[str, float]:
    summary = window.summary
    return {
        "instances_total": int(summary["instances_total"]),
        "instances_per_image_mean": summary["instances_mean"] or 0.0,
        "score_mean": _score_mean(summary),
    }


@computes("ks_drift")
def ks_drift(deployment: Deployment, window: Window) -> dict[str, float]:
    """Two-sample Kolmogorov-Smirnov statistic between the older and newer halves."""
    latencies = window.latencies()
    half = len(latencies) // 2
    older, newer = sorted(latencies[:half]), sorted(latencies[half:])
    if not older or not newer:
        return {"latency_ks_statistic": 0.0}
    points = sorted(set(older + newer))
    gap = max(abs(_cdf(older, x) - _cdf(newer, x)) for x in points)
    return {"latency_ks_statistic": gap}


def _cdf(ordered: list[float], x: float) -> float:
    """The share of the sorted sample ``ordered`` at or below ``x``."""
    return bisect_right(ordered, x) / len(ordered)


@computes("ae_outlier")
def ae_outlier(deployment: Deployment, window: Window) -> dict[str, float]:
    return {"latency_outliers": window.outliers()}


VALUES = dispatch_table()
