"""Events (records) to a GeoDataFrame in EPSG:4326 with the schema's columns and types."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from .schema import FIELDS


def to_geodataframe(records: list[dict]) -> gpd.GeoDataFrame:
    """One row per event; points built in one vectorised call; stable order (date, event_id)."""
    df = pd.DataFrame.from_records(records, columns=[*FIELDS, "lat", "lon"])
    for name, dtype in FIELDS.items():
        df[name] = df[name].astype(dtype)
    geometry = shapely.points(df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float))
    gdf = gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]), geometry=geometry, crs="EPSG:4326")
    if len(gdf):
        gdf = gdf.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
    return gdf
