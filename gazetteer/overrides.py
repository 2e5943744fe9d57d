"""User overrides: a CSV of names that must resolve to a given record or point, whatever the index says.

The file may be separated by ``,`` ``;`` or tabs (as Excel saves CSV in many locales), be UTF-8 with or
without a byte-order mark, end its lines with CRLF, or be an Excel workbook (``.xlsx``, first sheet).

Columns (header required, any order; extra columns are ignored, so a filled-in ``review.csv`` works,
its rows with neither lat/lon nor place_id being skipped):

``name``      the name as it appears in reports (required)
``country``   ISO 3166 alpha-2 code (required unless ``place_id`` names a known record)
``lat``, ``lon``  the point (WGS 84 degrees), or
``place_id``  an existing gazetteer record ("geonames:1134720") the name should stand for
``kind``      optional: populated place (default), admin1, admin2, country, or any feature kind
``admin1``    optional: the province name, for the admin hierarchy (else taken from the nearest town)
``event_id``  optional: the event the row was written for (as in ``review.csv``)
``scope``     optional: ``mention`` (the default for a row with an ``event_id``), ``name`` or
              ``name-in-country`` (the default for a row without one)

**Scope.** A row with an ``event_id`` settles that one mention (that event, that name) and nothing else:
it is not a name-level override and this module leaves it out (:func:`is_mention_row`); the ``mapper``
package applies it to its event after extraction. A row without an ``event_id``, or whose ``scope`` is
``name`` or ``name-in-country``, is a name-level override: the name resolves to it wherever it is looked
up (in its country), as documented below. ``name`` and ``name-in-country`` mean the same here, since
every override record lies in one country.

A row with lat/lon makes a new record ``override:CC:name`` (or keeps the ``place_id`` it gives); a row
with only ``place_id`` makes the name an alias of that record. Either way, looking the name up returns
only the override (in its country).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OverridesError
from .normalize import compact, normalize
from .records import ADMIN1, ADMIN2, COUNTRY, PLACE, Place

if TYPE_CHECKING:
    from .index import Gazetteer

KIND_WORDS = {
    "": PLACE,
    "place": PLACE,
    "populated place": PLACE,
    "town": PLACE,
    "village": PLACE,
    "city": PLACE,
    "admin1": ADMIN1,
    "province": ADMIN1,
    "admin2": ADMIN2,
    "district": ADMIN2,
    "country": COUNTRY,
}


@dataclass
class Overrides:
    """Name -> records that win over the index."""

    source: str = ""
    by_key: dict[str, list[Place]] = field(default_factory=dict)
    by_id: dict[str, Place] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Overrides:
        return cls()

    @property
    def places(self) -> list[Place]:
        return list(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def add(self, name: str, place: Place) -> None:
        for key in _keys(name):
            bucket = self.by_key.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)
        self.by_id.setdefault(place.place_id, place)

    def lookup(self, name: str) -> list[Place]:
        if not self.by_key:
            return []
        for key in _keys(name):
            if key in self.by_key:
                return list(self.by_key[key])
        return []

    def has(self, name: str) -> bool:
        return bool(self.lookup(name))

    def get(self, place_id: str) -> Place | None:
        return self.by_id.get(place_id)

    @classmethod
    def from_csv(cls, path: str | os.PathLike, gazetteer: Gazetteer) -> Overrides:
        """Read an overrides file (CSV/TSV/``;``, or .xlsx); a malformed row raises OverridesError naming the
        file and line. Mention-scoped rows (see the module's docstring) are left out."""
        return cls.from_rows(read_rows(path), gazetteer, source=str(path))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, dict[str, str]]], gazetteer: Gazetteer, source: str = "") -> Overrides:
        out = cls(source=source)
        where = source or "overrides"
        for line, row in rows:
            name = (row.get("name") or "").strip()
            if not name:
                raise OverridesError(f"{where}:{line}: the name is empty")
            if is_mention_row(row, f"{where}:{line}"):
                continue
            out.add(name, place_for_row(row, name, gazetteer, f"{where}:{line}", source))
        return out


MENTION = "mention"
NAME_SCOPES = ("name", "name-in-country")
SCOPES = (MENTION, *NAME_SCOPES)
SEPARATORS = (",", ";", "\t")


def is_mention_row(row: dict[str, str], where: str = "overrides") -> bool:
    """True when a row settles one mention (it has an ``event_id`` and its ``scope`` is blank or
    ``mention``); an unknown scope raises OverridesError."""
    scope = (row.get("scope") or "").strip().lower().replace("_", "-").replace(" ", "-")
    if scope and scope not in SCOPES:
        raise OverridesError(f"{where}: scope {row.get('scope')!r} is not one of {', '.join(SCOPES)}")
    if scope in NAME_SCOPES:
        return False
    if scope == MENTION and not (row.get("event_id") or "").strip():
        raise OverridesError(f"{where}: scope 'mention' needs the event_id of the event it settles")
    return bool((row.get("event_id") or "").strip())


