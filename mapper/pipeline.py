"""The whole job as library calls: reports -> events -> GeoDataFrame (the CLI is a thin shell over this)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd

from gazetteer.geoparse import Geoparser

from .extract import DEFAULT_TIME_BUDGET, extract
from .frame import to_geodataframe
from .reports import Report, read_reports


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


def events_from_files(
    inputs: list[str | Path],
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> gpd.GeoDataFrame:
    return extract_events(read_reports(inputs, date=date), household_table=household_table, time_budget=time_budget)
