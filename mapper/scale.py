"""The dask engine: the same reading, geocoding and extraction as the pandas path, run partition by partition
on dask workers (one machine or a cluster), for inputs that outgrow memory.

* Tables (CSV/TSV) are read lazily in blocks with ``dask.dataframe.read_csv``; each block becomes events
  through :func:`mapper.tables.table_events` on a worker, whose gazetteer is opened once per process.
  Row numbers stay the file's (block offsets are counted first), so event ids, sources and errors match
  the pandas path exactly.
* Report folders become a ``dask.bag`` of files; each partition runs :func:`mapper.extract.extract`.
* :func:`join_admin1` joins events to admin-1 polygons (``dask_geopandas.sjoin`` for a dask frame,
  ``geopandas.sjoin`` otherwise); :func:`aggregates` counts events, fatalities and people displaced per
  admin-1 unit and per hexagonal cell — what a map of millions of events can draw.
* :func:`write_parquet` writes partitioned GeoParquet, Hilbert-sorted so that each file covers a compact
  area (a range sort on disk, in bounded memory).

Not done on the dask engine: merging duplicates across sources (it compares every pair of nearby events
of different files, a global operation); run ``mapper export --engine pandas`` on the result of a filter
when that matters.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from .errors import InputError
from .frame import to_geodataframe
from .geo import admin1_polygons

# above this many bytes of input, ``--engine auto`` uses dask: the pandas path holds every row as a Python
# record while it geocodes (3.5 GB at peak for 1 M ACLED-like rows, 86 MB of CSV, measured by
# benchmarks/scale.py), so 200 MB (~2.3 M rows) is where one process needs 8 GB; dask is also the faster
# engine there (x0.78 of pandas' time at 1 M rows on two cores). Below, pandas keeps cross-source dedup.
AUTO_DASK_BYTES = 200_000_000
BLOCKSIZE = "8MB"  # ~90k ACLED-like rows: bounds the Python records a worker holds at once (~0.5 GB)
ROWS_PER_FILE = 500_000  # rows per GeoParquet file (~25 MB): a worker sorts one file in memory
SCHEDULER_TIMEOUT = "20s"  # to connect to --scheduler before giving up with a clear error
MAP_SAMPLE = 20_000  # points drawn on the map of a dask input (the aggregates cover every event)
HEX_DEGREES = 0.5  # hexagon size (centre to corner) of the aggregate grid, in degrees


def is_dask(obj) -> bool:
    """True for dask (geo)dataframes and bags."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas", "dask_expr")


