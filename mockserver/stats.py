"""Statistics of stored predictions, for the two stats routes (stats-response.json).

Each function registers, with ``@computes``, the services of common.json#/$defs/stats_service
it computes; ``dispatch_table`` builds the dispatch from that enum and refuses, at import, an
enum value without an implementation or an implementation the enum does not name.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from picsellia_contract import load_schema

from .config import Deployment

Compute = Callable[[Deployment, list[dict]], dict[str, float]]
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


def compute(deployment: Deployment, query: dict, rows: Sequence, now: float) -> dict:
    start = query.get("from_timestamp", query.get("since"))
    end = query.get("to_timestamp")
    tags = set(query.get("tags", []))
    bodies = []
    for row in rows:
        body = json.loads(row["body"])
        if (
            start is not None
            and row["timestamp"] < start
            or end is not None
            and row["timestamp"] > end
        ):
            continue
        if tags and not tags & set(body.get("tags", [])):
            continue
        bodies.append(body)
    service = query["service"]
    return {
        "deployment_id": deployment.id,
        "service": service,
        "model_id": query.get("model_id"),
        "from_timestamp": start,
        "to_timestamp": end,
        "count": len(bodies),
        "values": VALUES[service](deployment, bodies),
    }


def _latencies(bodies: list[dict]) -> list[float]:
    return [float(b["latency"]) for b in bodies]


def _scores(bodies: list[dict]) -> list[float]:
    return [float(s) for b in bodies for s in b["raw_predictions"]["detection_scores"]]


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


@computes("metrics")
def metrics(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    latencies = _latencies(bodies)
    return {
        "count": len(bodies),
        "latency_mean": _mean(latencies),
        "latency_min": min(latencies, default=0.0),
        "latency_max": max(latencies, default=0.0),
        "score_mean": _mean(_scores(bodies)),
    }


@computes("label_distribution", "classification")
def label_counts(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    counts: Counter = Counter()
    for body in bodies:
        for index in body["raw_predictions"]["detection_classes"]:
            known = 0 <= index < len(deployment.labels)
            counts[deployment.labels[index] if known else str(index)] += 1
    return dict(counts)


@computes("object_detection")
def object_detection(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    instances = [len(b["raw_predictions"]["detection_classes"]) for b in bodies]
    return {
        "instances_total": sum(instances),
        "instances_per_image_mean": _mean([float(n) for n in instances]),
        "score_mean": _mean(_scores(bodies)),
    }


@computes("ks_drift")
def ks_drift(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    """Two-sample Kolmogorov-Smirnov statistic between the older and newer halves."""
    latencies = _latencies(bodies)
    half = len(latencies) // 2
    older, newer = sorted(latencies[:half]), sorted(latencies[half:])
    if not older or not newer:
        return {"latency_ks_statistic": 0.0}
    points = sorted(set(older + newer))
    gap = max(abs(_cdf(older, x) - _cdf(newer, x)) for x in points)
    return {"latency_ks_statistic": gap}


def _cdf(sample: list[float], x: float) -> float:
    return sum(v <= x for v in sample) / len(sample)


@computes("ae_outlier")
def ae_outlier(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    latencies = _latencies(bodies)
    if len(latencies) < 2:
        return {"latency_outliers": 0}
    limit = statistics.fmean(latencies) + 3 * statistics.pstdev(latencies)
    return {"latency_outliers": sum(v > limit for v in latencies)}


VALUES = dispatch_table()
