"""Household size used to turn "N families" into people.

Approximate national averages (persons per household), rounded to one decimal, from the UN DESA
"Household Size and Composition" database and national surveys; they are planning figures, not
census truth. Override per run with ``--household-size N`` or a CSV ``country_code,household_size``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import InputError

DEFAULT_HOUSEHOLD_SIZE = 5.0

HOUSEHOLD_SIZE: dict[str, float] = {
    "AF": 7.4,
    "BD": 4.3,
    "BF": 5.9,
    "CD": 5.3,
    "CF": 4.9,
    "CM": 5.0,
    "CO": 3.5,
    "ET": 4.6,
    "HT": 4.4,
    "IQ": 6.1,
    "IR": 3.5,
    "KE": 3.9,
    "LB": 4.3,
    "LY": 5.6,
    "ML": 5.7,
    "MM": 4.4,
    "MZ": 4.4,
    "NE": 5.9,
    "NG": 4.7,
    "PK": 6.8,
    "PS": 5.5,
    "SD": 5.9,
    "SO": 5.9,
    "SS": 5.9,
    "SY": 5.0,
    "TD": 5.8,
    "UA": 2.6,
    "UG": 4.5,
    "YE": 6.7,
}


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
