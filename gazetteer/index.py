"""The place index: open (building it on first use, rebuilding it when damaged), look names up, rank
candidates."""

from __future__ import annotations

import math
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from .build import build_index, data_version
from .distance import distance_km
from .errors import CorruptIndexError, IndexPermissionError
from .imports import IMPORTS_FILE, ensure_current_keys
from .normalize import compact, normalize, skeleton
from .overrides import Overrides
from .query import search_qualified
from .records import ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION, Candidate, Place
from .store import BUILD_HINT, IMPORTS_HINT, is_damage, open_error, remove_stale_copies
from .words import QUALIFIERS_ADMIN1, QUALIFIERS_ADMIN2

TIER_WEIGHT = {"n": 1.0, "c": 0.95, "s": 0.75}
TIER_NAME = {"n": "name", "c": "compact", "s": "skeleton"}
# a skeleton (consonant) match must also read like the record's name: misspellings and transliterations
# ("Bakhmoot", "Mogadisho", "Lashkar Gha") score 0.86-0.92 against it, unrelated names that share
# consonants with an alternate spelling ("Maungdaw" -> Montevideo, "Seytenga" -> Dazhou) 0.14-0.71
FUZZY_MIN_SIMILARITY = 0.75
KIND_PRIOR = {CONTINENT: 0.55, REGION: 0.45, COUNTRY: 0.55, ADMIN1: 0.3}
# "Oregon", "Minnesota", "England": a name that is exactly a country's, province's or region's is that unit;
# small towns sharing it (Oregon, Ohio; Minneota, whose alternate it is) rank below it
UNIT_NAMESAKE_KINDS = (CONTINENT, REGION, COUNTRY, ADMIN1)
UNIT_NAMESAKE_MAX_POP = 200_000
UNIT_NAMESAKE_PENALTY = 0.15
UNIT_SEAT_MIN_POP = 5_000  # a town this big inside its namesake unit is likely its seat (Jenin, Marib)
UNIT_SEAT_KM = 60.0  # or this close to the unit's point (where admin-1 codes of towns and units differ)


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


class _Layer:
    """One SQLite file of records (the bundled index, or the user's imports).

    ``repair``: how to rebuild the file when SQLite finds it damaged (the bundled index: it is built
    from data that ships with the package); a layer without it raises :class:`CorruptIndexError`
    with ``hint``. A file is repaired at most once per process."""

    def __init__(self, path: Path, repair: Callable[[Path, str], None] | None = None, hint: str = ""):
        self.path = path
        self.repair = repair
        self.hint = hint
        self._repaired = False
        self._lock = threading.Lock()
        try:
            self._open()
        except CorruptIndexError as e:
            if not self._repair_once(str(e.__cause__ or e)):
                raise
            self._open()
        self.keys = lru_cache(maxsize=100_000)(self._keys)
        self.place = lru_cache(maxsize=100_000)(self._place)

    def _open(self) -> None:
        con = None
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            con.execute("PRAGMA query_only=1")
            con.execute("PRAGMA mmap_size=268435456")
            row = con.execute("SELECT v FROM meta WHERE k IN ('data_version', 'key_version')").fetchone()
            if row is None:
                raise sqlite3.DatabaseError("no version in its meta table")
        except sqlite3.Error as e:
            if con is not None:
                con.close()
            error = open_error(self.path, e, self.hint)
            raise error from (e if isinstance(error, CorruptIndexError) else None)
        self.con, self.version = con, row[0]

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        """All rows of a query; a damaged file is rebuilt (once) and the query asked again."""
        con = self.con
        try:
            return con.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            if not (is_damage(e) and self._repair_once(str(e), con)):
                raise open_error(self.path, e, self.hint) from None
        try:
            return self.con.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            raise open_error(self.path, e, self.hint) from None

    def _repair_once(self, reason: str, seen: sqlite3.Connection | None = None) -> bool:
        """Rebuild the damaged file and reopen it; False when this layer cannot be (or was already) repaired."""
        with self._lock:
            if seen is not None and getattr(self, "con", None) is not seen:
                return True  # another thread repaired it meanwhile
            if self.repair is None or self._repaired:
                return False
            self._repaired = True
            old = getattr(self, "con", None)
            self.repair(self.path, reason)
            if old is not None:
                self._open()
                old.close()
                self.keys.cache_clear()
                self.place.cache_clear()
            return True

    def _keys(self, key: str) -> tuple[tuple[int, int], ...]:
        return tuple(self.rows("SELECT place, is_main FROM names WHERE key=?", (key,)))

    def _place(self, rowid: int) -> Place:
        return Place(*self.rows(f"SELECT {_COLUMNS} FROM places WHERE rowid=?", (rowid,))[0])

    def get(self, place_id: str) -> Place | None:
        rows = self.rows("SELECT rowid FROM places WHERE place_id=?", (place_id,))
        return self.place(rows[0][0]) if rows else None

    def first(self, where: str, args: tuple) -> Place | None:
        rows = self.rows(f"SELECT rowid FROM places WHERE {where} LIMIT 1", args)
        return self.place(rows[0][0]) if rows else None


