"""Events (records) to a GeoDataFrame in EPSG:4326 with the schema's columns and types."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .schema import FIELDS


def to_geodataframe(records: list[dict] | pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per event (records, or a frame of their columns); points built in one vectorised call; stable
    order (date, event_id)."""
    if isinstance(records, pd.DataFrame):
        df = records.reindex(columns=[*FIELDS, "lat", "lon"])
    else:
        df = pd.DataFrame.from_records(records, columns=[*FIELDS, "lat", "lon"])
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
