"""Score extracted events against hand-coded gold events (pure functions; files are read by the caller).

A predicted event matches a gold event of the same report when both have the same ``category`` and stand
within ``max_km`` of each other; within a report and category, pairs are taken closest first, each event
used once. From the matches:

* precision, recall and F1 of events;
* the median distance in km between matched points;
* the share of figures right: every figure a gold event states (``fatalities``, ``displaced_people``,
  ``displaced_families``; a stated ``null`` means "the report gives no figure") compared with the matched
  prediction;
* the share of dates right (within one day) where the gold event gives a day.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .extract import extract
from .geo import distance_km
from .reports import read_report

FIGURES = ("fatalities", "displaced_people", "displaced_families")
MAX_KM = 161.0  # the usual "right place" radius in geoparsing evaluations (100 miles)


@dataclass
class ReportScore:
    report: str
    gold: int
    predicted: int
    matched: list[tuple[Mapping, Mapping, float]] = field(default_factory=list)  # (gold, predicted, km)
    missed: list[Mapping] = field(default_factory=list)
    spurious: list[Mapping] = field(default_factory=list)


@dataclass
class Score:
    reports: list[ReportScore]

    @property
    def true_positives(self) -> int:
        return sum(len(r.matched) for r in self.reports)

    @property
    def precision(self) -> float:
        n = sum(r.predicted for r in self.reports)
        return self.true_positives / n if n else 0.0

    @property
    def recall(self) -> float:
        n = sum(r.gold for r in self.reports)
        return self.true_positives / n if n else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def median_km(self) -> float:
        d = [k for r in self.reports for _g, _p, k in r.matched]
        return statistics.median(d) if d else math.nan

    def _checks(self, what: str) -> list[bool]:
        out = []
        for r in self.reports:
            for g, p, _ in r.matched:
                if what == "figures":
                    out += [_same_figure(g[f], p.get(f)) for f in FIGURES if f in g]
                elif g.get("date"):
                    d = dt.date.fromisoformat(g["date"]) - dt.date.fromisoformat(p["event_date"])
                    out.append(abs(d.days) <= 1)
        return out

    @property
    def figures_checked(self) -> int:
        return len(self._checks("figures"))

    @property
    def figures_right(self) -> float:
        c = self._checks("figures")
        return sum(c) / len(c) if c else math.nan

    @property
    def dates_right(self) -> float:
        c = self._checks("dates")
        return sum(c) / len(c) if c else math.nan

    def summary(self) -> dict[str, float | int]:
        return {
            "reports": len(self.reports),
            "gold_events": sum(r.gold for r in self.reports),
            "predicted_events": sum(r.predicted for r in self.reports),
            "matched": self.true_positives,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "median_km": round(self.median_km, 1),
            "figures_checked": self.figures_checked,
            "figures_right": round(self.figures_right, 3),
            "dates_right": round(self.dates_right, 3),
        }


def _same_figure(gold, predicted) -> bool:
    if gold is None or predicted is None or (isinstance(predicted, float) and math.isnan(predicted)):
        return gold is None and (predicted is None or isinstance(predicted, float) and math.isnan(predicted))
    return int(gold) == int(predicted)


def score_report(report: str, gold: list[Mapping], predicted: list[Mapping], max_km: float = MAX_KM) -> ReportScore:
    """Match one report's predicted events (records with ``category``, ``lat``, ``lon``) to its gold events."""
    pairs = sorted(
        (distance_km(g["lat"], g["lon"], p["lat"], p["lon"]), i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(predicted)
        if g["category"] == p["category"]
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = ReportScore(report, len(gold), len(predicted))
    for d, i, j in pairs:
        if d > max_km or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.matched.append((gold[i], predicted[j], d))
    out.missed = [g for i, g in enumerate(gold) if i not in used_g]
    out.spurious = [p for j, p in enumerate(predicted) if j not in used_p]
    return out


def score(runs: Iterable[tuple[str, list[Mapping], list[Mapping]]], max_km: float = MAX_KM) -> Score:
    """Score (report name, gold events, predicted events) triples."""
    return Score([score_report(name, g, p, max_km) for name, g, p in runs])


def read_devset(folder, geoparser=None) -> list[tuple[str, list[dict], list[dict]]]:
    """Run the extractor over every report in ``folder`` that has a ``<stem>.gold.json`` beside it.

    Returns (report name, gold events, predicted events) triples for :func:`score`.
    """
    runs = []
    for gold_path in sorted(Path(folder).glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        (report_path,) = [p for p in gold_path.parent.glob(stem + ".*") if p != gold_path]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["events"]
        runs.append((report_path.name, gold, extract(read_report(report_path), geoparser)))
    return runs
