"""Extraction beyond the seed: roles of places, figures, merging, hostile text."""

from __future__ import annotations

from mapper.extract import extract
from mapper.numbers import parse_number
from mapper.reports import parse_report


def _events(text, geoparser, date="2021-06-01"):
    return extract(parse_report(text, "t.txt", date=date), geoparser)


def test_talks_and_speakers_are_not_event_places(geoparser):
    ev = _events(
        "Peace talks resumed in Doha on Monday. A spokesman in Washington said air strikes hit "
        "positions in Kandahar province overnight.",
        geoparser,
    )
    assert [(e["category"], e["location"], e["geo_precision"]) for e in ev] == [("strike", "Kandahār", 3)]


def test_displacement_stands_at_its_origin(geoparser):
    ev = _events("Some 2,000 people fled Maarat al-Numan to the Turkish border on Sunday.", geoparser)
    (e,) = ev
    assert e["category"] == "displacement" and e["displaced_people"] == 2000
    assert e["country_code"] == "SY" and "Ma" in e["location"]


def test_figures_in_words_and_vague(geoparser):
    assert parse_number("two thousand") == (2000, "two thousand")
    assert parse_number("dozens") == (None, "dozens")
    ev = _events("Dozens of civilians were killed when gunmen attacked a village near Gao.", geoparser)
    e = next(e for e in ev if e["category"] == "attack")
    assert e["fatalities"] is None and e["fatalities_text"].lower() == "dozens"
    assert e["country_code"] == "ML" and e["geo_precision"] == 2


def test_merging_keeps_all_sentences(geoparser):
    ev = _events("Air strikes hit Aleppo on Tuesday. The strikes killed 12 people, medics said.", geoparser)
    (e,) = ev
    assert e["fatalities"] == 12 and e["source_text"].count(" … ") == 1


def test_hostile_text_is_kept_as_text(geoparser):
    ev = _events('Shelling hit Aleppo <script>alert("x")</script> on Monday.', geoparser)
    assert ev and "<script>" in ev[0]["source_text"]


def test_text_without_events(geoparser):
    assert _events("The weather was fine and the market opened as usual.", geoparser) == []
    assert _events("Il y a eu des combats à Gao hier.", geoparser) == []