def choose_engine(engine: str, inputs: Iterable[str | Path]) -> str:
    """'pandas' or 'dask'; ``auto`` picks dask for inputs over :data:`AUTO_DASK_BYTES`."""
    if engine != "auto":
        return engine
    total = 0
    for p in map(Path, inputs):
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.exists():
            total += p.stat().st_size
    return "dask" if total > AUTO_DASK_BYTES else "pandas"


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, progress: bool = False):
    """A dask.distributed client: connected to ``scheduler`` (an address such as tcp://10.0.0.5:8786)
    or to a new local cluster with one single-threaded worker process per core (the extractor and the
    gazetteer are pure Python, so processes, not threads, give parallelism)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            raise InputError(
                f"cannot reach the dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT}: {e}. "
                "Is `dask scheduler` running there, and is the port open?"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@lru_cache(maxsize=4)
def _cached_geoparser(overrides: str | None):
    from .pipeline import geoparser_for

    return geoparser_for(overrides)  # the index opened once per worker process


def _meta() -> gpd.GeoDataFrame:
    return to_geodataframe([])


# -- tables -------------------------------------------------------------------------------------
def _table_partition(
    df: pd.DataFrame, offsets, source, cmap, date, household_table, overrides, partition_info=None
) -> gpd.GeoDataFrame:
    from .tables import table_events

    first = int(offsets[partition_info["number"]]) if partition_info else 0
    gz = _cached_geoparser(overrides).gz
    events = table_events(df.reset_index(drop=True), source, gz, cmap, None, date, household_table, first_row=first)
    return to_geodataframe(events)


def read_table_dask(
    path: str | Path,
    place_col: str | None = None,
    country_col: str | None = None,
    date_col: str | None = None,
    category_col: str | None = None,
    date: dt.date | None = None,
    household_table: dict[str, float] | None = None,
    overrides: str | Path | None = None,
    blocksize: str | int = BLOCKSIZE,
):
    """A CSV/TSV event table as a lazy dask-geopandas GeoDataFrame of events (same rows as
    :func:`mapper.pipeline.read_table`)."""
    import dask.dataframe as dd

    from .tables import read_table_head, recognise_columns

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise InputError(f"{path}: the dask engine reads CSV/TSV tables; convert it or use --engine pandas")
    head, sep = read_table_head(path)
    cmap = recognise_columns(list(head.columns), None, place_col, country_col, date_col, category_col)
    ddf = dd.read_csv(str(path), sep=sep, dtype=str, keep_default_na=False, blocksize=blocksize, on_bad_lines="error")
    ddf.columns = [str(c).strip() for c in ddf.columns]
    # row offsets of the blocks, so that row numbers are the file's: one cheap pass over the file
    lengths = ddf.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(list(lengths))[:-1]]).tolist()
    import dask_geopandas  # noqa: F401  (GeoDataFrame partitions make a dask-geopandas frame)

    return ddf.map_partitions(
        _table_partition,
        offsets,
        str(path),
        cmap,
        date,
        household_table,
        None if overrides is None else str(overrides),
        meta=_meta(),
        align_dataframes=False,
    ).pipe(_as_dask_geo)


# -- reports ------------------------------------------------------------------------------------
def _report_partition(paths: list[str], date, household_table, time_budget, overrides) -> gpd.GeoDataFrame:
    from .extract import extract
    from .reports import read_report

    gp = _cached_geoparser(overrides)
    records: list[dict] = []
    for p in paths:
        records.extend(extract(read_report(p, date), gp, household_table, time_budget=time_budget))
    return to_geodataframe(records)


def read_reports_dask(
    paths: list[Path],
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = None,
    overrides: str | Path | None = None,
    files_per_partition: int = 500,
):
    """Report files as a lazy dask-geopandas GeoDataFrame of events, ``files_per_partition`` per task."""
    import dask
    import dask.dataframe as dd

    chunks = [[str(p) for p in paths[i : i + files_per_partition]] for i in range(0, len(paths), files_per_partition)]
    ov = None if overrides is None else str(overrides)
    parts = [dask.delayed(_report_partition)(c, date, household_table, time_budget, ov) for c in chunks]
    return _as_dask_geo(dd.from_delayed(parts, meta=_meta(), verify_meta=False))


def events_dask(
    report_files: list[Path],
    table_files: list[Path],
    date=None,
    household_table=None,
    time_budget=None,
    overrides=None,
    columns=None,
):
    """Reports and tables as one lazy dask-geopandas GeoDataFrame of events."""
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame partitions with dask)

    from .pipeline import TableColumns, _date

    c = columns or TableColumns()
    parts = []
    if report_files:
        parts.append(read_reports_dask(report_files, date, household_table, time_budget, overrides))
    for t in table_files:
        parts.append(
            read_table_dask(t, c.place, c.country, c.date, c.category, _date(date), household_table, overrides)
        )
    out = parts[0] if len(parts) == 1 else dd.concat(parts)
    return _as_dask_geo(out)


def _as_dask_geo(ddf):
    import dask_geopandas

    if isinstance(ddf, dask_geopandas.GeoDataFrame):
        return ddf
    return dask_geopandas.from_dask_dataframe(ddf, geometry="geometry")


# -- admin-1 join and aggregates ------------------------------------------------------------------
@lru_cache(maxsize=1)
def _admin1() -> gpd.GeoDataFrame:
    return admin1_polygons()[["key", "geometry"]].rename(columns={"key": "admin1_code"})


def join_admin1(events):
    """Events with an ``admin1_code`` column ("AF.10") from the admin-1 polygon they fall in (null outside
    every polygon or without a point). A dask GeoDataFrame gives a dask GeoDataFrame."""
    polys = _admin1()
    if is_dask(events):
        # dask_geopandas.sjoin does inner joins only; with a small, unpartitioned right side it runs
        # geopandas.sjoin on every partition — which is what this does, keeping events outside all polygons
        # (the polygons are loaded on each worker, not shipped with every task)
        return events.map_partitions(_left_join, meta=_join_meta(events._meta))
    return _left_join(events, polys)


def _left_join(events: gpd.GeoDataFrame, polys: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    polys = _admin1() if polys is None else polys
    return _drop_join_columns(gpd.sjoin(events, polys, how="left", predicate="within"))


def _drop_join_columns(df):
    df = df.drop(columns=[c for c in ("index_right",) if c in df.columns])
    # a point on a shared border falls in two polygons: keep the first, one row per event
    df = df[~df.index.duplicated(keep="first")] if df.index.has_duplicates else df
    df["admin1_code"] = df["admin1_code"].astype("string")
    return df


def _join_meta(meta: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    m = meta.copy()
    m["admin1_code"] = pd.Series([], dtype="string")
    return m


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


# -- output ---------------------------------------------------------------------------------------
def write_parquet(events, folder: str | Path, progress: bool = False, rows_per_file: int = ROWS_PER_FILE) -> Path:
    """Partitioned GeoParquet of a dask GeoDataFrame, Hilbert-sorted so that each file covers a compact
    area, moved into place only when complete.

    The pipeline (geocoding, extraction) runs once: the workers write their partitions to a staging folder
    as they come. The staged files are then put in Hilbert order on disk, in bounded memory: a histogram of
    Hilbert distances gives the ranges of files of about ``rows_per_file`` rows; each staged file is split
    into those ranges; each range is sorted into one file. ``dask_geopandas``' ``spatial_shuffle`` does
    the same through a general dask shuffle, six times slower at 1 M rows. Rows without a point (place not
    found) go to ``unlocated.parquet``."""
    import dask

    from .atomic import atomic_dir
    from .schema import FIELDS

    cols = [c for c in (*FIELDS, "admin1_code") if c in events._meta.columns] + ["geometry"]
    typed = events.map_partitions(lambda df: _arrow_dates(df[cols]), meta=_arrow_dates(events._meta[cols]))
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


HILBERT_LEVEL = 16  # 2**16 cells a side: ~600 m at the equator, finer than any file's extent
HISTOGRAM_SHIFT = 12  # distances (0 .. 4**16) binned by 4**6 cells for the range histogram


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
    (dates as ISO strings, as the pandas path has them)."""
    import dask_geopandas

    from .export import DATE_FIELDS

    ddf = dask_geopandas.read_parquet(str(folder))

    def text_dates(df):
        out = df.copy()
        for c in DATE_FIELDS:
            if c in out:
                out[c] = [None if pd.isna(v) else str(v) for v in out[c]]
                out[c] = out[c].astype("string")
        return out

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


