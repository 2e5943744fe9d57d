"""Overrides with a scope, and the two files of the review loop (issue 19).

A review row settles the mention it was written for (its event id and name) and nothing else; a row
without an event id (an overrides file written by hand) keeps today's meaning, the name everywhere in its
country; ``scope`` says otherwise. Filled rows of review.csv are appended to overrides.csv, never lost.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from gazetteer import Gazetteer
from gazetteer.errors import OverridesError
from gazetteer.overrides import Overrides, is_mention_row, read_rows, sniff_separator
from gazetteer.records import Place
from mapper.cli import main
from mapper.overrides import MentionOverride, MentionOverrides, merge_review
from mapper.review import COLUMNS

# two events only placed on Idlib province, one strike placed exactly in a town of that province
REPORT = """date 2021-05-03
Clashes broke out in Idlib province on Saturday between armed groups, a monitor said.
An air strike hit Ma'arrat an-Nu'man in Idlib province on Sunday, killing 5 civilians.
On Monday, shelling hit several villages in Idlib province, wounding 3 people.
"""
POINT = ("35.93", "36.63")  # where the analyst says the clash was


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _events(path):
    feats = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["source_text"]: f for f in feats}


def _run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture
def first_run(tmp_path):
    report = tmp_path / "idlib.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    _run("map", report, "--out-dir", out)
    return report, out


def _key(events, word):
    return next(k for k in events if word in k)


def test_first_run_lists_both_province_only_events(first_run):
    _, out = first_run
    rows = _rows(out / "review.csv")
    assert [r["reason"] for r in rows] == ["province only", "province only"]
    assert len({r["event_id"] for r in rows}) == 2
    ev = _events(out / "events.geojson")
    strike = ev[_key(ev, "air strike")]
    assert strike["properties"]["geo_precision"] == 1 and strike["properties"]["review"] is None


def test_a_review_row_settles_only_its_own_mention(first_run):
    """The issue's case: filling the "province only" row of one Idlib event must not move the strike in
    Ma'arrat an-Nu'man, nor the other Idlib event."""
    report, out = first_run
    before = _events(out / "events.geojson")
    rows = _rows(out / "review.csv")
    clash = next(r for r in rows if r["category"] == "clash")
    clash["lat"], clash["lon"] = POINT
    with open(out / "overrides.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)  # the other row stays blank: skipped

    _run("map", report, "--out-dir", out)
    after = _events(out / "events.geojson")
    c = after[_key(after, "Clashes")]
    assert c["geometry"]["coordinates"] == [36.63, 35.93]
    assert c["properties"]["geo_precision"] == 1 and c["properties"]["review"] is None
    assert c["properties"]["event_id"] == clash["event_id"]
    for word in ("air strike", "shelling"):  # untouched, to the last property
        assert after[_key(after, word)] == before[_key(before, word)]
    left = _rows(out / "review.csv")
    assert [(r["category"], r["reason"]) for r in left] == [("strike", "province only")]


def test_a_row_without_event_id_keeps_its_old_meaning_the_name_in_its_country(first_run):
    report, out = first_run
    before = _events(out / "events.geojson")
    row = f"Idlib,SY,{POINT[0]},{POINT[1]},province"
    (out / "overrides.csv").write_text(f"name,country,lat,lon,kind\n{row}\n", encoding="utf-8")
    _run("map", report, "--out-dir", out)
    after = _events(out / "events.geojson")
    for word in ("Clashes", "shelling"):  # every mention of the name
        assert after[_key(after, word)]["geometry"]["coordinates"] == [36.63, 35.93]
    assert after[_key(after, "air strike")] == before[_key(before, "air strike")]


def test_scope_name_on_a_review_row_applies_to_the_name_everywhere(first_run):
    report, out = first_run
    rows = _rows(out / "review.csv")
    rows[0].update(name="Idlib", lat=POINT[0], lon=POINT[1], kind="province", scope="name-in-country")
    with open(out / "overrides.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(rows[0])
    _run("map", report, "--out-dir", out)
    after = _events(out / "events.geojson")
    for word in ("Clashes", "shelling"):
        assert after[_key(after, word)]["geometry"]["coordinates"] == [36.63, 35.93]


def test_an_unknown_scope_is_a_one_line_error(first_run):
    report, out = first_run
    (out / "overrides.csv").write_text("name,country,lat,lon,event_id,scope\nIdlib,SY,35.9,36.6,abc,everywhere\n")
    r = CliRunner().invoke(main, ["map", str(report), "--out-dir", str(out)])
    assert r.exit_code == 2
    assert "overrides.csv:2: scope 'everywhere' is not one of mention, name, name-in-country" in r.output
    assert "Traceback" not in r.output


def test_filled_review_csv_is_merged_into_overrides_not_overwritten(first_run):
    report, out = first_run
    rows = _rows(out / "review.csv")
    rows[0]["lat"], rows[0]["lon"] = POINT
    with open(out / "review.csv", "w", encoding="utf-8", newline="") as fh:  # edited in place
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    r = _run("map", report, "--out-dir", out)
    assert "1 filled row(s) of" in r.output and "overrides.csv" in r.output
    kept = _rows(out / "overrides.csv")
    assert len(kept) == 1 and kept[0]["event_id"] == rows[0]["event_id"] and kept[0]["lat"] == POINT[0]
    ev = _events(out / "events.geojson")
    assert ev[_key(ev, "Clashes")]["geometry"]["coordinates"] == [36.63, 35.93]
    assert [x["category"] for x in _rows(out / "review.csv")] == ["strike"]
    # a second run adds nothing
    r = _run("map", report, "--out-dir", out)
    assert "filled row" not in r.output and len(_rows(out / "overrides.csv")) == 1


def test_merge_keeps_analyst_rows_byte_for_byte(tmp_path):
    ov = tmp_path / "overrides.csv"
    analyst = "\ufeffname;country;lat;lon\r\nQala-e Gaz;AF;31,41;64,05\r\nLash;AF;31,5;64,1\r\n"
    ov.write_bytes(analyst.encode("utf-8"))
    review = tmp_path / "review.csv"
    with open(review, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(dict.fromkeys(COLUMNS, "") | {"name": "Idlib", "country": "SY", "lat": "35.9", "lon": "36.6"})
        w.writerow(dict.fromkeys(COLUMNS, "") | {"name": "Other", "country": "SY", "reason": "province only"})
    assert merge_review(review, ov) == 1
    data = ov.read_bytes().decode("utf-8")
    lines = data.split("\r\n")
    assert data.startswith("\ufeffname;country;lat;lon;place_id;kind;admin1;scope;reason;event_id")
    assert "\r\n".join(lines[1:3]) + "\r\n" == analyst.split("\r\n", 1)[1]  # old rows unchanged
    assert lines[3].startswith("Idlib;SY;35.9;36.6;") and lines[4] == ""
    assert merge_review(review, ov) == 0  # not twice
    assert [r["name"] for _, r in read_rows(ov)] == ["Qala-e Gaz", "Lash", "Idlib"]


def test_merge_into_an_xlsx_overrides_file_stops_and_says_so(tmp_path):
    review = tmp_path / "review.csv"
    review.write_text("name,country,lat,lon,reason\nIdlib,SY,35.9,36.6,province only\n", encoding="utf-8")
    with pytest.raises(OverridesError, match="filled row"):
        merge_review(review, tmp_path / "overrides.xlsx")


# -- reading: separators, BOM, Excel -------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        b"name,country,lat,lon\nLashkar Test,AF,31.4,64.1\n",
        b"\xef\xbb\xbfname;country;lat;lon\r\nLashkar Test;AF;31,4;64,1\r\n",  # Excel, European locale
        b"name\tcountry\tlat\tlon\r\nLashkar Test\tAF\t31.4\t64.1\r\n",
        b'\xef\xbb\xbf"name","country","lat","lon"\r\n"Lashkar Test","AF","31.4","64.1"\r\n',
    ],
)
def test_overrides_read_commas_semicolons_tabs_bom_crlf(tmp_path, raw):
    p = tmp_path / "o.csv"
    p.write_bytes(raw)
    ov = Overrides.from_csv(p, Gazetteer.default())
    (place,) = ov.lookup("Lashkar Test")
    assert (place.lat, place.lon, place.country_code) == (31.4, 64.1, "AF")


def test_sniff_separator():
    assert sniff_separator("a;b;c\n1,2;3;4") == ";"
    assert sniff_separator("a\tb\n") == "\t"
    assert sniff_separator("name\n") == ","
    assert sniff_separator('a,"b;c",d') == ","


def test_excel_written_file_pandas_openpyxl_semicolon_and_xlsx(tmp_path):
    frame = pd.DataFrame({"name": ["Lashkar Test"], "country": ["AF"], "lat": [31.4], "lon": [64.1]})
    semi = tmp_path / "o.csv"
    frame.to_csv(semi, sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n", decimal=",")
    assert semi.read_bytes().startswith(b"\xef\xbb\xbfname;country;lat;lon\r\n")
    book = tmp_path / "o.xlsx"
    frame.to_excel(book, index=False, engine="openpyxl")
    for p in (semi, book):
        (place,) = Overrides.from_csv(p, Gazetteer.default()).lookup("Lashkar Test")
        assert (place.lat, place.lon) == (31.4, 64.1), p


def test_review_csv_saved_by_excel_is_read_and_merged(first_run):
    report, out = first_run
    rows = _rows(out / "review.csv")
    rows[0]["lat"], rows[0]["lon"] = (v.replace(".", ",") for v in POINT)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.to_csv(out / "review.csv", sep=";", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    r = _run("map", report, "--out-dir", out)
    assert "1 filled row(s)" in r.output
    ev = _events(out / "events.geojson")
    assert ev[_key(ev, "Clashes")]["geometry"]["coordinates"] == [36.63, 35.93]


def test_an_unreadable_overrides_workbook_is_a_clear_error(tmp_path):
    p = tmp_path / "o.xlsx"
    p.write_bytes(b"not a zip")
    with pytest.raises(OverridesError, match="not a readable .xlsx workbook"):
        Overrides.from_csv(p, Gazetteer.default())


# -- library ----------------------------------------------------------------------------------------------
def test_is_mention_row():
    assert is_mention_row({"event_id": "e1"})
    assert is_mention_row({"event_id": "e1", "scope": "Mention"})
    assert not is_mention_row({"event_id": "e1", "scope": "name"})
    assert not is_mention_row({"event_id": "e1", "scope": "name in country"})
    assert not is_mention_row({"name": "x"})
    with pytest.raises(OverridesError, match="needs the event_id"):
        is_mention_row({"scope": "mention"})


def test_mention_overrides_apply_touches_only_matching_event_and_name():
    place = Place("override:SY:x", "Idlib", 35.93, 36.63, "SY", "", "Idlib", "", "populated place", 0, "", "override")
    mo = MentionOverrides([MentionOverride("e1", "Idlib province", place, "o.csv:2")])
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e1b", "e2"],
            "location": ["Idlib", "Idlib", "Saraqib"],
            "location_text": ["Idlib province", "Idlib province", "Saraqib"],
            "review": ["province only", "province only", None],
            "geo_precision": pd.array([3, 3, 1], dtype="Int64"),
            "place_id": ["g:1", "g:1", "g:2"],
            "country_code": ["SY"] * 3,
            "admin1": ["Idlib"] * 3,
            "admin2": [None] * 3,
            "geometry": [shapely.Point(36.5, 35.8)] * 3,
        }
    )
    out, used = mo.apply(events)
    assert used == {"o.csv:2"}
    assert out.loc[0, "geometry"].equals(shapely.Point(36.63, 35.93))
    assert (out.loc[0, "geo_precision"], out.loc[0, "place_id"]) == (1, "override:SY:x")
    assert pd.isna(out.loc[0, "review"])
    pd.testing.assert_frame_equal(out.iloc[1:], events.iloc[1:])
    # the same event, another name: not this row's mention
    other = MentionOverrides([MentionOverride("e2", "Idlib province", place, "o.csv:3")])
    assert other.apply(events)[1] == set()


def test_a_mention_row_may_name_a_gazetteer_record(first_run):
    """A review row settled with a place_id (no point) moves its event onto that record, nothing else."""
    report, out = first_run
    before = _events(out / "events.geojson")
    strike = before[_key(before, "air strike")]["properties"]
    rows = _rows(out / "review.csv")
    shelling = next(r for r in rows if r["category"] == "strike")
    shelling["place_id"] = strike["place_id"]  # the analyst knows the villages are around Ma'arrat an-Nu'man
    with open(out / "overrides.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(shelling)
    _run("map", report, "--out-dir", out)
    after = _events(out / "events.geojson")
    s = after[_key(after, "shelling")]
    assert s["properties"]["place_id"] == strike["place_id"] and s["properties"]["review"] is None
    assert s["geometry"] == before[_key(before, "air strike")]["geometry"]
    assert after[_key(after, "Clashes")] == before[_key(before, "Clashes")]


def test_filled_review_rows_with_an_xlsx_overrides_stop_the_run(first_run):
    report, out = first_run
    book = out.parent / "ov.xlsx"
    pd.DataFrame({"name": ["Lashkar Test"], "country": ["AF"], "lat": [31.4], "lon": [64.1]}).to_excel(
        book, index=False
    )
    rows = _rows(out / "review.csv")
    rows[0]["lat"], rows[0]["lon"] = POINT
    with open(out / "review.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    before = (out / "review.csv").read_bytes()
    r = CliRunner().invoke(main, ["map", str(report), "--out-dir", str(out), "--overrides", str(book)])
    assert r.exit_code == 2 and "1 filled row(s) would be lost; copy them into" in r.output
    assert (out / "review.csv").read_bytes() == before  # nothing the analyst wrote is overwritten
