"""The nearest record to many points at once: reverse geocoding a table's coordinates in one spatial query.

Same answer as :meth:`Gazetteer.nearest` for each point (the record of the given kinds inside the box of
``within_deg`` degrees around the point that is nearest by the local equirectangular distance
``dlat² + (cos(lat)·dlon)²``; ties go to the first layer and the lowest rowid; an override only when strictly
nearer), but over a shapely STRtree of the records' points built once per gazetteer, asked with small boxes first
(see :meth:`_PointIndex.nearest`).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import shapely

from .records import PLACE, Place

if TYPE_CHECKING:
    from .index import Gazetteer

_LAYER_POINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # layer -> {kinds: (rowid, lat, lon)}
_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Gazetteer -> {kinds: _PointIndex}
RADII = (0.02, 0.1)  # half-widths of the first boxes asked (degrees); most points settle in the first


class _PointIndex:
    """Points of one gazetteer's records of some kinds: layers in order, then the overrides."""

    def __init__(self, gz: Gazetteer, kinds: tuple[str, ...]):
        lats, lons, self.owner, self.rowid = [], [], [], []
        self.layers = list(gz._layers)
        for i, layer in enumerate(self.layers):
            per_kind = _LAYER_POINTS.setdefault(layer, {})
            if kinds not in per_kind:
                rows = layer.con.execute(
                    f"SELECT rowid, lat, lon FROM places WHERE kind IN ({','.join('?' * len(kinds))}) ORDER BY rowid",
                    kinds,
                ).fetchall()
                arr = np.array(rows, dtype=float).reshape(-1, 3)
                per_kind[kinds] = (arr[:, 0].astype(np.int64), arr[:, 1], arr[:, 2])
            rowid, la, lo = per_kind[kinds]
            lats.append(la)
            lons.append(lo)
            self.owner.append(np.full(len(rowid), i, dtype=np.int64))
            self.rowid.append(rowid)
        self.overrides = [p for p in gz.overrides.places if p.kind in kinds]
        lats.append(np.array([p.lat for p in self.overrides], dtype=float))
        lons.append(np.array([p.lon for p in self.overrides], dtype=float))
        self.owner.append(np.full(len(self.overrides), -1, dtype=np.int64))
        self.rowid.append(np.arange(len(self.overrides), dtype=np.int64))
        self.lat, self.lon = np.concatenate(lats), np.concatenate(lons)
        self.owner_of, self.rowid_of = np.concatenate(self.owner), np.concatenate(self.rowid)
        self.first_override = len(self.lat) - len(self.overrides)
        self.tree = shapely.STRtree(shapely.points(self.lon, self.lat))

    def place(self, k: int) -> Place:
        owner = int(self.owner_of[k])
        if owner < 0:
            return self.overrides[int(self.rowid_of[k])]
        return self.layers[owner].place(int(self.rowid_of[k]))

    def nearest(self, lat: np.ndarray, lon: np.ndarray, within_deg: float) -> np.ndarray:
        """Index of the nearest point of each query point (-1: none inside its box).

        The records within r degrees of each point, r growing up to ``within_deg``: a point whose best local
        distance d over them is at most r·cos(lat) is settled (a record farther than r is farther than that
        by the local distance too); the others are asked again with a wider r, the last time with the whole
        box."""
        n = len(lat)
        out = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self.lat) == 0:
            return out
        coslat = np.cos(np.radians(lat))
        pts = shapely.points(lon, lat)
        todo = np.arange(n)
        for r in (*[x for x in RADII if x < within_deg], within_deg):
            last = r >= within_deg
            qq, k = self.tree.query(pts[todo], predicate="dwithin", distance=r * math.sqrt(2) if last else r)
            q = todo[qq]
            if last:  # the whole box, corners included
                inside = (np.abs(self.lat[k] - lat[q]) <= within_deg) & (np.abs(self.lon[k] - lon[q]) <= within_deg)
                q, k = q[inside], k[inside]
            d = (self.lat[k] - lat[q]) ** 2 + ((self.lon[k] - lon[q]) * coslat[q]) ** 2
            # an override wins only when strictly nearer: rank it after every record at the same distance
            order = np.lexsort((k, k >= self.first_override, d, q))
            q, k, d = q[order], k[order], d[order]
            first = np.ones(len(q), dtype=bool)
            first[1:] = q[1:] != q[:-1]
            q, k, d = q[first], k[first], d[first]
            settled = np.ones(len(q), dtype=bool) if last else d <= (r * coslat[q]) ** 2
            out[q[settled]] = k[settled]
            if last:
                break
            done = np.zeros(n, dtype=bool)
            done[q[settled]] = True
            todo = todo[~done[todo]]
            if not len(todo):
                break
        return out


def nearest_places(
    gz: Gazetteer, lat: Iterable[float], lon: Iterable[float], kinds: Iterable[str] = (PLACE,), within_deg: float = 1.0
) -> list[Place | None]:
    """:meth:`Gazetteer.nearest` of every (lat, lon) pair, in one query; each distinct point looked up once."""
    kinds = tuple(kinds)
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    per_kind = _INDEXES.setdefault(gz, {})
    if kinds not in per_kind:
        per_kind[kinds] = _PointIndex(gz, kinds)
    index: _PointIndex = per_kind[kinds]
    back, ulat, ulon = unique_points(la, lo)
    hits = index.nearest(ulat, ulon, within_deg).tolist()
    found = {k: index.place(k) for k in set(hits) if k >= 0}
    per_unique = [found.get(k) for k in hits]
    return [per_unique[b] for b in back.tolist()]


def unique_points(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code of each point, lat and lon of the distinct points): a table repeats its places' coordinates."""
    import pandas as pd

    a, ua = pd.factorize(lat)
    b, ub = pd.factorize(lon)
    codes, pairs = pd.factorize(a.astype(np.int64) * max(1, len(ub)) + b)
    pairs = np.asarray(pairs, dtype=np.int64)
    return (
        codes,
        np.asarray(ua, dtype=float)[pairs // max(1, len(ub))],
        np.asarray(ub, dtype=float)[pairs % max(1, len(ub))],
    )
