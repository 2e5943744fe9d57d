"""The seed report read as an analyst would (../shared/notes/event-schema.md).

Every test runs twice: on our own account of the seed's facts (tests/data/, so it runs in a plain clone) and
on the seed report itself, which lives beside the repo (../shared/seed) and is skipped, with the reason, where
it is absent.
"""

from __future__ import annotations

import math

import pytest

from mapper.extract import extract
from mapper.reports import read_report

from .conftest import OWN_SEED_FIRST

LASHKAR_GAH = (31.59382, 64.37161)


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


# README's "What you get" table: (category, actor1, location, geo_precision, event_date, fatalities, families)
README_TABLE = [
    ("clash", "Taliban", "Lashkar Gāh", 2, "2020-10-11", None, None),
    ("displacement", None, "Lashkar Gāh", 2, "2020-10-12", None, 1500),
    ("strike", "Afghan Air Force", "Helmand", 3, "2020-10-12", 170, None),
    ("strike", "US forces", "Helmand", 3, "2020-10-11", None, None),
]


def table(events):
    keys = ("category", "actor1", "location", "geo_precision", "event_date", "fatalities", "displaced_families")
    return sorted((tuple(e[k] for k in keys) for e in events), key=lambda t: (t[0], str(t[1])))


@pytest.fixture(scope="module", params=["own words", "shared seed"])
def report(request):
    return request.getfixturevalue("seed_report" if request.param == "own words" else "shared_seed_report")


@pytest.fixture(scope="module")
def events(report, geoparser):
    return extract(report, geoparser)


def test_the_readme_table(events):
    assert table(events) == README_TABLE
    disp = next(e for e in events if e["category"] == "displacement")
    assert disp["household_size"] == 7.4 and disp["displaced_people"] == 11100


def test_exactly_the_four_events(events):
    got = sorted((e["category"], e["sub_event_type"]) for e in events)
    assert got == sorted(
        [
            ("strike", "Air/drone strike"),
            ("strike", "Air/drone strike"),
            ("clash", "Non-state actor overtakes territory"),
            ("displacement", "Displacement"),
        ]
    )


def test_strikes_stand_on_helmand_province(events):
    strikes = [e for e in events if e["category"] == "strike"]
    for e in strikes:
        assert e["location"] == "Helmand" and e["geo_precision"] == 3
        assert e["admin1"] == "Helmand" and e["country_code"] == "AF"
    actors = {e["actor1"] for e in strikes}
    assert actors == {"US forces", "Afghan Air Force"}
    aaf = next(e for e in strikes if e["actor1"] == "Afghan Air Force")
    assert aaf["fatalities"] == 170
    us = next(e for e in strikes if e["actor1"] == "US forces")
    assert us["fatalities"] is None


def test_lashkar_gah_events_on_the_outskirts(events):
    for cat in ("clash", "displacement"):
        e = next(e for e in events if e["category"] == cat)
        assert km((e["lat"], e["lon"]), LASHKAR_GAH) < 15
        assert e["geo_precision"] == 2
        assert e["place_id"] == "geonames:1134720"
        assert "outskirts" in e["location_text"]
    clash = next(e for e in events if e["category"] == "clash")
    assert clash["actor1"] == "Taliban"
    disp = next(e for e in events if e["category"] == "displacement")
    assert disp["displaced_families"] == 1500
    assert disp["displaced_people"] == round(1500 * disp["household_size"])


def test_dates_and_precision(events):
    for e in events:
        assert e["event_date"] in ("2020-10-11", "2020-10-12")
        assert e["time_precision"] in (1, 2)
        assert e["report_date"] == "2020-10-12"
    assert next(e for e in events if e["category"] == "displacement")["time_precision"] == 2


def test_nothing_in_doha_qatar_kabul_or_the_us(events):
    for e in events:
        assert e["country_code"] == "AF"
        assert e["location"] not in ("Doha", "Qatar", "Kabul", "United States")


def test_provenance(events, report):
    for e in events:
        assert e["source"] == report.source
        assert e["source_text"] and e["source_text"].split(" … ")[0] in report.text
        assert e["place_id"].startswith("geonames:")
        assert 0 < e["confidence"] <= 1
        assert len(e["event_id"]) == 16


def test_event_ids_are_stable(report, geoparser, events):
    again = extract(report, geoparser)
    assert [e["event_id"] for e in again] == [e["event_id"] for e in events]
    assert len({e["event_id"] for e in events}) == len(events)


@pytest.mark.xfail(
    strict=True,
    reason="first wording of our account gives 2 events, not 4: 'aircraft have bombed' is no strike trigger; "
    "'Afghan Air Force strikes killed 170' is no strike trigger and its 170 killed lands on the Taliban clash; "
    "'in the previous 24 hours' dates the day before (and the displacement after it) where 'last 24 hours' does not",
)
def test_first_wording_gives_the_readme_table(geoparser):
    """Our account as first written, before it was reworded to what the extractor reads (a finding, kept)."""
    assert table(extract(read_report(OWN_SEED_FIRST), geoparser)) == README_TABLE
