"""Partitioned GeoParquet of events, Hilbert-sorted so that each file covers a compact area, and its reader.

:func:`write_parquet` takes a lazy dask-geopandas frame: the workers write their partitions to a staging
folder as they come (the pipeline runs once), then the staged files are put in Hilbert order on disk in
bounded memory — a histogram of Hilbert distances gives ranges of about ``rows_per_file`` rows, each staged
file is cut into those ranges, each range is sorted into one file whose GeoParquet ``bbox`` is its own
extent. Rows without a point (place not found) go to ``unlocated.parquet``. Dates are stored as Arrow
``date32`` and read back as ``YYYY-MM-DD`` strings (:mod:`mapper.schema`).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from .atomic import atomic_dir
from .schema import FIELDS, arrow_dates, text_dates

ROWS_PER_FILE = 500_000  # rows per GeoParquet file (~25 MB): a worker sorts one file in memory
HILBERT_LEVEL = 16  # 2**16 cells a side: ~600 m at the equator, finer than any file's extent
HISTOGRAM_SHIFT = 12  # distances (0 .. 4**16) binned by 4**6 cells for the range histogram


def write_parquet(events, folder: str | Path, progress: bool = False, rows_per_file: int = ROWS_PER_FILE) -> Path:
    """Partitioned GeoParquet of a dask GeoDataFrame, Hilbert-sorted, moved into place only when complete
    (see the module's docstring). ``dask_geopandas``' ``spatial_shuffle`` does the same through a general
    dask shuffle, six times slower at 1 M rows."""
    import dask  # lazy: dask is only needed (and only worth its import time) on the dask engine

    cols = [c for c in (*FIELDS, "admin1_code") if c in events._meta.columns] + ["geometry"]
    typed = events.map_partitions(lambda df: arrow_dates(df[cols]), meta=arrow_dates(events._meta[cols]))
    with atomic_dir(folder) as tmp:
        stage = tmp / ".stage"  # inside the temporary folder: removed with it, whatever happens
        job = typed.to_parquet(str(stage / "events"), write_index=False, compression="zstd", compute=False)
        _compute([job], progress)
        staged = sorted((stage / "events").glob("*.parquet"))
        counts = _compute([dask.delayed(_hilbert_histogram)(f) for f in staged], progress)
        edges = _range_edges(np.sum(counts, axis=0), rows_per_file)
        _compute([dask.delayed(_split_by_range)(f, edges, stage, i) for i, f in enumerate(staged)], progress)
        ranges = sorted((stage / "ranges").glob("r*"), key=lambda d: int(d.name[1:]))
        _compute([dask.delayed(_sorted_range)(d, tmp / f"part.{k}.parquet") for k, d in enumerate(ranges)], progress)
        if staged and not ranges:  # nothing located: keep the schema in an empty file
            pq.write_table(pq.read_schema(staged[0]).empty_table(), tmp / "part.0.parquet")
        _concat_files(sorted((stage / "unlocated").glob("*.parquet")), tmp / "unlocated.parquet")
        shutil.rmtree(stage)
    return Path(folder)


def _compute(jobs: list, progress: bool) -> list:
    """Runs dask jobs on the current scheduler; a progress bar on the distributed client when asked."""
    import dask

    if not progress:
        return list(dask.compute(*jobs))
    from distributed import default_client
    from distributed import progress as bar

    client = default_client()
    futures = client.compute(jobs)
    bar(futures)
    return client.gather(futures)


def _hilbert(geoms: np.ndarray) -> np.ndarray:
    return gpd.GeoSeries(geoms).hilbert_distance(total_bounds=(-180, -90, 180, 90), level=HILBERT_LEVEL).to_numpy()


def _points(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """The geometries of a GeoParquet table and the mask of rows that have a point."""
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    return geoms, ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def _hilbert_histogram(path: Path) -> np.ndarray:
    geoms, located = _points(pq.read_table(path, columns=["geometry"]))
    bins = _hilbert(geoms[located]) >> HISTOGRAM_SHIFT
    return np.bincount(bins, minlength=4**HILBERT_LEVEL >> HISTOGRAM_SHIFT)


def _range_edges(counts: np.ndarray, rows_per_file: int) -> np.ndarray:
    """Histogram bins after which a new file starts, so files hold about ``rows_per_file`` rows each."""
    total = int(counts.sum())
    files = max(1, math.ceil(total / rows_per_file))
    targets = np.arange(1, files) * total / files
    return np.unique(np.searchsorted(np.cumsum(counts), targets))


def _split_by_range(path: Path, edges: np.ndarray, stage: Path, i: int) -> None:
    """One staged file cut into the Hilbert ranges (``stage/ranges/r{k}/{i}.parquet``) and its unlocated
    rows (``stage/unlocated/{i}.parquet``)."""
    table = pq.read_table(path)
    geoms, located = _points(table)
    if (~located).any():
        (stage / "unlocated").mkdir(parents=True, exist_ok=True)
        pq.write_table(table.filter(pa.array(~located)), stage / "unlocated" / f"{i}.parquet")
    out = stage / "ranges"
    rows = np.flatnonzero(located)
    dist = _hilbert(geoms[rows])
    order = np.argsort(dist, kind="stable")
    rows, dist = rows[order], dist[order]
    cuts = np.searchsorted(dist >> HISTOGRAM_SHIFT, edges, side="right")
    for k, part in enumerate(np.split(rows, cuts)):
        if len(part):
            (out / f"r{k}").mkdir(parents=True, exist_ok=True)
            pq.write_table(table.take(pa.array(part)), out / f"r{k}" / f"{i}.parquet")


def _sorted_range(folder: Path, path: Path) -> None:
    """The pieces of one Hilbert range as one sorted file, its GeoParquet bbox set to its own extent."""
    table = pa.concat_tables(pq.read_table(p) for p in sorted(folder.glob("*.parquet")))
    geoms, _ = _points(table)
    order = np.argsort(_hilbert(geoms), kind="stable")
    table = table.take(pa.array(order))
    pq.write_table(_with_bbox(table, shapely.total_bounds(geoms)), path, compression="zstd")


def _with_bbox(table: pa.Table, bounds) -> pa.Table:
    meta = dict(table.schema.metadata or {})
    if b"geo" in meta:
        geo = json.loads(meta[b"geo"])
        geo["columns"]["geometry"]["bbox"] = [float(v) for v in bounds]
        meta[b"geo"] = json.dumps(geo).encode()
    return table.replace_schema_metadata(meta)


def _concat_files(paths: list[Path], out: Path) -> None:
    """Parquet files of one schema streamed into one file (one file in memory at a time)."""
    if not paths:
        return
    schema = pq.read_schema(paths[0])
    meta = dict(schema.metadata or {})
    if b"geo" in meta:  # no points, no bbox
        geo = json.loads(meta[b"geo"])
        geo["columns"]["geometry"].pop("bbox", None)
        meta[b"geo"] = json.dumps(geo).encode()
    schema = schema.with_metadata(meta)
    with pq.ParquetWriter(out, schema, compression="zstd") as w:
        for p in paths:
            w.write_table(pq.read_table(p).replace_schema_metadata(meta))


def read_parquet(folder: str | Path):
    """A (partitioned) GeoParquet of events as a lazy dask-geopandas GeoDataFrame with the schema's types
    (dates as ``YYYY-MM-DD`` strings, as the pandas path has them)."""
    import dask_geopandas  # lazy: the dask engine only

    ddf = dask_geopandas.read_parquet(str(folder))
    return ddf.map_partitions(text_dates, meta=text_dates(ddf._meta))


def flagged(folder: str | Path) -> gpd.GeoDataFrame:
    """The events of a (partitioned) GeoParquet whose ``review`` is set, computed: the review list of a
    big input is small."""
    events = read_parquet(folder)
    return events.map_partitions(lambda df: df[df["review"].notna()], meta=events._meta).compute()


def count_rows(folder: str | Path) -> int:
    """Rows of a (partitioned) Parquet dataset, from the file footers."""
    import pyarrow.dataset as ds

    return ds.dataset(str(folder)).count_rows()
