"""GIS files out, all with the event schema's fields, written atomically.

| format | suffix | how | types |
|---|---|---|---|
| GeoJSON | .geojson, .json | GDAL, RFC 7946 (lon/lat, no crs member, 7 decimals) | dates as YYYY-MM-DD strings |
| GeoPackage | .gpkg | GDAL through Arrow | dates as Date, counts as Integer64, nulls as NULL |
| CSV | .csv | pandas; lon, lat and WKT columns | text; cells that a spreadsheet would run as a formula are prefixed with ' |
| GeoParquet | .parquet, .geoparquet | geopandas (GeoParquet metadata) | dates as date32, counts as int64 |
| KML | .kml | GDAL; one folder per category, named placemarks | text, HTML-escaped (Google Earth renders HTML) |
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .atomic import atomic_path
from .errors import ExportError
from .schema import CATEGORIES, FIELDS

SUFFIX_FORMAT = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".kml": "kml",
}
FORMATS = ("geojson", "gpkg", "csv", "parquet", "kml")
DATE_FIELDS = ("event_date", "report_date")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _schema_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = [c for c in FIELDS if c in gdf.columns]
    out = gdf[cols + ["geometry"]]
    return out.to_crs(4326) if out.crs else out.set_crs(4326)


def _with_dates(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for c in DATE_FIELDS:
        if c in out:
            out[c] = [dt.date.fromisoformat(v) if isinstance(v, str) and v else None for v in out[c]]
    return out


def format_for(path: str | Path, fmt: str | None = None) -> str:
    path = Path(path)
    if fmt:
        f = fmt.lower().replace("geopackage", "gpkg").replace("geoparquet", "parquet")
        if f not in FORMATS:
            raise ExportError(f"--format: unknown format {fmt!r} (use {', '.join(FORMATS)})")
        return f
    found = SUFFIX_FORMAT.get(path.suffix.lower())
    if found is None:
        raise ExportError(
            f"{path}: unknown output format {path.suffix!r} (use .geojson, .gpkg, .csv, .parquet or .kml, or --format)"
        )
    return found


def to_file(gdf: gpd.GeoDataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write events to a GIS file atomically; the format follows the suffix unless ``fmt`` is given.

    A dask-geopandas frame is written as partitioned GeoParquet (a folder, by the workers) for ``.parquet``,
    and computed into this process for the single-file formats."""
    path = Path(path)
    fmt = format_for(path, fmt)
    from .scale import is_dask

    if is_dask(gdf):
        if fmt == "parquet":
            from .scale import write_parquet

            return write_parquet(gdf, path)
        gdf = gdf.compute()
    out = _schema_frame(gdf)
    with atomic_path(path) as tmp:
        try:
            WRITERS[fmt](out, tmp)
        except ExportError:
            raise
        except Exception as e:  # GDAL and Arrow report through many exception types
            raise ExportError(f"{path}: {e}") from None
    return path


def _geojson(out: gpd.GeoDataFrame, tmp: Path) -> None:
    options = {"RFC7946": "YES", "COORDINATE_PRECISION": 7, "WRITE_NAME": "NO"}
    pyogrio.write_dataframe(out, tmp, driver="GeoJSON", layer="events", layer_options=options)


def _gpkg(out: gpd.GeoDataFrame, tmp: Path) -> None:
    pyogrio.write_dataframe(_with_dates(out), tmp, driver="GPKG", layer="events", use_arrow=True)


def _parquet(out: gpd.GeoDataFrame, tmp: Path) -> None:
    _with_dates(out).to_parquet(tmp, index=False, compression="zstd")


def _csv(out: gpd.GeoDataFrame, tmp: Path) -> None:
    df = pd.DataFrame(out.drop(columns="geometry"))
    geom = out.geometry
    has = geom.notna() & ~geom.is_empty
    df["lon"] = geom.x.where(has).round(7)
    df["lat"] = geom.y.where(has).round(7)
    df["wkt"] = geom.to_wkt(rounding_precision=7).where(has, "")
    for c in df.columns:
        if df[c].dtype == "string" or df[c].dtype == object:
            df[c] = df[c].map(inert_cell, na_action="ignore")
    df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


def inert_cell(v):
    """A text cell that a spreadsheet would evaluate ("=HYPERLINK(...)") is kept as text."""
    if isinstance(v, str) and v.startswith(_FORMULA_START) and not _is_number(v):
        return "'" + v
    return v


def _is_number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _kml(out: gpd.GeoDataFrame, tmp: Path) -> None:
    # Google Earth renders HTML in placemark balloons: every text is HTML-escaped so it shows as text
    named = out.copy()
    for c in named.columns:
        if c != "geometry" and (named[c].dtype == "string" or named[c].dtype == object):
            named[c] = named[c].map(html.escape, na_action="ignore")
    named.insert(0, "Name", [_title(r) for r in named.itertuples()])
    present = [c for c in CATEGORIES if (named["category"] == c).any()] or ["events"]
    for i, cat in enumerate(present):
        part = named[named["category"] == cat] if cat != "events" else named
        pyogrio.write_dataframe(
            part,
            tmp,
            driver="KML",
            layer=cat,
            append=i > 0,
            dataset_options={"NameField": "Name", "DescriptionField": "source_text"} if i == 0 else None,
        )


def _title(r) -> str:
    bits = [str(r.category), str(r.event_date), str(r.location) if pd.notna(r.location) else ""]
    return " · ".join(b for b in bits if b)


WRITERS = {"geojson": _geojson, "gpkg": _gpkg, "csv": _csv, "parquet": _parquet, "kml": _kml}
