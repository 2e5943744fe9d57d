"""Tables as analysts have them (issue 19): the source's own row id kept as ``source_id`` in every export
and in review.csv; any column named (``--fatalities-col`` ... ``--id-col``, ``--columns FILE``); one note
per table saying which columns were used and which ignored."""

from __future__ import annotations

import csv
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.errors import InputError
from mapper.inputs import TableColumns, read_column_file
from mapper.pipeline import events_from_files
from mapper.tables import ALIASES

from .conftest import ROOT

ACLED = (
    "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,admin1,country,fatalities,notes\n"
    "AFG123,2021-05-01,Battles,Armed clash,Taliban,Lashkar Gah,Helmand,Afghanistan,3,Fighting.\n"
    "AFG124,2021-05-02,Battles,Armed clash,Taliban,Nowhere Kalay,Helmand,Afghanistan,1,More fighting.\n"
)
UCDP = (
    "id,date_start,type_of_violence,side_a,side_b,where_coordinates,adm_1,country,latitude,longitude,where_prec,best\n"
    "244657,2021-05-01,1,Government of Syria,Syrian insurgents,Saraqib town,Idlib,Syria,35.86,36.80,1,4\n"
)
HXL = (
    "Date,Province,Place,Country,Killed,Incident\n"
    "#date,#adm1+name,#loc+name,#country+name,#affected+killed,#event+id\n"
    "2021-05-01,Helmand,Lashkar Gah,Afghanistan,2,INC-9\n"
)
PARTNER = "day,site,region,nation,dead,uprooted,hh,armed_group,remarks,incident_no,staff\n" + (
    "2021-05-01,Lashkar Gah,Helmand,Afghanistan,4,,,Militia X,Shelling at dawn.,P-77,J. Doe\n"
)
PARTNER_OPTS = ["--date-col", "day", "--place-col", "site", "--country-col", "nation"]


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _props(path):
    return [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


@pytest.mark.parametrize(
    "name,text,want",
    [("acled.csv", ACLED, {"AFG123", "AFG124"}), ("ged.csv", UCDP, {"244657"}), ("hxl.csv", HXL, {"INC-9"})],
)
def test_source_id_from_acled_ucdp_hxl(tmp_path, name, text, want):
    events = events_from_files([_write(tmp_path, name, text)])
    assert set(events["source_id"]) == want


@pytest.mark.parametrize("suffix", ["geojson", "csv", "gpkg", "parquet"])
def test_source_id_in_every_export(tmp_path, suffix):
    table = _write(tmp_path, "acled.csv", ACLED)
    out = tmp_path / f"e.{suffix}"
    r = CliRunner().invoke(main, ["export", str(table), "-o", str(out)])
    assert r.exit_code == 0, r.output
    if suffix == "csv":
        ids = set(pd.read_csv(out, dtype=str)["source_id"])
    elif suffix == "parquet":
        ids = set(gpd.read_parquet(out)["source_id"])
    else:
        ids = set(gpd.read_file(out)["source_id"])
    assert ids == {"AFG123", "AFG124"}
    with open(tmp_path / "review.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["name"], r["source_id"]) for r in rows] == [("Nowhere Kalay", "AFG124")]


def test_source_id_in_kml(tmp_path):
    table = _write(tmp_path, "acled.csv", ACLED)
    r = CliRunner().invoke(main, ["extract", str(table), "-o", str(tmp_path / "e.kml")])
    assert r.exit_code == 0, r.output
    assert "AFG123" in (tmp_path / "e.kml").read_text(encoding="utf-8")


def test_any_column_named_on_the_command_line_and_the_note(tmp_path):
    table = _write(tmp_path, "partner.csv", PARTNER)
    out = tmp_path / "e.geojson"
    args = ["extract", str(table), "-o", str(out), *PARTNER_OPTS, "--fatalities-col", "dead"]
    args += ["--displaced-col", "uprooted", "--families-col", "hh", "--actor-col", "armed_group"]
    args += ["--notes-col", "remarks", "--id-col", "incident_no"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    (p,) = _props(out)
    assert (p["fatalities"], p["actor1"], p["source_text"], p["source_id"]) == (
        4,
        "Militia X",
        "Shelling at dawn.",
        "P-77",
    )
    notes = [ln for ln in r.output.splitlines() if ln.startswith("note: ") and "partner.csv" in ln]
    assert len(notes) == 1
    note = notes[0]
    for part in ("date <- day", "location <- site", "fatalities <- dead", "source_id <- incident_no"):
        assert part in note, note
    assert note.endswith("ignored: staff")


def test_without_naming_the_column_the_note_says_it_was_ignored(tmp_path):
    table = _write(tmp_path, "partner.csv", PARTNER)
    r = CliRunner().invoke(main, ["extract", str(table), "-o", str(tmp_path / "e.geojson"), *PARTNER_OPTS])
    assert r.exit_code == 0, r.output
    assert _props(tmp_path / "e.geojson")[0]["fatalities"] is None
    note = next(ln for ln in r.output.splitlines() if "partner.csv (generic)" in ln)
    ignored = note.split("ignored: ")[1].split(", ")
    assert {"dead", "uprooted", "hh", "armed_group", "remarks", "incident_no", "staff"} <= set(ignored)


@pytest.mark.parametrize(
    "name,content",
    [
        ("cols.json", json.dumps({"date": "day", "place": "site", "country": "nation", "fatalities": "dead"})),
        ("cols.csv", "key,column\ndate,day\nplace,site\ncountry,nation\nfatalities,dead\n"),
        ("cols.txt", "\ufeffdate;day\r\nplace;site\r\ncountry;nation\r\nfatalities-col;dead\r\n"),
    ],
)
def test_columns_file(tmp_path, name, content):
    table = _write(tmp_path, "partner.csv", PARTNER)
    cols = _write(tmp_path, name, content)
    out = tmp_path / "e.geojson"
    r = CliRunner().invoke(main, ["extract", str(table), "-o", str(out), "--columns", str(cols), "--id-col", "staff"])
    assert r.exit_code == 0, r.output
    (p,) = _props(out)
    assert (p["fatalities"], p["location_text"], p["source_id"]) == (4, "Lashkar Gah", "J. Doe")


def test_command_line_wins_over_the_columns_file(tmp_path):
    cols = _write(tmp_path, "c.json", '{"fatalities": "dead", "id": "incident_no"}')
    c = TableColumns.of(cols, fatalities="best", id=None)
    assert (c.fatalities, c.id) == ("best", "incident_no")
    assert c.named() == {"fatalities": "best", "row_id": "incident_no"}


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"deaths": "dead"}', "unknown key 'deaths'"),
        ('{"fatalities": 3}', "JSON object"),
        ("{not json", "not valid JSON"),
        ("fatalities,dead,extra\n", "need two fields"),
    ],
)
def test_bad_columns_file(tmp_path, content, message):
    cols = _write(tmp_path, "c.json", content)
    with pytest.raises(InputError, match=re.escape(message)):
        read_column_file(cols)


def test_a_named_column_that_is_missing_is_a_one_line_error(tmp_path):
    table = _write(tmp_path, "partner.csv", PARTNER)
    r = CliRunner().invoke(
        main, ["extract", str(table), "-o", str(tmp_path / "e.geojson"), *PARTNER_OPTS, "--id-col", "nope"]
    )
    assert r.exit_code == 2
    assert "--id-col: no column 'nope'" in r.output and "Traceback" not in r.output


def test_merged_duplicates_keep_every_source_id(tmp_path):
    a = _write(tmp_path, "acled.csv", ACLED)
    b = _write(
        tmp_path,
        "other.csv",
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,admin1,country,fatalities\n"
        "X9,2021-05-01,Battles,Armed clash,Taliban,Lashkar Gah,Helmand,Afghanistan,3\n",
    )
    events = events_from_files([a, b])
    merged = events[events["source"].str.contains(" | ", regex=False)]
    assert len(merged) == 1 and set(merged["source_id"].iloc[0].split(" | ")) == {"AFG123", "X9"}


def test_readme_lists_every_recognised_column_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Table columns", 1)[1].split("\n### ", 1)[0]
    missing = [n for names in ALIASES.values() for n in names if f"`{n}`" not in table]
    assert not missing, missing
