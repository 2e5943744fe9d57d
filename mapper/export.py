"""GIS files out. GeoJSON follows RFC 7946 (lon/lat, no crs member, 7 decimals), written through GDAL."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from .atomic import atomic_path
from .errors import ExportError
from .schema import FIELDS

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON"}


def to_file(gdf: gpd.GeoDataFrame, path: str | Path, driver: str | None = None) -> Path:
    """Write events to a GIS file atomically; the format follows the suffix unless ``driver`` is given."""
    path = Path(path)
    driver = driver or FORMATS.get(path.suffix.lower())
    if driver is None:
        raise ExportError(f"{path}: unknown output format {path.suffix!r} (use .geojson)")
    cols = [c for c in FIELDS if c in gdf.columns]
    out = gdf[cols + ["geometry"]].to_crs(4326) if gdf.crs else gdf[cols + ["geometry"]].set_crs(4326)
    options = {}
    if driver == "GeoJSON":
        options = {"RFC7946": "YES", "COORDINATE_PRECISION": 7, "WRITE_NAME": "NO"}
    with atomic_path(path) as tmp:
        try:
            pyogrio.write_dataframe(out, tmp, driver=driver, layer="events", layer_options=options)
        except Exception as e:  # GDAL reports through several exception types
            raise ExportError(f"{path}: {e}") from None
    return path
