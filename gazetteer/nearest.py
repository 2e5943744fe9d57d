"""The nearest record to many points at once: reverse geocoding a table's coordinates in one spatial query.

Same answer as :meth:`Gazetteer.nearest` for each point (the record of the given kinds inside the box of
``within_deg`` degrees around the point that is nearest by the local equirectangular distance
``dlat² + (cos(lat)·dlon)²``; ties go to the first layer and the lowest rowid; an override only when strictly
nearer), but over a shapely STRtree of the records' points built once per gazetteer: a Euclidean nearest
in degrees, then the exact distance over the few records that can still be nearer.
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
        """Index of the nearest point of each query point (-1: none inside its box)."""
        n = len(lat)
        out = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self.lat) == 0:
            return out
        pts = shapely.points(lon, lat)
        reach = within_deg * math.sqrt(2)  # the box's corners
        q, k = self.tree.query_nearest(pts, max_distance=reach, all_matches=False)
        coslat = np.cos(np.radians(lat))
        radius = np.full(n, reach)
        inside = (np.abs(self.lat[k] - lat[q]) <= within_deg) & (np.abs(self.lon[k] - lon[q]) <= within_deg)
        qi = q[inside]
        d_first = np.hypot(self.lat[k[inside]] - lat[qi], (self.lon[k[inside]] - lon[qi]) * coslat[qi])
        # a point nearer by the local distance is at most d / cos(lat) away in plain degrees
        radius[qi] = np.minimum(reach, d_first / np.maximum(coslat[qi], 1e-9) * (1 + 1e-9) + 1e-12)
        q, k = self.tree.query(pts, predicate="dwithin", distance=radius)
        keep = (np.abs(self.lat[k] - lat[q]) <= within_deg) & (np.abs(self.lon[k] - lon[q]) <= within_deg)
        q, k = q[keep], k[keep]
        if not len(q):
            return out
        d = (self.lat[k] - lat[q]) ** 2 + ((self.lon[k] - lon[q]) * coslat[q]) ** 2
        # an override wins only when strictly nearer: rank it after every record at the same distance
        late = k >= self.first_override
        order = np.lexsort((k, late, d, q))
        q, k = q[order], k[order]
        first = np.ones(len(q), dtype=bool)
        first[1:] = q[1:] != q[:-1]
        out[q[first]] = k[first]
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
    pairs = np.stack([la, lo], axis=1) if len(la) else np.empty((0, 2))
    uniq, back = np.unique(pairs, axis=0, return_inverse=True)
    hits = index.nearest(uniq[:, 0], uniq[:, 1], within_deg)
    found = {int(k): index.place(int(k)) for k in np.unique(hits[hits >= 0])}
    per_unique = [found.get(int(k)) for k in hits]
    return [per_unique[int(b)] for b in back.ravel()]
