"""The seed report read as an analyst would (../shared/notes/event-schema.md)."""

from __future__ import annotations

import math

import pytest

from mapper.extract import extract

LASHKAR_GAH = (31.59382, 64.37161)


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def events(seed_report, geoparser):
    return extract(seed_report, geoparser)


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


def test_provenance(events, seed_report):
    for e in events:
        assert e["source"] == seed_report.source
        assert e["source_text"] and e["source_text"].split(" … ")[0] in seed_report.text
        assert e["place_id"].startswith("geonames:")
        assert 0 < e["confidence"] <= 1
        assert len(e["event_id"]) == 16


def test_event_ids_are_stable(seed_report, geoparser, events):
    again = extract(seed_report, geoparser)
    assert [e["event_id"] for e in again] == [e["event_id"] for e in events]
    assert len({e["event_id"] for e in events}) == len(events)
