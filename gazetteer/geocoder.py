"""A geopy ``Geocoder`` over the offline gazetteer.

So everything built on geopy works unchanged, offline and fast::

    import geopandas
    from gazetteer.geocoder import OfflineGazetteer
    geopandas.tools.geocode(["Lashkargah", "Hudaydah"], provider=OfflineGazetteer)

    OfflineGazetteer().geocode("Kandahar", country_codes="IN").point

Names the index lacks can go to an online geocoder of geopy's (off by default): pass
``fallback=Nominatim(user_agent="my-app")``; calls to it go through geopy's ``RateLimiter``
(``fallback_min_delay_seconds``, 1 s by default as Nominatim's policy asks) and their answers are
cached (in memory, and in a JSON file if ``fallback_cache`` names one) so a name is asked once.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from .atomic import write_text
from .index import Gazetteer
from .records import Candidate, Place

__all__ = ["OfflineGazetteer"]


def _address(gz: Gazetteer, p: Place) -> str:
    parts = [p.name]
    if p.admin2 and p.admin2 != p.name:
        parts.append(p.admin2)
    if p.admin1 and p.admin1 != p.name:
        parts.append(p.admin1)
    country = gz.country(p.country_code) if p.kind != "country" else None
    if country is not None:
        parts.append(country.name)
    return ", ".join(parts)


def _location(gz: Gazetteer, c: Candidate) -> Location:
    raw = c.as_dict()
    return Location(_address(gz, c.place), Point(c.place.lat, c.place.lon), raw)


class OfflineGazetteer(Geocoder):
    """geopy geocoder answering from the offline place index (no network unless ``fallback`` is set).

    :param gazetteer: a :class:`gazetteer.Gazetteer` (default: the bundled index plus imports).
    :param overrides: an overrides CSV path applied on top of the index.
    :param fallback: an online geopy geocoder asked for names the index lacks (default: none).
    :param fallback_min_delay_seconds: RateLimiter delay between fallback calls.
    :param fallback_cache: JSON file that keeps fallback answers between runs.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        overrides: str | os.PathLike | None = None,
        fallback: Geocoder | None = None,
        fallback_min_delay_seconds: float = 1.0,
        fallback_cache: str | os.PathLike | None = None,
        timeout=DEFAULT_SENTINEL,
        user_agent: str | None = None,
    ):
        super().__init__(timeout=timeout, user_agent=user_agent or "incident-mapper")
        self.gazetteer = (gazetteer or Gazetteer.default()).with_overrides(overrides)
        self.fallback = fallback
        self._fallback_geocode = (
            RateLimiter(fallback.geocode, min_delay_seconds=fallback_min_delay_seconds, max_retries=1)
            if fallback is not None
            else None
        )
        self._cache_path = Path(fallback_cache) if fallback_cache else None
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.Lock()
        if self._cache_path and self._cache_path.exists():
            try:
                self._cache = json.loads(self._cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        limit: int = 10,
        timeout=DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """The best place for ``query`` (or all candidates when ``exactly_one=False``), or None."""
        if not isinstance(query, str) or not query.strip():
            return None
        countries = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        cands = self.gazetteer.search(query, country=countries or None, limit=1 if exactly_one else limit)
        if cands:
            locs = [_location(self.gazetteer, c) for c in cands]
            return locs[0] if exactly_one else locs
        if self._fallback_geocode is None:
            return None
        return self._ask_fallback(query, countries, exactly_one)

    def _ask_fallback(self, query: str, countries: list[str], exactly_one: bool):
        key = json.dumps([query.strip().lower(), sorted(countries), exactly_one])
        with self._cache_lock:
            if key in self._cache:
                return _from_cache(self._cache[key], exactly_one)
        kwargs: dict[str, Any] = {"exactly_one": exactly_one}
        if countries:
            kwargs["country_codes"] = countries
        assert self._fallback_geocode is not None
        try:
            answer = self._fallback_geocode(query, **kwargs)
        except TypeError:  # a geocoder without country_codes
            kwargs.pop("country_codes", None)
            answer = self._fallback_geocode(query, **kwargs)
        locs = answer if isinstance(answer, list) else ([answer] if answer is not None else [])
        stored = [[loc.address, loc.latitude, loc.longitude] for loc in locs]
        with self._cache_lock:
            self._cache[key] = stored
            if self._cache_path:
                write_text(self._cache_path, json.dumps(self._cache, ensure_ascii=False, sort_keys=True))
        return answer

    def reverse(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL, within_deg: float = 1.0):
        """The nearest populated place (within ``within_deg`` degrees) to a point, or None."""
        pt = Point(query)
        p = self.gazetteer.nearest(pt.latitude, pt.longitude, within_deg=within_deg)
        if p is None:
            return None
        loc = _location(self.gazetteer, Candidate(p, 1.0, "reverse"))
        return loc if exactly_one else [loc]


def _from_cache(stored: list, exactly_one: bool):
    locs = [Location(addr, Point(lat, lon), {"cached": True}) for addr, lat, lon in stored]
    if exactly_one:
        return locs[0] if locs else None
    return locs or None
