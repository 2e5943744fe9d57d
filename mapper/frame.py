"""Events (records) to a GeoDataFrame in EPSG:4326 with the schema's columns and types."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .schema import FIELDS, Event, storable


def is_dask(obj) -> bool:
    """True for dask (geo)dataframes and bags (tested by module name: dask need not be imported)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas", "dask_expr")


def to_geodataframe(records: list[Event] | list[dict] | pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per event (records, or a frame of their columns); points built in one vectorised call; stable
    order (date, event_id)."""
    if isinstance(records, pd.DataFrame):
        df = records.reindex(columns=[*FIELDS, "lat", "lon"])
    else:
        try:
            df = pd.DataFrame.from_records(records, columns=[*FIELDS, "lat", "lon"])
        except UnicodeEncodeError:  # a lone surrogate (from a JSON "\ud800" escape) cannot be stored anywhere
            clean = [{k: storable(v) if isinstance(v, str) else v for k, v in r.items()} for r in records]
            df = pd.DataFrame.from_records(clean, columns=[*FIELDS, "lat", "lon"])
    for name, dtype in FIELDS.items():
        df[name] = df[name].astype(dtype)
    lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float)
    geometry = shapely.points(lon, lat)
    geometry[np.isnan(lon) | np.isnan(lat)] = None  # a table row whose place was not found: no point yet
    gdf = gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]), geometry=geometry, crs="EPSG:4326")
    if len(gdf):
        gdf = gdf.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    return gdf