def _arrow_dates(df: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Date fields as Arrow date32 columns (typed even in an empty frame, which dask needs for a schema)."""
    import pyarrow as pa

    from .export import DATE_FIELDS

    out = df.copy()
    for c in DATE_FIELDS:
        if c in out:
            out[c] = pd.to_datetime(out[c], errors="coerce", format="%Y-%m-%d").astype(pd.ArrowDtype(pa.date32()))
    return out


def sample(events, n: int = MAP_SAMPLE, seed: int = 0, total: int | None = None) -> gpd.GeoDataFrame:
    """About ``n`` events drawn evenly from a (dask) GeoDataFrame, computed — the points a map can carry.
    ``total``: the row count if known (saves a pass over a dask frame)."""
    if not is_dask(events):
        return events if len(events) <= n else events.sample(n, random_state=seed).sort_index()
    if total is None:
        total = int(events.map_partitions(len).sum().compute())
    frac = min(1.0, n / total) if total else 1.0
    return events.sample(frac=frac, random_state=seed).compute()


def map_inputs(events, n: int = MAP_SAMPLE, total: int | None = None):
    """What a map of a dask frame of events draws: ``(points, per_admin1, per_hexagon, total)`` — a computed
    sample of about ``n`` events, the aggregates of every event, and the number of events. Pass a frame
    read back with :func:`read_parquet`: a lazy pipeline would run once for each of these."""
    if "admin1_code" not in events.columns:
        events = join_admin1(events)
    admin, hexes = aggregates(events)
    if total is None:
        total = int(events.map_partitions(len).sum().compute()) if is_dask(events) else len(events)
    return sample(events, n, total=total), admin, hexes, total


def sampled_title(title: str, drawn: int, total: int) -> str:
    return f"{title} ({drawn:,} of {total:,} events drawn; provinces and hexagons count all)"
