"""Word lists the geoparser (and the extractor's date and sentence rules) use to tell places from other
capitalised words: small readers over the data files in ``gazetteer/data/`` (our own lists), and the
names other modules import.

Formats: ``*.txt`` one item per line, ``*.tsv`` tab-separated with a header line; in both, ``#`` starts a
comment and blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    """The lines of a data file without comments, trailing blanks and empty lines."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for raw in text.splitlines() if (line := raw.split("#", 1)[0].rstrip()).strip()]


@cache
def read_list(name: str) -> tuple[str, ...]:
    """The items of a ``*.txt`` word list, in file order."""
    return tuple(line.strip() for line in _lines(name))


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a ``*.tsv`` table as dicts keyed by its header; missing trailing cells are ""."""
    reader = csv.DictReader(io.StringIO("\n".join(_lines(name))), delimiter="\t", restval="")
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in reader)


WEEKDAYS = list(read_list("weekdays.txt"))  # Monday first
MONTH_NAMES = list(read_list("months.txt"))  # January first
MONTH_ABBREVIATIONS = list(read_list("month_abbreviations.txt"))
MONTHS = set(MONTH_NAMES) | set(MONTH_ABBREVIATIONS)
DAYS = set(WEEKDAYS)

# Words before a name that make the following capitalised run a person
TITLES = set(read_list("titles.txt"))
FUNCTION_WORDS = set(read_list("function_words.txt"))
# Capitalised words that are almost never places in English news, though some are names in GeoNames
NOT_PLACES = set(read_list("not_places.txt")) | MONTHS | DAYS | FUNCTION_WORDS
# Words after a name that say what kind of unit it is
QUALIFIERS_ADMIN1 = set(read_list("qualifiers_admin1.txt"))
QUALIFIERS_ADMIN2 = set(read_list("qualifiers_admin2.txt"))
QUALIFIERS_PLACE = set(read_list("qualifiers_place.txt"))
# Words that may join the parts of a multi-word name
CONNECTORS = set(read_list("connectors.txt"))
# "Qatari capital Doha", "the Syrian town of ...": adjectives (and peoples) that give the country
DEMONYMS = {row["word"]: row["country"] for row in read_table("demonyms.tsv")}
# Buildings and institutions GeoNames lists as alternate names of towns: never a place on their own
NOT_PLACE_NAMES = set(read_list("not_place_names.txt"))
# Common given names and surnames that are also names of small places: a person unless qualified
PERSON_NAMES = set(read_list("person_names.txt"))
# Words whose full stop does not end a sentence ("Gen.", "e.g."); month abbreviations count too
ABBREVIATIONS = set(read_list("abbreviations.txt")) | set(MONTH_ABBREVIATIONS)
