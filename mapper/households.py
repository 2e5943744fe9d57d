"""Household size used to turn "N families" into people.

Approximate national averages (persons per household), rounded to one decimal, from the UN DESA
"Household Size and Composition" database and national surveys, kept in ``mapper/data/household_sizes.tsv``;
they are planning figures, not census truth. Override per run with ``--household-size N`` or a CSV
``country_code,household_size``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import InputError

DEFAULT_HOUSEHOLD_SIZE = 5.0

HOUSEHOLD_FILE = Path(__file__).parent / "data" / "household_sizes.tsv"


def _built_in() -> dict[str, float]:
    """The bundled table (``mapper/data/household_sizes.tsv``: country code, persons per household)."""
    out: dict[str, float] = {}
    with open(HOUSEHOLD_FILE, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                code, size = line.rstrip("\n").split("\t")
                out[code.strip().upper()] = float(size)
    return out


HOUSEHOLD_SIZE: dict[str, float] = _built_in()


def household_size(country_code: str | None, table: dict[str, float] | None = None) -> float:
    t = table if table is not None else HOUSEHOLD_SIZE
    return t.get((country_code or "").upper(), t.get("*", DEFAULT_HOUSEHOLD_SIZE))


def read_household_table(path: str | Path) -> dict[str, float]:
    """Read ``country_code,household_size`` rows (``*`` for the default) on top of the built-in table."""
    table = dict(HOUSEHOLD_SIZE)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    table[row["country_code"].strip().upper()] = float(row["household_size"])
                except (KeyError, TypeError, ValueError, AttributeError):
                    raise InputError(f"{path}, line {n}: need country_code,household_size with a number") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read household sizes ({e.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    return table
