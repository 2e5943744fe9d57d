"""Geometry over events that every layer above may use: the one great-circle distance, the bundled
admin-1 (province) polygons and the join to them, hexagonal cells, the per-province and per-hexagon
aggregates a map of millions of events draws, and the sample of points it carries.

The functions that take events accept a pandas GeoDataFrame or a lazy dask-geopandas one (then they run
partition by partition and return small computed frames, except :func:`join_admin1`, which stays lazy).
"""

from __future__ import annotations

import gzip
import json
import math
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gazetteer.distance import distance_km as distance_km  # the one distance, re-exported

from .frame import is_dask

ADMIN1_POLYGONS = Path(__file__).parent / "data" / "admin1.geojson.gz"
MAP_SAMPLE = 20_000  # points drawn on the map of a dask input (the aggregates cover every event)
HEX_DEGREES = 0.5  # hexagon size (centre to corner) of the aggregate grid, in degrees


@lru_cache(maxsize=1)
def admin1_polygons() -> gpd.GeoDataFrame:
    """Simplified admin-1 polygons keyed by GeoNames admin-1 code ("AF.10")."""
    with gzip.open(ADMIN1_POLYGONS, "rt", encoding="utf-8") as fh:
        fc = json.load(fh)
    return gpd.GeoDataFrame.from_features(fc["features"], crs=4326)


# -- admin-1 join ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _admin1() -> gpd.GeoDataFrame:
    return admin1_polygons()[["key", "geometry"]].rename(columns={"key": "admin1_code"})


def join_admin1(events):
    """Events with an ``admin1_code`` column ("AF.10") from the admin-1 polygon they fall in (null outside
    every polygon or without a point). A dask GeoDataFrame gives a dask GeoDataFrame."""
    if is_dask(events):
        # dask_geopandas.sjoin does inner joins only; with a small, unpartitioned right side it runs
        # geopandas.sjoin on every partition — which is what this does, keeping events outside all polygons
        # (the polygons are loaded on each worker, not shipped with every task)
        return events.map_partitions(_left_join, meta=_join_meta(events._meta))
    return _left_join(events, _admin1())


