"""The review loop's two files: ``review.csv`` (the machine's list, rewritten by every run) and
``overrides.csv`` (the analyst's, only ever appended to by a run).

* Scope. A row with an ``event_id`` (as every ``review.csv`` row has) settles that one mention — that
  event and that name as written — unless its ``scope`` column says ``name`` or ``name-in-country``.
  Such mention-scoped rows are applied here, to their events after extraction
  (:class:`MentionOverrides`); they never reach the gazetteer, so they cannot move any other event. A row
  without an ``event_id`` (an overrides file written by hand, as before) is a name-level override: it
  goes through the gazetteer (:mod:`gazetteer.overrides`) and holds for the name wherever it is looked up
  in its country.
* Merge. Rows an analyst filled in ``review.csv`` itself (lat/lon or place_id) are appended to
  ``overrides.csv`` before a run writes the new ``review.csv`` (:func:`merge_review`): the rows already in
  ``overrides.csv`` are kept byte for byte, the file is replaced atomically, and a note says so.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from gazetteer import Gazetteer
from gazetteer.errors import OverridesError
from gazetteer.normalize import compact, normalize
from gazetteer.overrides import is_mention_row, place_for_row, read_rows, read_text, sniff_separator
from gazetteer.records import ADMIN1, ADMIN2, COUNTRY, PLACE, Place

from .atomic import atomic_path, cannot_write
from .review import COLUMNS, review_name

Note = Callable[[str], None]

PRECISION = {PLACE: 1, ADMIN2: 2, ADMIN1: 3, COUNTRY: 3}  # geo_precision of an event placed on a kind
SETTLED = ("lat", "lon", "place_id")  # a row with any of these filled is the analyst's decision


def name_keys(name: str) -> set[str]:
    """Keys a name matches under (normalised, and without spaces/punctuation)."""
    return {k for k in ("n:" + normalize(name), "c:" + compact(name)) if len(k) > 2}


@dataclass(frozen=True)
class MentionOverride:
    """One mention-scoped row: the event it was written for, the name as written, the record it settles on."""

    event_id: str
    name: str
    place: Place
    where: str  # FILE:LINE


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


class MentionOverrides:
    """The mention-scoped rows of an overrides file, by event id; later rows win over earlier ones."""

    def __init__(self, rows: list[MentionOverride] | None = None, source: str = "") -> None:
        self.source = source
        self.rows = list(rows or [])
        self.by_event: dict[str, list[MentionOverride]] = {}
        for r in self.rows:
            self.by_event.setdefault(r.event_id, []).append(r)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_file(cls, path: str | os.PathLike, gazetteer: Gazetteer) -> MentionOverrides:
        """The mention-scoped rows of an overrides file (a malformed one raises OverridesError FILE:LINE)."""
        rows = []
        for line, row in read_rows(path):
            where = f"{path}:{line}"
            name = row.get("name", "")
            if not name or not is_mention_row(row, where):
                continue  # an empty name is reported by the gazetteer's reading of the same file
            place = place_for_row(row, name, gazetteer, where, str(path))
            rows.append(MentionOverride(row["event_id"], name, place, where))
        return cls(rows, str(path))

    def match(self, event_id: str, names: list[str]) -> MentionOverride | None:
        """The last row written for this event whose name is one of ``names`` (as written or chosen)."""
        keys = set().union(*(name_keys(n) for n in names if n)) if names else set()
        for r in reversed(self.by_event.get(event_id, [])):
            if name_keys(r.name) & keys:
                return r
        return None

    def apply(self, events: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
        """(a copy of ``events`` with every mention these rows settle moved onto its record, the ``where`` of
        the rows used). Events no row was written for are left exactly as they were."""
        used: set[str] = set()
        if not self.rows or not len(events) or "event_id" not in events:
            return events, used
        hit = events["event_id"].isin(list(self.by_event)).fillna(False).astype(bool)
        if not hit.any():
            return events, used
        out = events.copy()
        for i in out.index[hit.to_numpy()]:
            row = out.loc[i]
            written, chosen = _text(row.get("location_text")), _text(row.get("location"))
            names = [review_name(_text(row.get("review")), written, chosen), written, chosen]
            r = self.match(_text(row["event_id"]), names)
            if r is None:
                continue
            used.add(r.where)
            p = r.place
            out.loc[i, ["location", "place_id", "country_code"]] = [p.name, p.place_id, p.country_code]
            out.loc[i, "admin1"] = p.admin1 or (None if p.kind == COUNTRY else row.get("admin1"))
            out.loc[i, "admin2"] = p.admin2 or None
            out.loc[i, "geo_precision"] = PRECISION.get(p.kind, 1)
            out.loc[i, "review"] = None
            if "geometry" in out:
                out.loc[i, "geometry"] = shapely.Point(p.lon, p.lat)
        return out, used


def apply_mention_overrides(
    events: pd.DataFrame, path: str | os.PathLike | None, gazetteer: Gazetteer, on_note: Note | None = None
) -> pd.DataFrame:
    """``events`` with the mention-scoped rows of the overrides file ``path`` applied; a note names rows
    written for an event this run did not find (a stale row, or another input's)."""
    if path is None:
        return events
    mo = MentionOverrides.from_file(path, gazetteer)
    out, used = mo.apply(events)
    unused = [r for r in mo.rows if r.where not in used]
    if unused and on_note is not None:
        first = unused[0]
        on_note(
            f"{path}: {len(unused)} row(s) written for one mention matched no event of this run "
            f"(first: line {first.where.rsplit(':', 1)[-1]}, {first.name!r}, event {first.event_id})"
        )
    return out


# -- review.csv -> overrides.csv -------------------------------------------------------------------------
def filled_review_rows(review: str | os.PathLike) -> list[dict[str, str]]:
    """The rows of a review list the analyst filled (lat/lon or place_id), keys lower-cased."""
    return [row for _, row in read_rows(review) if any(row.get(k) for k in SETTLED)]


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    keys = ("event_id", "lat", "lon", "place_id", "scope", "country")
    return name_keys(a.get("name", "")) == name_keys(b.get("name", "")) and all(
        (a.get(k) or "") == (b.get(k) or "") for k in keys
    )


def merge_review(review: str | os.PathLike, overrides: str | os.PathLike) -> int:
    """Append the filled rows of ``review`` to ``overrides`` (created when missing) and return how many
    were appended. The rows already in ``overrides`` stay as they are, byte for byte (its separator,
    byte-order mark and line ends are kept; only its header line gains the review columns it lacks); rows
    it already holds are not appended twice. The file is replaced atomically."""
    review, overrides = Path(review), Path(overrides)
    if not review.is_file():
        return 0
    filled = filled_review_rows(review)
    if not filled:
        return 0
    if overrides.suffix.lower() in (".xlsx", ".xlsm"):
        raise OverridesError(
            f"{review}: {len(filled)} filled row(s) would be lost; copy them into {overrides} "
            "(or clear them in review.csv) and run again"
        )
    if overrides.exists():
        raw = overrides.read_bytes()
        text = read_text(overrides)
        bom = raw.startswith(b"\xef\xbb\xbf")
        sep = sniff_separator(text)
        newline = "\r\n" if "\r\n" in text else "\n"
        have = [row for _, row in read_rows(overrides)]
        head, _, body = text.partition("\n")
        header = next(csv.reader([head.rstrip("\r")], delimiter=sep), [])
    else:
        bom, sep, newline, have, body, header = False, ",", "\n", [], "", []
    new = [row for row in filled if not any(_same(row, old) for old in have)]
    if not new:
        return 0
    lowered = [h.strip().lower() for h in header]
    extra = [c for c in COLUMNS if c not in lowered] + [
        c for row in new for c in row if c not in lowered and c not in COLUMNS
    ]
    extra = list(dict.fromkeys(extra))
    header_out = header + extra
    keys = lowered + extra
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    w.writerow(header_out)
    head_line = buf.getvalue() if extra or not header else head + "\n"  # an unchanged header stays as written
    if body and not body.endswith("\n"):
        body += newline
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    for row in new:
        w.writerow([row.get(k, "") for k in keys])
    data = ("\ufeff" if bom else "") + head_line + body + buf.getvalue()
    try:
        with atomic_path(overrides) as tmp:
            tmp.write_bytes(data.encode("utf-8"))
    except OSError as e:
        raise cannot_write(overrides, e) from None
    return len(new)
