"""GIS files out, all with the event schema's fields, written atomically.

| format | suffix | how | types |
|---|---|---|---|
| GeoJSON | .geojson, .json | GDAL, RFC 7946 (lon/lat, no crs member, 7 decimals) | dates as YYYY-MM-DD strings |
| GeoPackage | .gpkg | GDAL through Arrow | dates as Date, counts as Integer64, nulls as NULL |
| CSV | .csv | pandas; lon, lat and WKT columns | text; cells that a spreadsheet would run as a formula are prefixed with ' |
| GeoParquet | .parquet, .geoparquet | geopandas (GeoParquet metadata) | dates as date32, counts as int64 |
| KML | .kml | GDAL; one folder per category, named placemarks | text, HTML-escaped (Google Earth renders HTML) |

Text stays text in every format (GDAL's GeoJSON writer would otherwise write a cell such as ``[1, NaN]``
as raw JSON); characters a format cannot hold (NUL, most C0 controls, U+FFFE/U+FFFF, lone surrogates) are
replaced with U+FFFD in every format alike (:func:`mapper.schema.storable_text`), with one note.
"""

from __future__ import annotations

import errno
import html
import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .atomic import atomic_path, cannot_write
from .errors import ExportError
from .frame import is_dask
from .geoparquet import write_parquet
from .schema import CATEGORIES, FIELDS, arrow_dates, storable_text

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _schema_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = [c for c in FIELDS if c in gdf.columns]
    out = gdf[cols + ["geometry"]]
    return out.to_crs(4326) if out.crs else out.set_crs(4326)


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


def to_file(
    gdf: gpd.GeoDataFrame,
    path: str | Path,
    fmt: str | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Path:
    """Write events to a GIS file atomically; the format follows the suffix unless ``fmt`` is given.

    A dask-geopandas frame is written as partitioned GeoParquet (a folder, by the workers) for ``.parquet``,
    and computed into this process for the single-file formats. ``on_note`` gets one line when text had to
    be changed to be storable."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if is_dask(gdf):
        if fmt == "parquet":
            return write_parquet(gdf, path)
        gdf = gdf.compute()
    out, changed = storable_text(_schema_frame(gdf))
    if changed and on_note is not None:
        on_note(unstorable_note(changed))
    with atomic_path(path) as tmp:
        try:
            WRITERS[fmt](out, tmp)
        except ExportError:
            raise
        except OSError as e:
            raise cannot_write(path, e) from None
        except Exception as e:  # GDAL and Arrow report through many exception types
            if "No space left on device" in str(e) or _disk_full(tmp.parent, after_error=True):
                raise cannot_write(path, OSError(errno.ENOSPC, "No space left on device")) from None
            raise ExportError(f"{path}: {e}") from None
        if _disk_full(tmp.parent):  # GDAL's KML writer truncates silently when the disk fills up
            raise cannot_write(path, OSError(errno.ENOSPC, "No space left on device"))
    return path


LOW_SPACE = 1 << 20  # after a failed GDAL write, less free space than this means the disk filled up


def _disk_full(folder: Path, after_error: bool = False) -> bool:
    """True when the file system of ``folder`` has no free block (GDAL reports a full disk as a failed
    feature, a failed rollback, or not at all): after an error, when less than :data:`LOW_SPACE` is free."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    if after_error:
        return st.f_bavail * st.f_frsize < LOW_SPACE
    return st.f_bfree == 0


def unstorable_note(changed: int) -> str:
    return (
        f"{changed} text value(s) held characters some output formats cannot store (NUL, control characters, "
        "U+FFFF, lone surrogates); they were replaced with U+FFFD in every output"
    )


def _geojson(out: gpd.GeoDataFrame, tmp: Path) -> None:
    # AUTODETECT_JSON_STRINGS=NO: a text cell such as "[1, NaN]" stays a string (GDAL would write raw JSON)
    options = {"RFC7946": "YES", "COORDINATE_PRECISION": 7, "WRITE_NAME": "NO", "AUTODETECT_JSON_STRINGS": "NO"}
    pyogrio.write_dataframe(out, tmp, driver="GeoJSON", layer="events", layer_options=options)


def _gpkg(out: gpd.GeoDataFrame, tmp: Path) -> None:
    pyogrio.write_dataframe(arrow_dates(out), tmp, driver="GPKG", layer="events", use_arrow=True)


def _parquet(out: gpd.GeoDataFrame, tmp: Path) -> None:
    arrow_dates(out).to_parquet(tmp, index=False, compression="zstd")


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
