"""The event record (see README "The event record"): field names and types, used everywhere.

**Dates.** From reading to writing, a date is one type: an ISO 8601 ``YYYY-MM-DD`` string (pandas
``string`` dtype in frames, ``str`` in :class:`Event` records). The only other form is Arrow ``date32``,
and only inside binary files (GeoPackage, GeoParquet): :func:`arrow_dates` converts on the way into such
a file, :func:`text_dates` on the way back, nowhere else.

**Text.** Some characters cannot be stored by every output: NUL ends a string in GDAL's C API (GeoJSON,
GeoPackage, KML), XML (KML) forbids most C0 controls, U+FFFE/U+FFFF, and lone surrogates (``\ud800``, from
JSON escapes) are not encodable as UTF-8 at all. :func:`storable_text` replaces each with U+FFFD in every
format alike, so the outputs of one run agree.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np
import pandas as pd
import pyarrow as pa

# field -> pandas dtype; order is the column order of every output
FIELDS: dict[str, str] = {
    "event_id": "string",
    "category": "string",
    "event_type": "string",
    "sub_event_type": "string",
    "event_date": "string",
    "time_precision": "Int64",
    "location": "string",
    "place_id": "string",
    "country_code": "string",
    "admin1": "string",
    "admin2": "string",
    "geo_precision": "Int64",
    "location_text": "string",
    "actor1": "string",
    "actor2": "string",
    "fatalities": "Int64",
    "fatalities_text": "string",
    "displaced_families": "Int64",
    "displaced_people": "Int64",
    "household_size": "Float64",
    "destination": "string",
    "report_date": "string",
    "source": "string",
    "source_id": "string",  # the source's own id of the row (ACLED event_id_cnty, UCDP id, HXL #event+id, --id-col)
    "source_text": "string",
    "confidence": "Float64",
    "review": "string",  # why an analyst should check the place (not found, ambiguous, province only), else null
}

DATE_FIELDS = ("event_date", "report_date")


def source_label(path: str | os.PathLike, cwd: str | os.PathLike | None = None) -> str:
    """How an input file is named in ``source``: as given when relative, else relative to the working
    folder (``../data/a.csv`` outside it; the file name alone when no relative path exists, as across
    Windows drives). An absolute path never reaches a shared file."""
    p = str(path)
    if not os.path.isabs(p):
        return p
    try:
        return os.path.relpath(p, cwd if cwd is not None else os.getcwd())
    except ValueError:
        return Path(p).name


class Event(TypedDict):
    """One event record as the extractor and the table reader build it (``lat``/``lon`` become the point)."""

    event_id: str
    category: str
    event_type: str | None
    sub_event_type: str | None
    event_date: str  # YYYY-MM-DD
    time_precision: int
    location: str | None
    place_id: str | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    geo_precision: int | None
    location_text: str | None
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    fatalities_text: str | None
    displaced_families: int | None
    displaced_people: int | None
    household_size: float | None
    destination: str | None
    report_date: str | None  # YYYY-MM-DD
    source: str
    source_id: str | None
    source_text: str | None
    confidence: float | None
    review: str | None
    lat: float | None
    lon: float | None


CATEGORIES = ("strike", "clash", "attack", "displacement", "unrest", "other")

GEO_PRECISION_WORDS = {
    1: "the named place itself",
    2: "near the named place or part of it",
    3: "only the province or region is known",
}
TIME_PRECISION_WORDS = {1: "the day is known", 2: "within a few days", 3: "only the month or vaguer"}


def arrow_dates(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose date fields are Arrow ``date32`` columns (typed even when empty, which a Parquet schema
    needs); anything that is not a ``YYYY-MM-DD`` string becomes null."""
    out = df.copy()
    for c in DATE_FIELDS:
        if c in out:
            out[c] = pd.to_datetime(out[c], errors="coerce", format="%Y-%m-%d").astype(pd.ArrowDtype(pa.date32()))
    return out


def text_dates(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose date fields are ``YYYY-MM-DD`` strings again (the inverse of :func:`arrow_dates`)."""
    out = df.copy()
    for c in DATE_FIELDS:
        if c in out:
            out[c] = pd.Series([None if pd.isna(v) else str(v) for v in out[c]], index=out.index, dtype="string")
    return out


# NUL and the C0 controls XML forbids, U+FFFE/U+FFFF, and lone surrogates
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSTORABLE_ARROW = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x{fffe}\\x{ffff}]"  # the same, in RE2 syntax
REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    """``text`` with every character some output cannot hold replaced by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


_BAD_BYTE = np.zeros(256, dtype=bool)
_BAD_BYTE[[*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] = True


def _may_hold_unstorable(col: pd.Series) -> bool:
    """A scan of the column's UTF-8 bytes (memory speed, ~20x faster than the regex): False when no value
    can hold a control character or U+FFFE/U+FFFF, which is nearly always."""
    try:
        chunks = pa.chunked_array(pa.array(col)).chunks
    except (pa.ArrowException, TypeError, ValueError):
        return True
    for chunk in chunks:
        buffers = chunk.buffers()
        if len(buffers) < 3 or buffers[2] is None:
            continue
        data = np.frombuffer(buffers[2], dtype=np.uint8)
        if not data.size:
            continue
        if data.min() < 0x20 and _BAD_BYTE[data[data < 0x20]].any():
            return True
        if data.max() >= 0xEF:  # U+FFFE/U+FFFF are EF BF BE / EF BF BF
            ef = np.flatnonzero(data[:-2] == 0xEF)
            if len(ef) and ((data[ef + 1] == 0xBF) & ((data[ef + 2] == 0xBE) | (data[ef + 2] == 0xBF))).any():
                return True
    return False


def storable_text(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(a copy of ``df`` whose text cells hold only storable characters, how many cells changed); ``df``
    itself when nothing changes."""
    out = None
    changed = 0
    for c in df.columns:
        col = df[c]
        if c == "geometry" or not (col.dtype == "string" or col.dtype == object):
            continue
        if col.dtype == "string":  # vectorised (Arrow strings cannot hold surrogates anyway)
            if not _may_hold_unstorable(col):
                continue
            bad = col.str.contains(_UNSTORABLE_ARROW, regex=True)
        else:
            bad = col.map(lambda v: isinstance(v, str) and _UNSTORABLE.search(v) is not None, na_action="ignore")
        bad = bad.fillna(False).astype(bool)
        n = int(bad.sum())
        if n:
            out = df.copy() if out is None else out
            out.loc[bad, c] = col[bad].map(storable)
            changed += n
    return (df if out is None else out), changed


@dataclass(frozen=True)
class Report:
    """A report's text with its date and where it came from (read by :mod:`mapper.reports`)."""

    text: str
    report_date: dt.date
    source: str
    pages: tuple[tuple[int, int], ...] = ()  # PDF/DOCX: (character offset, page number) where each page starts

    def source_at(self, offset: int) -> str:
        """The source, naming the page of the character at ``offset`` when the report has pages (``a.pdf#page=2``)."""
        page = next((no for start, no in reversed(self.pages) if start <= offset), None)
        return self.source if page is None else f"{self.source}#page={page}"
