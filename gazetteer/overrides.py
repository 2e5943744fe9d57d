"""User overrides: a CSV of names that must resolve to a given record or point, whatever the index says.

Columns (header required, any order; extra columns are ignored, so a filled-in ``review.csv`` works,
its rows with neither lat/lon nor place_id being skipped):

``name``      the name as it appears in reports (required)
``country``   ISO 3166 alpha-2 code (required unless ``place_id`` names a known record)
``lat``, ``lon``  the point (WGS 84 degrees), or
``place_id``  an existing gazetteer record ("geonames:1134720") the name should stand for
``kind``      optional: populated place (default), admin1, admin2, country, or any feature kind
``admin1``    optional: the province name, for the admin hierarchy (else taken from the nearest town)

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
        """Read an overrides CSV; a malformed row raises OverridesError naming the file and line."""
        path = Path(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise OverridesError(f"{path}: no such overrides file") from None
        except UnicodeDecodeError as e:
            raise OverridesError(
                f"{path}: not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start})"
            ) from None
        except OSError as e:
            raise OverridesError(f"{path}: cannot read ({e.strerror or e})") from None
        return cls.from_rows(_rows(text, path), gazetteer, source=str(path))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, dict[str, str]]], gazetteer: Gazetteer, source: str = "") -> Overrides:
        out = cls(source=source)
        where = source or "overrides"
        for line, row in rows:
            name = (row.get("name") or "").strip()
            if not name:
                raise OverridesError(f"{where}:{line}: the name is empty")
            out.add(name, _place_for(row, name, gazetteer, f"{where}:{line}", source))
        return out


def _keys(name: str) -> list[str]:
    return [k for k in ("n:" + normalize(name), "c:" + compact(name)) if len(k) > 2]


def _rows(text: str, path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise OverridesError(f"{path}:1: no 'name' column (expected columns name,country,lat,lon or name,place_id)")
    reader.fieldnames = header
    try:
        for row in reader:
            if None in row:
                raise OverridesError(f"{path}:{reader.line_num}: more fields than the header has")
            if not any((v or "").strip() for v in row.values()):
                continue
            if "reason" in row and not any((row.get(k) or "").strip() for k in ("lat", "lon", "place_id")):
                continue  # a review.csv row the analyst has not settled yet
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
    except csv.Error as e:
        raise OverridesError(f"{path}:{reader.line_num}: malformed CSV ({e})") from None


def _number(value: str, what: str, lo: float, hi: float, where: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise OverridesError(f"{where}: {what} {value!r} is not a number") from None
    if not lo <= x <= hi:
        raise OverridesError(f"{where}: {what} {x} is outside {lo}..{hi}")
    return x


def _place_for(row: dict[str, str], name: str, gz: Gazetteer, where: str, source: str) -> Place:
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
