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


# a key of --columns FILE / TableColumns -> the table reader's canonical column
COLUMN_KEYS = {
    "place": "place",
    "country": "country",
    "date": "date",
    "category": "category",
    "fatalities": "fatalities",
    "displaced": "displaced_people",
    "families": "displaced_families",
    "actor": "actor1",
    "notes": "notes",
    "id": "row_id",
}


@dataclass(frozen=True)
class TableColumns:
    """Columns the user names for tables whose headers are not recognised (``--place-col`` ...,
    ``--id-col``, or the same keys in a ``--columns FILE``)."""

    place: str | None = None
    country: str | None = None
    date: str | None = None
    category: str | None = None
    fatalities: str | None = None
    displaced: str | None = None
    families: str | None = None
    actor: str | None = None
    notes: str | None = None
    id: str | None = None

    def named(self) -> dict[str, str]:
        """canonical column -> the table column named for it (only those named)."""
        return {canon: col for key, canon in COLUMN_KEYS.items() if (col := getattr(self, key))}

    @classmethod
    def of(cls, path: str | Path | None = None, **given: str | None) -> TableColumns:
        """The columns of a mapping file (``path``, see :func:`read_column_file`) with those ``given``
        (the command-line options) winning over it."""
        base = read_column_file(path) if path else {}
        return cls(**(base | {k: v for k, v in given.items() if v}))


def read_column_file(path: str | Path) -> dict[str, str]:
    """A column mapping file: JSON ``{"fatalities": "dead", "id": "incident_no"}`` or CSV lines
    ``key,column`` (an optional ``key,column`` header; ``;`` or tab also work). Keys: those of
    :data:`COLUMN_KEYS`; an unknown key or a malformed file is an InputError naming the file."""
    import csv
    import json

    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise InputError(f"{p}: cannot read the column mapping ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise InputError(f"{p}: the column mapping is not UTF-8 text") from None
    pairs: list[tuple[int, str, str]] = []
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as e:
            raise InputError(f"{p}: not valid JSON ({e})") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise InputError(f'{p}: need a JSON object of key: "column name" strings')
        pairs = [(1, str(k), v) for k, v in data.items()]
    else:
        header = text.split("\n", 1)[0]
        sep = max((",", ";", "\t"), key=header.count)
        for n, row in enumerate(csv.reader(text.splitlines(), delimiter=sep), start=1):
            if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
                continue
            if len(row) != 2:
                raise InputError(f"{p}:{n}: need two fields, key{sep}column")
            if n == 1 and [c.strip().lower() for c in row] == ["key", "column"]:
                continue
            pairs.append((n, row[0], row[1]))
    out: dict[str, str] = {}
    for n, key, column in pairs:
        k = key.strip().lower().removesuffix("-col").removesuffix("_col")
        if k not in COLUMN_KEYS:
            raise InputError(f"{p}:{n}: unknown key {key!r} (use {', '.join(COLUMN_KEYS)})")
        if column.strip():
            out[k] = column.strip()
    return out


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
