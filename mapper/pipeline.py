"""The whole job as library calls: files -> events -> GeoDataFrame (the CLI is a thin shell over this).

Report files (.txt, .md, .html) go through the extractor, event tables (.csv, .tsv, .xlsx, .json,
.geojson) through the table reader; both give rows of the event schema in one GeoDataFrame (EPSG:4326),
where the same incident told by several sources becomes one event unless ``dedup=False``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gazetteer import Gazetteer
from gazetteer.geoparse import Geoparser

from .dedup import merge_duplicates
from .errors import InputError
from .extract import DEFAULT_TIME_BUDGET, extract, why_no_events
from .frame import to_geodataframe
from .reports import REPORT_SUFFIXES, Report
from .reports import read_reports as load_reports
from .tables import TABLE_SUFFIXES


@dataclass(frozen=True)
class TableColumns:
    """Columns the user names for tables whose headers are not recognised."""

    place: str | None = None
    country: str | None = None
    date: str | None = None
    category: str | None = None


def geoparser_for(overrides: str | Path | None = None) -> Geoparser:
    """The geoparser over the default gazetteer, with a user's overrides CSV on top if given."""
    return Geoparser(Gazetteer.default().with_overrides(overrides))


def extract_events(
    reports: list[Report],
    geoparser: Geoparser | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> gpd.GeoDataFrame:
    """Events of many reports as one GeoDataFrame (EPSG:4326)."""
    gp = geoparser or Geoparser()
    records: list[dict] = []
    for r in reports:
        records.extend(extract(r, gp, household_table, time_budget=time_budget))
    return to_geodataframe(records)


def read_reports(
    inputs: list[str | Path] | str | Path,
    date: dt.date | str | None = None,
    overrides: str | Path | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    engine: str = "pandas",
):
    """Report files or folders -> their events as a GeoDataFrame (``engine="dask"``: a lazy
    dask-geopandas one, see :func:`events_from_files`)."""
    paths = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    if _on_dask(engine, paths):
        from .scale import read_reports_dask

        return read_reports_dask(split_inputs(paths)[0], date, household_table, time_budget, overrides)
    return extract_events(load_reports(inputs, date=date), geoparser_for(overrides), household_table, time_budget)


def read_table(
    path: str | Path,
    columns: TableColumns | None = None,
    date: dt.date | str | None = None,
    overrides: str | Path | None = None,
    household_table: dict[str, float] | None = None,
    engine: str = "pandas",
):
    """An event table (CSV, Excel, JSON, GeoJSON; ACLED, UCDP GED, HXL or named columns) as a GeoDataFrame
    (``engine="dask"``: a lazy dask-geopandas one of a CSV/TSV table, see :func:`events_from_files`)."""
    from .tables import read_table as _read

    c = columns or TableColumns()
    if _on_dask(engine, [path]):
        from .scale import read_table_dask

        return read_table_dask(path, c.place, c.country, c.date, c.category, _date(date), household_table, overrides)
    gz = Gazetteer.default().with_overrides(overrides)
    return to_geodataframe(_read(path, gz, c.place, c.country, c.date, c.category, _date(date), household_table))


def _on_dask(engine: str, inputs: list[str | Path]) -> bool:
    if engine == "pandas":
        return False
    from .scale import choose_engine

    return choose_engine(engine, inputs) == "dask"


def split_inputs(inputs: list[str | Path]) -> tuple[list[Path], list[Path]]:
    """(report files, table files) from files and folders, in a stable order."""
    reports: list[Path] = []
    tables: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
            reports += [f for f in files if f.suffix.lower() in REPORT_SUFFIXES]
            tables += [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
            if not any(f.suffix.lower() in REPORT_SUFFIXES | TABLE_SUFFIXES for f in files):
                raise InputError(f"no report or table files found in {p}")
        elif p.suffix.lower() in TABLE_SUFFIXES:
            tables.append(p)
        else:
            reports.append(p)
    return reports, tables


def events_from_files(
    inputs: list[str | Path],
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    overrides: str | Path | None = None,
    columns: TableColumns | None = None,
    dedup: bool = True,
    on_note: Callable[[str], None] | None = None,
    engine: str = "pandas",
):
    """Reports and tables (files or folders) -> one GeoDataFrame of events.

    ``on_note`` receives a line for every report that gave no events, saying why. ``engine="dask"``
    (or ``"auto"`` for inputs over :data:`mapper.scale.AUTO_DASK_BYTES`) gives a lazy dask-geopandas
    GeoDataFrame with the same rows, computed partition by partition on the current dask scheduler
    (duplicates across sources are not merged there; see :mod:`mapper.scale`)."""
    report_files, table_files = split_inputs(inputs)
    if _on_dask(engine, inputs):
        from . import scale

        return scale.events_dask(report_files, table_files, date, household_table, time_budget, overrides, columns)
    gp = geoparser_for(overrides)
    records: list[dict] = []
    if report_files:
        for r in load_reports(list[str | Path](report_files), date=date):
            found = extract(r, gp, household_table, time_budget=time_budget)
            if not found and on_note is not None:
                on_note(f"{r.source}: no events: {why_no_events(r)}")
            records.extend(found)
    c = columns or TableColumns()
    from .tables import EVENT_COLUMNS
    from .tables import read_table as _read

    frames = [
        _read(t, gp.gz, c.place, c.country, c.date, c.category, _date(date), household_table) for t in table_files
    ]
    if records:
        frames.insert(0, pd.DataFrame.from_records(records, columns=EVENT_COLUMNS))
    events = to_geodataframe(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames else [])
    return merge_duplicates(events) if dedup else events


def _date(date: dt.date | str | None) -> dt.date | None:
    if date is None or isinstance(date, dt.date):
        return date
    from .reports import parse_date

    return parse_date(date, "--date")