class Gazetteer:
    """An offline place index: the bundled records, the user's imported GeoNames dumps (if any) and the
    user's overrides (if any), looked up as one.

    >>> gz = Gazetteer.default()
    >>> gz.search("Lashkargah")[0].place.name
    'Lashkar Gāh'
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(
        self,
        path: str | os.PathLike,
        imports: str | os.PathLike | None = None,
        overrides: Overrides | None = None,
    ):
        self.path = Path(path)
        bundled = self.path.name == index_path().name  # built by this package: rebuilt when damaged
        self._layers = [
            _Layer(self.path, repair=_rebuild, hint=BUILD_HINT)
            if bundled
            else _Layer(self.path, hint="rebuild it (gazetteer.build.build_index)")
        ]
        if imports is not None:
            self._layers.append(_Layer(Path(imports), hint=IMPORTS_HINT))
        self.version = "+".join(layer.version for layer in self._layers)
        self.overrides = overrides or Overrides.empty()
        self._has_name = lru_cache(maxsize=200_000)(self._has_name_uncached)
        # units are few and asked for on every sentence: remember them
        self._unit = lru_cache(maxsize=20_000)(lambda where, args: self._layers[0].first(where, args))

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Gazetteer:
        """The bundled index (built into the user cache directory on first use) plus the user's
        imported GeoNames records (``mapper gazetteer import``), if any."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls(ensure_index(), imports=imports_path_if_any())
            return cls._default

    @classmethod
    def reset_default(cls) -> None:
        """Forget the shared default instance (after an import, for instance)."""
        with cls._lock:
            cls._default = None

    def with_overrides(self, overrides: Overrides | str | os.PathLike | None) -> Gazetteer:
        """The same index with a user's overrides (a CSV path or :class:`Overrides`) winning over it."""
        if overrides is None:
            return self
        if not isinstance(overrides, Overrides):
            overrides = Overrides.from_csv(overrides, self)
        new = object.__new__(Gazetteer)
        new.path, new._layers, new.version, new.overrides = self.path, self._layers, self.version, overrides
        new._has_name = lru_cache(maxsize=200_000)(new._has_name_uncached)
        new._unit = self._unit
        return new

    def layer_stats(self) -> list[tuple[Path, int, list[tuple[str, int]]]]:
        """(file, records, [(kind, records)]) per layer."""
        out = []
        for layer in self._layers:
            kinds = layer.rows("SELECT kind, count(*) FROM places GROUP BY kind ORDER BY 2 DESC")
            out.append((layer.path, sum(n for _k, n in kinds), kinds))
        return out

    # -- records --------------------------------------------------------------------------------
    def get(self, place_id: str) -> Place | None:
        found = self.overrides.get(place_id)
        if found is not None:
            return found
        places = [p for layer in self._layers if (p := layer.get(place_id)) is not None]
        return _merge(places) if places else None

    def capital_of(self, place: Place) -> Place | None:
        """The capital of a country or admin-1 unit, if known."""
        return self.get(place.capital_id) if place.capital_id else None

    def admin1_of(self, place: Place) -> Place | None:
        """The admin-1 record a place lies in."""
        if place.kind == ADMIN1:
            return place
        return self._unit(
            "country_code=? AND admin1_code=? AND kind=?", (place.country_code, place.admin1_code, ADMIN1)
        )

    def admin1(self, country_code: str, admin1_code: str) -> Place | None:
        """The admin-1 record with this GeoNames code."""
        return self._unit("country_code=? AND admin1_code=? AND kind=?", (country_code.upper(), admin1_code, ADMIN1))

    def country(self, code: str) -> Place | None:
        return self._unit("country_code=? AND kind=?", (code.upper(), COUNTRY))

    # -- lookup ---------------------------------------------------------------------------------
    def has_name(self, name: str) -> bool:
        """True if any record has this name (normalised or compact form)."""
        return self._has_name(name)

    def _has_name_uncached(self, name: str) -> bool:
        n, c = "n:" + normalize(name), "c:" + compact(name)
        return self.overrides.has(name) or any(layer.keys(n) or layer.keys(c) for layer in self._layers)

    def search(
        self,
        name: str,
        country: str | Iterable[str] | None = None,
        kind: str | Iterable[str] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Records a name may stand for, best first. Never raises for an unknown name: returns [].

        An override for the name (in the requested countries) wins: it is the only candidate."""
        if not name or not name.strip():
            return []
        countries = _as_set(country, str.upper)
        kinds = _as_set(kind, str)
        forced = [p for p in self.overrides.lookup(name) if not countries or p.country_code in countries]
        if forced:
            return [Candidate(p, 1.0, "override") for p in forced][:limit]
        if "," in name:  # "Paris, Texas", "Portland, ME": the qualifiers rank the candidates
            qualified = search_qualified(self, name, limit=limit, country=country, kind=kind, fuzzy=fuzzy)
            if qualified is not None:
                return qualified
        found: dict[str, tuple[float, str, list[Place]]] = {}  # place_id -> weight, tier, records
        tiers = [("n", normalize(name)), ("c", compact(name))]
        if fuzzy:
            tiers.append(("s", skeleton(name)))
        for tier, key in tiers:
            if not key:
                continue
            for layer in self._layers:
                for rowid, is_main in layer.keys(f"{tier}:{key}"):
                    p = layer.place(rowid)
                    w = TIER_WEIGHT[tier] + (0.05 if is_main else 0.0)
                    prev = found.get(p.place_id)
                    if prev is None:
                        found[p.place_id] = (w, TIER_NAME[tier], [p])
                    else:
                        if p not in prev[2]:
                            prev[2].append(p)
                        if prev[0] < w:
                            found[p.place_id] = (w, TIER_NAME[tier], prev[2])
            if found and tier == "n":
                break  # an exact name match beats transliteration guesses
        out = []
        for w, tier_name, places in found.values():
            p = _merge(places)
            if countries and p.country_code not in countries:
                continue
            if kinds and p.kind not in kinds:
                continue
            if tier_name == "skeleton" and _similarity(name, p.name) < FUZZY_MIN_SIMILARITY:
                continue  # same consonants, different name: "Maungdaw" is not Montevideo
            out.append(Candidate(p, min(1.0, w * (0.55 + 0.45 * prior(p))), tier_name))
        out = _units_before_small_namesakes(name, out)
        out.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
        if not out:
            return self._search_unit_phrase(name, countries, kinds, limit, fuzzy)
        return out[:limit]

    def _search_unit_phrase(
        self, name: str, countries: set[str], kinds: set[str], limit: int, fuzzy: bool
    ) -> list[Candidate]:
        """ "Hodeidah governorate", "Nad Ali district": a name the index does not hold as written, whose last
        word names a kind of unit, is that unit of the rest's name; failing that, the unit of that level in
        which the town of that name lies (units are often named after their seat), ``matched`` = "seat"."""
        head, _, word = name.strip().rpartition(" ")
        level = ADMIN1 if word.lower() in QUALIFIERS_ADMIN1 else ADMIN2 if word.lower() in QUALIFIERS_ADMIN2 else ""
        if not head or not level or (kinds and level not in kinds):
            return []
        cc = countries or None
        units = self.search(head, country=cc, kind=level, limit=limit, fuzzy=fuzzy)
        if units:
            return units
        seats = self.search(head, country=cc, kind=PLACE, limit=1, fuzzy=fuzzy)
        if not seats:
            return []
        seat = seats[0].place
        unit = self.admin1_of(seat) if level == ADMIN1 else self._admin2_of(seat)
        return [Candidate(unit, seats[0].score * 0.9, "seat")] if unit is not None else []

    def _admin2_of(self, place: Place) -> Place | None:
        if not place.admin2:
            return None
        for c in self.search(place.admin2, country=place.country_code, kind=ADMIN2, limit=5, fuzzy=False):
            if c.place.admin1_code == place.admin1_code:
                return c.place
        return None

    def geocode(self, name: str, country: str | Iterable[str] | None = None) -> Candidate | None:
        """The best record for a name, or None."""
        res = self.search(name, country=country, limit=1)
        return res[0] if res else None

    def geocode_many(self, names, country=None):
        """Vectorised geocoding: a pandas DataFrame aligned with ``names`` (any array-like or Series).

        Each distinct (name, country) pair is looked up once, so a million rows of repeated names
        cost about as much as their distinct values. ``country``: None, one code, or an array-like
        of codes aligned with ``names``. Columns: place_id, location, lat, lon, kind, country_code,
        admin1, score; rows with no match hold nulls.
        """
        import numpy as np
        import pandas as pd

        index = names.index if isinstance(names, pd.Series) else None
        values = pd.Series(names, copy=False).astype("string").str.strip()
        if country is None or isinstance(country, str):
            keys = values
        else:
            cc = pd.Series(country, copy=False).astype("string").str.upper().fillna("")
            keys = values + "\x1f" + cc.to_numpy()
        codes, uniques = pd.factorize(keys, use_na_sentinel=True)
        found = []
        for key in uniques:
            name, _, cc = str(key).partition("\x1f")
            c = self.geocode(
                name, country=(cc or None) if country is not None and not isinstance(country, str) else country
            )
            found.append(c)
        numeric = {"lat", "lon", "score"}
        fields = {
            "place_id": lambda c: c.place.place_id,
            "location": lambda c: c.place.name,
            "lat": lambda c: c.place.lat,
            "lon": lambda c: c.place.lon,
            "kind": lambda c: c.place.kind,
            "country_code": lambda c: c.place.country_code,
            "admin1": lambda c: c.place.admin1,
            "score": lambda c: c.score,
        }
        missing = codes < 0
        take = np.where(missing, len(found), codes)  # one extra slot at the end holds the null
        out = {}
        for k, get in fields.items():
            null = np.nan if k in numeric else None
            arr = np.array([get(c) if c else null for c in found] + [null], dtype=float if k in numeric else object)
            out[k] = arr[take]
        return pd.DataFrame(out, index=index)

    def nearest(self, lat: float, lon: float, kinds: Iterable[str] = (PLACE,), within_deg: float = 1.0) -> Place | None:
        """The nearest record of the given kinds (a simple box scan; for reverse geocoding)."""
        kinds = tuple(kinds)
        q = (
            f"SELECT rowid, lat, lon FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            f"AND kind IN ({','.join('?' * len(kinds))})"
        )
        best, best_d = None, float("inf")
        coslat = math.cos(math.radians(lat))
        for layer in self._layers:
            rows = layer.rows(q, (lat - within_deg, lat + within_deg, lon - within_deg, lon + within_deg, *kinds))
            for rowid, la, lo in rows:
                d = (la - lat) ** 2 + ((lo - lon) * coslat) ** 2
                if d < best_d:
                    best, best_d = layer.place(rowid), d
        for p in self.overrides.places:
            if p.kind in kinds:
                d = (p.lat - lat) ** 2 + ((p.lon - lon) * coslat) ** 2
                if d < best_d and abs(p.lat - lat) <= within_deg and abs(p.lon - lon) <= within_deg:
                    best, best_d = p, d
        return best


def _units_before_small_namesakes(name: str, cands: list[Candidate]) -> list[Candidate]:
    """Small towns that share their name with a unit among the candidates lose a little (see
    UNIT_NAMESAKE_KINDS): "Oregon" is the state, "England" is England, not the towns of those names.
    The unit's capital, and a town inside the unit that has its very name or is big enough to be its seat
    (Marib in Marib governorate, Timbuktu for Tombouctou region) keep their rank."""
    units = [c.place for c in cands if c.place.kind in UNIT_NAMESAKE_KINDS and c.matched == "name"]
    if not units:
        return cands
    key = normalize(name)

    def namesake(p: Place) -> bool:
        if p.kind != PLACE or p.population >= UNIT_NAMESAKE_MAX_POP:
            return False
        for u in units:
            if u.capital_id == p.place_id:
                return False
            in_unit = u.country_code == p.country_code and (
                u.kind == COUNTRY or u.admin1_code == p.admin1_code or _near(u, p, UNIT_SEAT_KM)
            )
            if in_unit and (normalize(p.name) == key or p.population >= UNIT_SEAT_MIN_POP):
                return False
        return True

    return [Candidate(c.place, c.score - UNIT_NAMESAKE_PENALTY, c.matched) if namesake(c.place) else c for c in cands]


def _near(a: Place, b: Place, km: float) -> bool:
    """Within ``km`` of each other."""
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= km


def _merge(places: list[Place]) -> Place:
    """One record from the same GeoNames id seen in several layers: the imported record (it has admin2
    and all feature classes) completed with what the bundled one knows (capital, admin-1 name)."""
    if len(places) == 1:
        return places[0]
    base, *rest = places
    out = rest[-1]
    return replace(
        out,
        capital_id=out.capital_id or base.capital_id,
        admin1=out.admin1 or base.admin1,
        population=out.population or base.population,
    )


def _as_set(v, f) -> set:
    if v is None:
        return set()
    if isinstance(v, str):
        return {f(v)}
    return {f(x) for x in v}


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{data_version()}.sqlite"


def imports_path() -> Path:
    """Where ``mapper gazetteer import`` keeps the user's imported GeoNames records."""
    return cache_dir() / IMPORTS_FILE


def imports_path_if_any() -> Path | None:
    path = imports_path()
    return ensure_current_keys(path) if _exists(path) else None


def ensure_index() -> Path:
    """Path of the bundled index, building it if it is missing or out of date (with a progress line on
    stderr when that takes over a second). Working copies left by killed builds are removed."""
    path = index_path()
    exists = _exists(path)
    remove_stale_copies(path.parent)
    if not exists:
        with _progress("building the place index (first run, ~20 s) …", f"place index ready: {path}"):
            build_index(path)
    return path


PROGRESS_AFTER_S = 1.0


def notice(message: str) -> None:
    """One line for the user on stderr (progress, a repair): the gazetteer's only output."""
    print(f"gazetteer: {message}", file=sys.stderr, flush=True)


@contextmanager
def _progress(message: str, done: str) -> Iterator[None]:
    """Say ``message`` if the block is still running after PROGRESS_AFTER_S, and ``done`` when it ends."""
    start = time.monotonic()
    timer = threading.Timer(PROGRESS_AFTER_S, notice, (message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
    if timer.finished.is_set() and time.monotonic() - start >= PROGRESS_AFTER_S:
        notice(f"{done} ({time.monotonic() - start:.0f} s)")


def _rebuild(path: Path, reason: str) -> None:
    """Rebuild a damaged bundled index in place, saying so once."""
    notice(f"the place index {path} is damaged ({reason}); rebuilding it (~20 s) …")
    build_index(path)
    notice(f"place index rebuilt: {path}")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except PermissionError:
        raise IndexPermissionError(
            f"{path.parent}: permission denied (cannot look into the place index folder; check its permissions "
            "or set INCIDENT_MAPPER_CACHE to another folder)"
        ) from None


def _similarity(a: str, b: str) -> float:
    """0-1: how alike two names read, after folding case, accents and punctuation."""
    return SequenceMatcher(None, compact(a), compact(b)).ratio()
