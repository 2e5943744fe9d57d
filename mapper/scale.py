"""The dask engine: the same reading, geocoding and extraction as the pandas path, run partition by partition
on dask workers (one machine or a cluster), for inputs that outgrow memory.

* Tables (CSV/TSV) are read lazily in blocks with ``dask.dataframe.read_csv``; each block becomes events
  through :func:`mapper.tables.table_events` on a worker, whose gazetteer is opened once per process.
  Row numbers stay the file's (block offsets are counted first), so event ids, sources and errors match
  the pandas path exactly.
* Report folders become a ``dask.bag`` of files; each partition runs :func:`mapper.extract.extract`.

The admin-1 join, hexagons, aggregates and sampling are in :mod:`mapper.geo`, the Hilbert-sorted
GeoParquet writer and reader in :mod:`mapper.geoparquet`, the jobs that use them in :mod:`mapper.pipeline`.
dask itself is imported inside the functions that need it: ``import mapper`` must not pay dask's import
time (about a second) on the pandas path.

Not done on the dask engine: merging duplicates across sources (it compares every pair of nearby events
of different files, a global operation); run ``mapper export --engine pandas`` on the result of a filter
when that matters.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gazetteer.geoparse import Geoparser
from gazetteer.index import Gazetteer

from .errors import EngineError, InputError
from .extract import extract
from .frame import is_dask, to_geodataframe
from .inputs import DASK_TABLE_SUFFIXES, InputFiles, TableColumns
from .reports import read_report
from .schema import source_label
from .tables import read_table_head, recognise_columns, table_events

# above this many bytes of input, ``--engine auto`` uses dask: the pandas path holds every row as a Python
# record while it geocodes (3.5 GB at peak for 1 M ACLED-like rows, 86 MB of CSV, measured by
# benchmarks/scale.py), so 200 MB (~2.3 M rows) is where one process needs 8 GB; dask is also the faster
# engine there (x0.78 of pandas' time at 1 M rows on two cores). Below, pandas keeps cross-source dedup.
AUTO_DASK_BYTES = 200_000_000
BLOCKSIZE = "8MB"  # ~90k ACLED-like rows: bounds the Python records a worker holds at once (~0.5 GB)
SCHEDULER_TIMEOUT = "20s"  # to connect to --scheduler before giving up with a clear error


__all__ = ["is_dask", "choose_engine", "dask_client", "read_table_dask", "read_reports_dask", "events_dask"]


def choose_engine(engine: str, files: InputFiles) -> str:
    """'pandas' or 'dask'; ``auto`` picks dask for inputs over :data:`AUTO_DASK_BYTES` that dask can read
    (reports and CSV/TSV tables: a big JSON or Excel table stays on pandas, up to the table size limit)."""
    if engine != "auto":
        return engine
    if any(t.suffix.lower() not in DASK_TABLE_SUFFIXES for t in files.tables):
        return "pandas"
    return "dask" if files.size() > AUTO_DASK_BYTES else "pandas"


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
            with _worker_errors():
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
        _worker_errors(),
    ):
        yield client


@contextmanager
def _worker_errors():
    """Workers that died (out of memory, killed) are a one-line :class:`EngineError`, not a traceback."""
    from distributed.scheduler import KilledWorker

    try:
        yield
    except KilledWorker as e:
        raise EngineError(
            f"dask workers died while running a task ({e.args[0] if e.args else 'unknown task'}); they may have "
            "run out of memory: try fewer --workers, more memory per worker, or --engine pandas"
        ) from None


@lru_cache(maxsize=4)
def _cached_geoparser(overrides: str | None) -> Geoparser:
    return Geoparser(Gazetteer.default().with_overrides(overrides))  # the index opened once per worker process


def _meta() -> gpd.GeoDataFrame:
    return to_geodataframe([])


# -- tables -------------------------------------------------------------------------------------
def _table_partition(
    df: pd.DataFrame, offsets, source, cmap, date, household_table, overrides, partition_info=None
) -> gpd.GeoDataFrame:
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
    named: dict[str, str] | None = None,
):
    """A CSV/TSV event table as a lazy dask-geopandas GeoDataFrame of events (same rows as
    :func:`mapper.pipeline.read_table`)."""
    import dask.dataframe as dd

    path = Path(path)
    if path.suffix.lower() not in DASK_TABLE_SUFFIXES:
        raise InputError(f"{path}: the dask engine reads CSV/TSV tables; convert it or use --engine pandas")
    head, sep = read_table_head(path)
    cmap = recognise_columns(list(head.columns), None, place_col, country_col, date_col, category_col, named)
    ddf = dd.read_csv(str(path), sep=sep, dtype=str, keep_default_na=False, blocksize=blocksize, on_bad_lines="error")
    ddf.columns = [str(c).strip() for c in ddf.columns]
    # row offsets of the blocks, so that row numbers are the file's: one cheap pass over the file
    lengths = ddf.map_partitions(len).compute()
    offsets = np.concatenate([[0], np.cumsum(list(lengths))[:-1]]).tolist()
    import dask_geopandas  # noqa: F401  (GeoDataFrame partitions make a dask-geopandas frame)

    return ddf.map_partitions(
        _table_partition,
        offsets,
        source_label(path),  # as the pandas path names it: never absolute
        cmap,
        date,
        household_table,
        None if overrides is None else str(overrides),
        meta=_meta(),
        align_dataframes=False,
    ).pipe(_as_dask_geo)


# -- reports ------------------------------------------------------------------------------------
def _report_partition(paths: list[str], date, household_table, time_budget, overrides) -> gpd.GeoDataFrame:
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
    files: InputFiles,
    date: dt.date | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = None,
    overrides: str | Path | None = None,
    columns: TableColumns | None = None,
):
    """Reports and tables as one lazy dask-geopandas GeoDataFrame of events."""
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame partitions with dask)

    c = columns or TableColumns()
    parts = []
    if files.reports:
        parts.append(read_reports_dask(files.reports, date, household_table, time_budget, overrides))
    for t in files.tables:
        parts.append(
            read_table_dask(
                t, c.place, c.country, c.date, c.category, date, household_table, overrides, named=c.named()
            )
        )
    out = parts[0] if len(parts) == 1 else dd.concat(parts)
    return _as_dask_geo(out)


def _as_dask_geo(ddf):
    import dask_geopandas

    if isinstance(ddf, dask_geopandas.GeoDataFrame):
        return ddf
    return dask_geopandas.from_dask_dataframe(ddf, geometry="geometry")
