"""The review list: places an analyst should check, written as ``review.csv`` beside the outputs.

Its first columns are those of an overrides file (``name,country,lat,lon,place_id,kind,admin1,scope``),
blank where the analyst has to decide; the rest give the context (reason, event, source and the source's
own row id, sentence, the record chosen). It is the machine's list, rewritten by every run: rows the
analyst fills in it (lat/lon or place_id) are appended to ``overrides.csv`` by the next run before it
writes the new list (:func:`mapper.overrides.merge_review`). A filled row settles its own event's mention
only, unless its ``scope`` says ``name``/``name-in-country`` (see :mod:`mapper.overrides`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .atomic import write_text
from .export import inert_cell

OVERRIDE_COLUMNS = ["name", "country", "lat", "lon", "place_id", "kind", "admin1", "scope"]
CONTEXT_COLUMNS = [
    "reason",
    "event_id",
    "category",
    "event_date",
    "source",
    "source_id",
    "sentence",
    "chosen_place_id",
    "chosen_location",
    "geo_precision",
]
COLUMNS = OVERRIDE_COLUMNS + CONTEXT_COLUMNS


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def review_name(reason: str, location_text: str, location: str) -> str:
    """The name a review row is about: the unknown or ambiguous name its reason gives, else the place
    name as written (else the place chosen)."""
    kind, _, detail = reason.partition(": ")
    if kind in ("not found", "ambiguous"):
        return detail.split(" (")[0]
    return location_text or location


def review_rows(events: pd.DataFrame) -> list[dict[str, str]]:
    """One row per event whose ``review`` is set, in event order."""
    if "review" not in events or not len(events):
        return []
    rows = []
    for r in events[events["review"].notna()].itertuples(index=False):
        reason = _text(r.review)
        name = review_name(reason, _text(r.location_text), _text(r.location))
        rows.append(
            {
                "name": name,
                "country": _text(r.country_code),
                "lat": "",
                "lon": "",
                "place_id": "",
                "kind": "",
                "admin1": "",
                "scope": "",
                "reason": reason,
                "event_id": _text(r.event_id),
                "category": _text(r.category),
                "event_date": _text(r.event_date),
                "source": _text(r.source),
                "source_id": _text(getattr(r, "source_id", None)),
                "sentence": _text(r.source_text),
                "chosen_place_id": _text(r.place_id),
                "chosen_location": _text(r.location),
                "geo_precision": _text(r.geo_precision),
            }
        )
    return rows


def write_review(events: pd.DataFrame, path: str | Path) -> int:
    """Write review.csv atomically (a header only when nothing needs review); returns the row count."""
    rows = review_rows(events)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: inert_cell(v) for k, v in row.items()})
    write_text(path, buf.getvalue())
    return len(rows)
