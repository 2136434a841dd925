"""Statistics of stored predictions, for the two stats routes (stats-response.json)."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Sequence

from .config import Deployment


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


def metrics(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    latencies = _latencies(bodies)
    return {
        "count": len(bodies),
        "latency_mean": _mean(latencies),
        "latency_min": min(latencies, default=0.0),
        "latency_max": max(latencies, default=0.0),
        "score_mean": _mean(_scores(bodies)),
    }


def label_counts(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    counts: Counter = Counter()
    for body in bodies:
        for index in body["raw_predictions"]["detection_classes"]:
            known = 0 <= index < len(deployment.labels)
            counts[deployment.labels[index] if known else str(index)] += 1
    return dict(counts)


def object_detection(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    instances = [len(b["raw_predictions"]["detection_classes"]) for b in bodies]
    return {
        "instances_total": sum(instances),
        "instances_per_image_mean": _mean([float(n) for n in instances]),
        "score_mean": _mean(_scores(bodies)),
    }


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


def ae_outlier(deployment: Deployment, bodies: list[dict]) -> dict[str, float]:
    latencies = _latencies(bodies)
    if len(latencies) < 2:
        return {"latency_outliers": 0}
    limit = statistics.fmean(latencies) + 3 * statistics.pstdev(latencies)
    return {"latency_outliers": sum(v > limit for v in latencies)}


VALUES = {
    "metrics": metrics,
    "label_distribution": label_counts,
    "classification": label_counts,
    "object_detection": object_detection,
    "ks_drift": ks_drift,
    "ae_outlier": ae_outlier,
}