def _left_join(events: gpd.GeoDataFrame, polys: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    polys = _admin1() if polys is None else polys
    df = gpd.sjoin(events, polys, how="left", predicate="within")
    df = df.drop(columns=[c for c in ("index_right",) if c in df.columns])
    # a point on a shared border falls in two polygons: keep the first, one row per event
    df = df[~df.index.duplicated(keep="first")] if df.index.has_duplicates else df
    df["admin1_code"] = df["admin1_code"].astype("string")
    return df


def _join_meta(meta: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    m = meta.copy()
    m["admin1_code"] = pd.Series([], dtype="string")
    return m


# -- hexagons --------------------------------------------------------------------------------------
def hex_cells(lon: np.ndarray, lat: np.ndarray, size: float = HEX_DEGREES) -> np.ndarray:
    """Ids of pointy-top hexagons of ``size`` degrees (centre to corner) on the lon/lat plane, vectorised;
    int64 packing of the axial coordinates (q, r). NaN coordinates give -1."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    q = (math.sqrt(3) / 3 * lon - lat / 3) / size
    r = (2 / 3 * lat) / size
    # cube rounding
    x, z = q, r
    y = -x - z
    rx, ry, rz = np.round(x), np.round(y), np.round(z)
    dx, dy, dz = np.abs(rx - x), np.abs(ry - y), np.abs(rz - z)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    bad = np.isnan(lon) | np.isnan(lat)
    ids = (np.nan_to_num(rx).astype(np.int64) + 100_000) * 1_000_000 + (np.nan_to_num(rz).astype(np.int64) + 100_000)
    return np.where(bad, -1, ids)


def hex_polygons(ids: np.ndarray, size: float = HEX_DEGREES) -> np.ndarray:
    """Hexagon polygons of cell ids from :func:`hex_cells`."""
    ids = np.asarray(ids, dtype=np.int64)
    q = ids // 1_000_000 - 100_000
    r = ids % 1_000_000 - 100_000
    cx = size * (math.sqrt(3) * q + math.sqrt(3) / 2 * r)
    cy = size * (1.5 * r)
    angles = np.radians(np.arange(6) * 60 + 30)
    xs = cx[:, None] + size * np.cos(angles)[None, :]
    ys = cy[:, None] + size * np.sin(angles)[None, :]
    rings = np.stack([xs, ys], axis=-1)
    return shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))


# -- aggregates and sample -------------------------------------------------------------------------
def _partial_aggregates(df: pd.DataFrame, size: float) -> pd.DataFrame:
    geom = df.geometry
    ok = geom.notna().to_numpy() & ~geom.is_empty.to_numpy()
    x = np.full(len(df), np.nan)
    y = np.full(len(df), np.nan)
    x[ok], y[ok] = shapely.get_x(geom[ok].values), shapely.get_y(geom[ok].values)
    return pd.DataFrame(
        {
            "admin1_code": df["admin1_code"].astype("string").fillna("").to_numpy(),
            "hex": hex_cells(x, y, size),
            "events": np.ones(len(df), dtype=np.int64),
            "fatalities": pd.to_numeric(df["fatalities"], errors="coerce").fillna(0).astype("int64").to_numpy(),
            "displaced": pd.to_numeric(df["displaced_people"], errors="coerce").fillna(0).astype("int64").to_numpy(),
        }
    )


def aggregates(joined, size: float = HEX_DEGREES) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(per admin-1 unit, per hexagonal cell) counts of events, fatalities and people displaced, computed
    (small) frames with polygons; ``joined`` comes from :func:`join_admin1` (pandas or dask)."""
    meta = pd.DataFrame(
        {
            "admin1_code": pd.Series([], dtype=object),
            "hex": pd.Series([], dtype="int64"),
            "events": pd.Series([], dtype="int64"),
            "fatalities": pd.Series([], dtype="int64"),
            "displaced": pd.Series([], dtype="int64"),
        }
    )
    cols = ["events", "fatalities", "displaced"]
    if is_dask(joined):
        part = joined.map_partitions(_partial_aggregates, size, meta=meta)
        by_admin = part.groupby("admin1_code")[cols].sum().compute()
        by_hex = part.groupby("hex")[cols].sum().compute()
    else:
        part = _partial_aggregates(joined, size)
        by_admin = part.groupby("admin1_code")[cols].sum()
        by_hex = part.groupby("hex")[cols].sum()
    polys = admin1_polygons()
    by_admin = by_admin[by_admin.index != ""]
    # every province of the countries with events (zeros too), as the pandas map draws them
    countries = set(polys.loc[polys["key"].isin(by_admin.index), "iso_a2"])
    admin = polys[polys["iso_a2"].isin(countries)].merge(by_admin, left_on="key", right_index=True, how="left")
    for c in cols:
        admin[c] = admin[c].fillna(0).astype("int64")
    by_hex = by_hex[by_hex.index >= 0].sort_index()
    hexes = gpd.GeoDataFrame(
        by_hex.reset_index(), geometry=hex_polygons(by_hex.index.to_numpy(), size), crs="EPSG:4326"
    )
    return admin.reset_index(drop=True), hexes


def count(events) -> int:
    """Rows of a pandas or dask frame (one pass over a dask frame)."""
    return int(events.map_partitions(len).sum().compute()) if is_dask(events) else len(events)


def sample(events, n: int = MAP_SAMPLE, seed: int = 0, total: int | None = None) -> gpd.GeoDataFrame:
    """About ``n`` events drawn evenly from a (dask) GeoDataFrame, computed — the points a map can carry.
    ``total``: the row count if known (saves a pass over a dask frame)."""
    if not is_dask(events):
        return events if len(events) <= n else events.sample(n, random_state=seed).sort_index()
    if total is None:
        total = count(events)
    frac = min(1.0, n / total) if total else 1.0
    return events.sample(frac=frac, random_state=seed).compute()


def map_inputs(events, n: int = MAP_SAMPLE, total: int | None = None):
    """What a map of a dask frame of events draws: ``(points, per_admin1, per_hexagon, total)`` — a computed
    sample of about ``n`` events, the aggregates of every event, and the number of events. Pass a frame
    read back with :func:`mapper.geoparquet.read_parquet`: a lazy pipeline would run once for each of these."""
    if "admin1_code" not in events.columns:
        events = join_admin1(events)
    admin, hexes = aggregates(events)
    if total is None:
        total = count(events)
    return sample(events, n, total=total), admin, hexes, total
