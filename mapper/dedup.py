"""One incident told by several reports or tables becomes one event that lists all its sources.

Two events are the same incident when they come from different source files and have the same
category, dates at most ``days`` apart, points at most ``km`` apart (or the same gazetteer record),
compatible actors (one unnamed, or one name containing the other) and compatible figures (one missing,
or within a factor of two). Candidates are found through a grid of (category, day, 0.1° cell) buckets,
so the work grows with the number of events, not its square. Rows of one table are never merged with
each other: a coder's table already lists distinct events.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pandas as pd

from .geo import distance_km

DEFAULT_KM = 10.0
DEFAULT_DAYS = 1
CELL = 0.1  # degrees


def source_file(source: str) -> str:
    return str(source).split("#row=")[0].split("#page=")[0]


def _missing(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def _actor_ok(a, b) -> bool:
    if _missing(a) or _missing(b):
        return True
    x, y = str(a).lower(), str(b).lower()
    return x in y or y in x


def _figure_ok(a, b) -> bool:
    if _missing(a) or _missing(b):
        return True
    a, b = float(a), float(b)
    if a == b:
        return True
    lo, hi = min(a, b), max(a, b)
    return lo > 0 and hi / lo <= 2


def duplicate_groups(events: pd.DataFrame, km: float = DEFAULT_KM, days: int = DEFAULT_DAYS) -> list[list[int]]:
    """Groups (positional indices) of events that are the same incident; singletons are left out."""
    n = len(events)
    if n < 2:
        return []
    lat = events.geometry.y.to_numpy() if "geometry" in events else events["lat"].to_numpy()
    lon = events.geometry.x.to_numpy() if "geometry" in events else events["lon"].to_numpy()
    cat = events["category"].astype(str).to_numpy()
    day = [dt.date.fromisoformat(str(d)).toordinal() for d in events["event_date"]]
    src = [source_file(s) for s in events["source"]]
    pid = events["place_id"].to_numpy()
    a1, fat, ppl = events["actor1"].to_numpy(), events["fatalities"].to_numpy(), events["displaced_people"].to_numpy()
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i in range(n):
        if math.isnan(lat[i]) or math.isnan(lon[i]):
            continue
        buckets[(cat[i], day[i], int(math.floor(lat[i] / CELL)), int(math.floor(lon[i] / CELL)))].append(i)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reach = max(1, math.ceil(km / (111.0 * CELL)))
    for (c, d, cy, cx), members in buckets.items():
        for i in members:
            for dd in range(0, days + 1):
                for dy in range(-reach, reach + 1):
                    for dx in range(-reach, reach + 1):
                        for j in buckets.get((c, d + dd, cy + dy, cx + dx), ()):
                            if j <= i and dd == 0 or src[i] == src[j]:
                                continue
                            same_place = not _missing(pid[i]) and pid[i] == pid[j]
                            if not same_place and distance_km(lat[i], lon[i], lat[j], lon[j]) > km:
                                continue
                            if _actor_ok(a1[i], a1[j]) and _figure_ok(fat[i], fat[j]) and _figure_ok(ppl[i], ppl[j]):
                                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def merge_duplicates(events, km: float = DEFAULT_KM, days: int = DEFAULT_DAYS):
    """The events (GeoDataFrame) with each group of duplicates folded into its most precise member."""
    groups = duplicate_groups(events, km, days)
    if not groups:
        return events
    events = events.reset_index(drop=True).copy()
    drop: list[int] = []
    for g in groups:
        ranked = sorted(
            g,
            key=lambda i: (
                events.at[i, "geo_precision"] if pd.notna(events.at[i, "geo_precision"]) else 9,
                -(events.at[i, "confidence"] if pd.notna(events.at[i, "confidence"]) else 0),
                str(events.at[i, "event_id"]),
            ),
        )
        keep, rest = ranked[0], ranked[1:]
        for col in events.columns:
            if col in ("geometry", "source", "source_id", "source_text"):
                continue
            if _missing(events.at[keep, col]):
                for j in rest:
                    v = events.at[j, col]
                    if not _missing(v):
                        events.at[keep, col] = v
                        break
        events.at[keep, "source"] = " | ".join(dict.fromkeys(str(events.at[i, "source"]) for i in ranked))
        if "source_id" in events:
            ids = [str(events.at[i, "source_id"]) for i in ranked if not _missing(events.at[i, "source_id"])]
            events.at[keep, "source_id"] = " | ".join(dict.fromkeys(ids)) or None
        events.at[keep, "source_text"] = " … ".join(dict.fromkeys(str(events.at[i, "source_text"]) for i in ranked))
        drop.extend(rest)
    return events.drop(index=drop).reset_index(drop=True)
