"""Geometry over events that every layer above may use: the one great-circle distance, and the bundled
admin-1 (province) polygons."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
from geopy.distance import great_circle

ADMIN1_POLYGONS = Path(__file__).parent / "data" / "admin1.geojson.gz"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (geopy's, on the mean Earth radius)."""
    return great_circle((lat1, lon1), (lat2, lon2)).km


@lru_cache(maxsize=1)
def admin1_polygons() -> gpd.GeoDataFrame:
    """Simplified admin-1 polygons keyed by GeoNames admin-1 code ("AF.10")."""
    with gzip.open(ADMIN1_POLYGONS, "rt", encoding="utf-8") as fh:
        fc = json.load(fh)
    return gpd.GeoDataFrame.from_features(fc["features"], crs=4326)
