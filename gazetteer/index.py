"""The place index: open (building it on first use), look names up, rank candidates."""

from __future__ import annotations

import math
import os
import sqlite3
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from mapper.errors import GazetteerError

from .build import build_index, data_version
from .normalize import compact, normalize, skeleton
from .records import ADMIN1, COUNTRY, PLACE, Candidate, Place

TIER_WEIGHT = {"n": 1.0, "c": 0.95, "s": 0.75}
TIER_NAME = {"n": "name", "c": "compact", "s": "skeleton"}
KIND_PRIOR = {COUNTRY: 0.55, ADMIN1: 0.3}


def cache_dir() -> Path:
    env = os.environ.get("INCIDENT_MAPPER_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("incident-mapper"))


def prior(place: Place) -> float:
    """How likely a record is meant when its name is seen with no context (0-1)."""
    pop = 0.6 * min(1.0, math.log10(place.population + 1) / 7.0)
    return min(1.0, pop + KIND_PRIOR.get(place.kind, 0.0))


_COLUMNS = "place_id, name, lat, lon, country_code, admin1_code, admin1, admin2, kind, population, capital_id, source"


class Gazetteer:
    """An offline place index.

    >>> gz = Gazetteer.default()
    >>> gz.search("Lashkargah")[0].place.name
    'Lashkar Gāh'
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._con.execute("PRAGMA query_only=1")
            self._con.execute("PRAGMA mmap_size=268435456")
            self.version = self._con.execute("SELECT v FROM meta WHERE k='data_version'").fetchone()[0]
        except sqlite3.Error as e:
            raise GazetteerError(f"{self.path}: not a gazetteer index ({e})") from None
        self._keys = lru_cache(maxsize=100_000)(self._keys_uncached)
        self._by_rowid = lru_cache(maxsize=100_000)(self._place_uncached)

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Gazetteer:
        """The bundled index, built into the user cache directory on first use."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(ensure_index())
            return cls._default

    # -- records --------------------------------------------------------------------------------
    def _place_uncached(self, rowid: int) -> Place:
        row = self._con.execute(f"SELECT {_COLUMNS} FROM places WHERE rowid=?", (rowid,)).fetchone()
        return Place(*row)

    def get(self, place_id: str) -> Place | None:
        row = self._con.execute("SELECT rowid FROM places WHERE place_id=?", (place_id,)).fetchone()
        return self._by_rowid(row[0]) if row else None

    def capital_of(self, place: Place) -> Place | None:
        """The capital of a country or admin-1 unit, if known."""
        return self.get(place.capital_id) if place.capital_id else None

    def admin1_of(self, place: Place) -> Place | None:
        """The admin-1 record a place lies in."""
        if place.kind == ADMIN1:
            return place
        row = self._con.execute(
            "SELECT rowid FROM places WHERE country_code=? AND admin1_code=? AND kind=?",
            (place.country_code, place.admin1_code, ADMIN1),
        ).fetchone()
        return self._by_rowid(row[0]) if row else None

    def country(self, code: str) -> Place | None:
        row = self._con.execute(
            "SELECT rowid FROM places WHERE country_code=? AND kind=?", (code.upper(), COUNTRY)
        ).fetchone()
        return self._by_rowid(row[0]) if row else None

    # -- lookup ---------------------------------------------------------------------------------
    def _keys_uncached(self, key: str) -> tuple[tuple[int, int], ...]:
        return tuple(self._con.execute("SELECT place, is_main FROM names WHERE key=?", (key,)).fetchall())

    def has_name(self, name: str) -> bool:
        """True if any record has this name (normalised or compact form)."""
        return bool(self._keys("n:" + normalize(name)) or self._keys("c:" + compact(name)))

    def search(
        self,
        name: str,
        country: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Records a name may stand for, best first. Never raises for an unknown name: returns []."""
        if not name or not name.strip():
            return []
        countries = _as_set(country, str.upper)
        kinds = _as_set(kind, str)
        found: dict[int, tuple[float, str]] = {}
        tiers = [("n", normalize(name)), ("c", compact(name))]
        if fuzzy:
            tiers.append(("s", skeleton(name)))
        for tier, key in tiers:
            if not key:
                continue
            for rowid, is_main in self._keys(f"{tier}:{key}"):
                w = TIER_WEIGHT[tier] + (0.05 if is_main else 0.0)
                if rowid not in found or found[rowid][0] < w:
                    found[rowid] = (w, TIER_NAME[tier])
            if found and tier == "n":
                break  # an exact name match beats transliteration guesses
        out = []
        for rowid, (w, tier_name) in found.items():
            p = self._by_rowid(rowid)
            if countries and p.country_code not in countries:
                continue
            if kinds and p.kind not in kinds:
                continue
            out.append(Candidate(p, min(1.0, w * (0.55 + 0.45 * prior(p))), tier_name))
        out.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        return out[:limit]

    def geocode(self, name: str, country: str | Iterable[str] | None = None) -> Candidate | None:
        """The best record for a name, or None."""
        res = self.search(name, country=country, limit=1)
        return res[0] if res else None

    def nearest(self, lat: float, lon: float, kinds: Iterable[str] = (PLACE,), within_deg: float = 1.0) -> Place | None:
        """The nearest record of the given kinds (a simple box scan; for reverse geocoding)."""
        kinds = tuple(kinds)
        q = (
            f"SELECT rowid, lat, lon FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            f"AND kind IN ({','.join('?' * len(kinds))})"
        )
        rows = self._con.execute(q, (lat - within_deg, lat + within_deg, lon - within_deg, lon + within_deg, *kinds))
        best, best_d = None, float("inf")
        coslat = math.cos(math.radians(lat))
        for rowid, la, lo in rows:
            d = (la - lat) ** 2 + ((lo - lon) * coslat) ** 2
            if d < best_d:
                best, best_d = rowid, d
        return self._by_rowid(best) if best is not None else None


def _as_set(v, f) -> set:
    if v is None:
        return set()
    if isinstance(v, str):
        return {f(v)}
    return {f(x) for x in v}


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{data_version()}.sqlite"


def ensure_index() -> Path:
    """Path of the bundled index, building it if it is missing or out of date."""
    path = index_path()
    if not path.exists():
        try:
            build_index(path)
        except OSError as e:
            raise GazetteerError(f"cannot write the place index to {path.parent}: {e.strerror or e}") from None
    return path