def read_text(path: str | os.PathLike) -> str:
    """The text of a CSV-like file: UTF-8 with or without a byte-order mark."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise OverridesError(f"{path}: no such overrides file") from None
    except IsADirectoryError:
        raise OverridesError(f"{path}: is a folder, not an overrides file") from None
    except UnicodeDecodeError as e:
        raise OverridesError(
            f"{path}: not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start}); save it as CSV UTF-8"
        ) from None
    except OSError as e:
        raise OverridesError(f"{path}: cannot read ({e.strerror or e})") from None


def sniff_separator(text: str) -> str:
    """The separator of a CSV-like text: whichever of ``,`` ``;`` tab its header line holds most of
    (``,`` on a tie or when it holds none)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def read_rows(path: str | os.PathLike) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of every filled row of an overrides (or review) file, keys lower-cased, values stripped;
    rows of a review list the analyst has not settled (a ``reason`` and neither lat/lon nor place_id) left
    out. CSV with ``,`` ``;`` or tab, UTF-8 with or without BOM, CRLF or LF; or .xlsx (first sheet)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(_filled(_xlsx_rows(path), path))
    return list(_rows(read_text(path), path))


def _xlsx_rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise OverridesError(f"{path}: reading .xlsx needs openpyxl; save the sheet as CSV instead") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise OverridesError(f"{path}: no such overrides file") from None
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise OverridesError(f"{path}: not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell(h).lower() for h in next(rows, ())]
        _check_header(header, path)
        for n, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if len(cells) > len(header) and any(cells[len(header) :]):
                raise OverridesError(f"{path}:{n}: more fields than the header has")
            yield n, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
    finally:
        book.close()


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()


def _check_header(header: list[str], path: Path) -> None:
    if "name" not in header:
        raise OverridesError(
            f"{path}:1: no 'name' column (expected columns name,country,lat,lon or name,place_id, "
            "separated by commas, semicolons or tabs)"
        )


def _filled(rows: Iterable[tuple[int, dict[str, str]]], path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    for line, row in rows:
        if not any(row.values()):
            continue
        if "reason" in row and not any(row.get(k) for k in ("lat", "lon", "place_id")):
            continue  # a review.csv row the analyst has not settled yet
        yield line, row


def _keys(name: str) -> list[str]:
    return [k for k in ("n:" + normalize(name), "c:" + compact(name)) if len(k) > 2]


def _rows(text: str, path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    _check_header(header, path)
    reader.fieldnames = header
    try:
        for row in reader:
            if None in row:
                raise OverridesError(f"{path}:{reader.line_num}: more fields than the header has")
            yield from _filled([(reader.line_num, {k: (v or "").strip() for k, v in row.items()})], path)
    except csv.Error as e:
        raise OverridesError(f"{path}:{reader.line_num}: malformed CSV ({e})") from None


def _number(value: str, what: str, lo: float, hi: float, where: str) -> float:
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")  # a decimal comma, as Excel writes numbers in many locales
    try:
        x = float(value)
    except ValueError:
        raise OverridesError(f"{where}: {what} {value!r} is not a number") from None
    if not lo <= x <= hi:
        raise OverridesError(f"{where}: {what} {x} is outside {lo}..{hi}")
    return x


def place_for_row(row: dict[str, str], name: str, gz: Gazetteer, where: str, source: str) -> Place:
    """The record an override row stands for (``where``: FILE:LINE, for errors)."""
    cc = row.get("country", "").upper()
    if cc and (len(cc) != 2 or not cc.isalpha()):
        raise OverridesError(f"{where}: country {cc!r} is not a two-letter ISO code")
    kind_word = row.get("kind", "").lower()
    kind = KIND_WORDS.get(kind_word, kind_word)
    pid = row.get("place_id", "")
    has_point = bool(row.get("lat") or row.get("lon"))
    if pid and not has_point:
        known = gz.get(pid)
        if known is None:
            raise OverridesError(f"{where}: place_id {pid!r} is not in the gazetteer")
        if cc and known.country_code != cc:
            raise OverridesError(f"{where}: place_id {pid} is in {known.country_code}, not {cc}")
        return known
    if not has_point:
        raise OverridesError(f"{where}: give lat and lon, or a place_id")
    lat = _number(row.get("lat", ""), "lat", -90, 90, where)
    lon = _number(row.get("lon", ""), "lon", -180, 180, where)
    if not cc:
        raise OverridesError(f"{where}: the country is empty (a two-letter ISO code is needed with lat/lon)")
    a1_code, a1_name = "", ""
    if row.get("admin1"):
        a1 = gz.search(row["admin1"], country=cc, kind=ADMIN1, limit=1)
        a1_code, a1_name = (a1[0].place.admin1_code, a1[0].place.name) if a1 else ("", row["admin1"])
    elif kind != COUNTRY:
        near = gz.nearest(lat, lon, kinds=(PLACE, ADMIN1), within_deg=1.0)
        if near is not None and near.country_code == cc:
            a1_code, a1_name = near.admin1_code, near.admin1
    return Place(
        place_id=pid or f"override:{cc}:{compact(name)}",
        name=name,
        lat=lat,
        lon=lon,
        country_code=cc,
        admin1_code=a1_code,
        admin1=a1_name,
        admin2="",
        kind=kind,
        population=0,
        capital_id="",
        source=f"override:{Path(source).name}" if source else "override",
    )
