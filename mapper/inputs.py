"""What a job reads: files and folders given by the user sorted into reports and tables (one walk, see
:mod:`mapper.walk`), the columns a user names for unrecognised tables, and the ``--date`` option."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .reports import REPORT_SUFFIXES, parse_date
from .tables import TABLE_SUFFIXES
from .walk import files_under

DASK_TABLE_SUFFIXES = {".csv", ".tsv", ".txt"}  # tables the dask engine reads in blocks


@dataclass(frozen=True)
class TableColumns:
    """Columns the user names for tables whose headers are not recognised."""

    place: str | None = None
    country: str | None = None
    date: str | None = None
    category: str | None = None


@dataclass
class InputFiles:
    """The files of a job's inputs, in a stable order."""

    reports: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)

    def size(self) -> int:
        """Bytes of all input files (a file that vanished counts 0)."""
        total = 0
        for p in (*self.reports, *self.tables):
            try:
                total += p.stat().st_size
            except OSError:
                pass
        return total


def find_inputs(
    inputs: list[str | Path] | str | Path,
    skip_unreadable: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> InputFiles:
    """Reports and tables of the given files and folders. A folder is walked once (hidden files skipped,
    unreadable parts an error unless ``skip_unreadable``); a file given by name is taken as it is, by its
    suffix (anything that is not a table is read as a report)."""
    found = InputFiles()
    for raw in [inputs] if isinstance(inputs, str | Path) else inputs:
        p = Path(raw)
        if p.is_dir():
            files = files_under(p, skip_unreadable, on_warning)
            reports = [f for f in files if f.suffix.lower() in REPORT_SUFFIXES]
            tables = [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
            if not reports and not tables:
                raise InputError(f"no report or table files found in {p}")
            found.reports += reports
            found.tables += tables
        elif p.suffix.lower() in TABLE_SUFFIXES:
            found.tables.append(p)
        else:
            found.reports.append(p)
    return found


def input_date(date: dt.date | str | None) -> dt.date | None:
    """The ``--date`` option as a date (a clear error for a malformed one)."""
    if date is None or isinstance(date, dt.date):
        return date
    return parse_date(date, "--date")
