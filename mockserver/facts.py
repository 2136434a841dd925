"""The stats' reads: one deployment's facts (tables.py: prediction_facts) within a window of
time and tags, aggregated by SQLite.

A fact is what the stats need of one record (its latency, classes, scores, tags), written by a
trigger with the record: the stats read these narrow rows, never the records with their images,
and SQLite sums them, so that a stats call on a thousand records costs about what it costs on
ten. What they count is still every record in the window: that is what stats are.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from .jsontext import dumps
from .tables import as_real

# Facts of the deployment in the window; a tag filter keeps the facts carrying one of the tags.
WHERE = (
    "WHERE f.deployment_id = :deployment_id "
    "AND (:start IS NULL OR f.timestamp >= :start) AND (:end IS NULL OR f.timestamp <= :end) "
    "AND (:tags IS NULL OR EXISTS (SELECT 1 FROM json_each(f.tags) AS t "
    "WHERE t.value IN (SELECT value FROM json_each(:tags))))"
)


class Window:
    """The facts of one deployment's records stamped between ``start`` and ``end`` (either
    may be None) and carrying one of ``tags`` (none: any)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        deployment_id: str,
        start: float | None,
        end: float | None,
        tags: Iterable[str],
    ) -> None:
        self.db = db
        tags = list(tags)
        self.params = {
            "deployment_id": deployment_id,
            "start": as_real(start),
            "end": as_real(end),
            "tags": dumps(tags) if tags else None,
        }

    def _sql(self, select: str, joins: str = "", tail: str = "") -> str:
        return f"{select} FROM prediction_facts AS f{joins} {WHERE} {tail}"  # noqa: S608

    def _rows(self, sql: str) -> list[tuple]:
        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples: no Row object per fact
        return cursor.execute(sql, self.params).fetchall()

    @functools.cached_property
    def summary(self) -> dict[str, Any]:
        """How many records, their latencies' mean, min and max, their scores' sum and number,
        their instances' sum and mean (None for the means, min and max of no record)."""
        names = ("count", "latency_mean", "latency_min", "latency_max")
        names += ("score_sum", "score_count", "instances_total", "instances_mean")
        select = (
            "SELECT COUNT(*), AVG(f.latency), MIN(f.latency), MAX(f.latency), "
            "TOTAL(f.score_sum), TOTAL(f.score_count), TOTAL(f.instances), AVG(f.instances)"
        )
        [row] = self._rows(self._sql(select))
        return dict(zip(names, row, strict=True))

    def class_counts(self) -> list[tuple[Any, int]]:
        """(class index, how many instances) over the records' detection classes."""
        joins = ", json_each(f.classes) AS c"
        return self._rows(self._sql("SELECT c.value, COUNT(*)", joins, "GROUP BY c.value"))

    def classes(self) -> list[list]:
        """Each record's detection classes, as parsed by Python."""
        return [json.loads(row[0]) for row in self._rows(self._sql("SELECT f.classes"))]

    def latencies(self) -> list[float]:
        """The records' latencies, oldest record first."""
        sql = self._sql("SELECT f.latency", tail="ORDER BY f.received_at, f.id")
        return [row[0] for row in self._rows(sql)]

    def outliers(self) -> int:
        """How many latencies lie over the mean by more than three (population) standard
        deviations (compared squared: SQLite may lack sqrt); 0 under two records."""
        window = self._sql("SELECT f.latency AS x")
        [(count,)] = self._rows(
            f"WITH w AS ({window}), m AS (SELECT AVG(x) AS mean, COUNT(*) AS n FROM w), "
            "v AS (SELECT mean, n, SUM((x - mean) * (x - mean)) / n AS var FROM w, m) "
            "SELECT COUNT(*) FROM w, v WHERE v.n >= 2 AND x > mean AND "
            "(x - mean) * (x - mean) > 9 * var"
        )
        return count
