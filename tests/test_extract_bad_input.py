"""Bad input for the extractor (extraction issue): no crash, and a clear note when nothing could be read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.extract import extract, why_no_events
from mapper.reports import parse_report


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def _events(path):
    return json.loads(path.read_text())["features"]


def test_boilerplate_and_foreign_language_get_a_note_not_a_crash(tmp_path):
    boiler = tmp_path / "boiler.txt"
    boiler.write_text("date 2024-01-02\nSubscribe to our newsletter. Cookie policy. All rights reserved.\n")
    french = tmp_path / "fr.txt"
    french.write_text(
        "date 2024-01-02\nDes frappes aériennes ont tué douze personnes à Gao mardi, selon des sources "
        "locales. Des milliers de familles ont fui vers Bamako.\n"
    )
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("date 2024-01-02\nAir strikes hit Xyzzyville on Monday.\n")
    out = tmp_path / "e.geojson"
    r = run("extract", boiler, french, unknown, "-o", out)
    assert r.exit_code == 0, r.output
    assert _events(out) == []
    assert f"note: {boiler}: no events: no words for an event" in r.output
    assert f"note: {french}: no events: it does not look like English" in r.output
    assert "names it does not know: Xyzzyville" in r.output and "--overrides" in r.output


@pytest.mark.slow
def test_five_megabytes_of_text(tmp_path, geoparser):
    para = (
        "Shelling hit Aleppo on Monday, killing 3 people. The council met to discuss the budget and the "
        "roads of the district, and said the work would go on through the winter months. "
    )
    text = "date 2020-03-02\n" + para * (5_000_000 // len(para))
    report = parse_report(text, "big.txt")
    events = extract(report, geoparser, time_budget=None)
    # one telling repeated: a handful of merged events, all in Aleppo, none lost to a crash
    assert events and {e["location"] for e in events} == {"Aleppo"}


def test_binary_junk_and_mixed_encodings_are_named_errors(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"date 2020-01-01\n" + bytes(range(256)) * 40)
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"date 2020-01-01\nShelling hit Aleppo. " + "Café".encode("latin-1"))
    out = tmp_path / "e.geojson"
    for bad, words in ((junk, "binary"), (mixed, "not UTF-8")):
        r = run("extract", bad, "-o", out)
        assert r.exit_code == 2 and words in r.output and str(bad) in r.output and "Traceback" not in r.output
        assert not out.exists()


def test_text_without_words_and_why():
    report = parse_report("date 2020-01-01\n1234 -- 5678 !!! ...\n", "digits.txt")
    assert extract(report) == []
    assert why_no_events(report) == "no words in it"
