"""A place index of a handful of records, built in a blink, for tests of the index machinery (opening,
repair, stale keys, clean-up) that must not rebuild the 20-second bundled index."""

from __future__ import annotations

from pathlib import Path

# (place_id, name, lat, lon, country_code, admin1_code, admin1, admin2, kind, population, capital_id, source), names
RECORDS: list[tuple[tuple, list[str]]] = [
    (
        ("geonames:1134720", "Lashkar Gāh", 31.59, 64.37, "AF", "10", "Helmand", "", "place", 201_546, "", "test"),
        ["Lashkar Gāh", "Lashkar Gah", "Lashkargah"],
    ),
    (
        ("geonames:1138335", "Kandahar", 31.61, 65.71, "AF", "23", "Kandahar", "", "place", 391_190, "", "test"),
        ["Kandahar"],
    ),
    (
        ("admin1:AF.10", "Helmand", 31.0, 64.0, "AF", "10", "Helmand", "", "admin1", 0, "geonames:1134720", "test"),
        ["Helmand", "Helmand Province"],
    ),
    (("country:AF", "Afghanistan", 33.0, 65.0, "AF", "", "", "", "country", 0, "", "test"), ["Afghanistan", "AFG"]),
]


def build_small(path: Path) -> Path:
    """Write the small index to ``path`` (with the real build code) and return it."""
    from gazetteer.build import build_index

    return build_index(path, records=RECORDS)
