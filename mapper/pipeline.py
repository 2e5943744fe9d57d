"""The whole job as library calls: reports -> events -> GeoDataFrame (the CLI is a thin shell over this)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd

from gazetteer import Gazetteer
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


def geoparser_for(overrides: str | Path | None = None) -> Geoparser:
    """The geoparser over the default gazetteer, with a user's overrides CSV on top if given."""
    return Geoparser(Gazetteer.default().with_overrides(overrides))


def events_from_files(
    inputs: list[str | Path],
    date: dt.date | str | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    overrides: str | Path | None = None,
) -> gpd.GeoDataFrame:
    """Read report files/folders and extract their events (see :func:`extract_events`)."""
    reports = read_reports(inputs, date=date)
    return extract_events(reports, geoparser_for(overrides), household_table=household_table, time_budget=time_budget)
