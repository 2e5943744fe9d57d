"""The review loop: an unknown village shows in review.csv; an override settles it on the next run."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from mapper.cli import main
from mapper.review import COLUMNS

REPORT = """date 2021-05-02
Air strikes hit Qala-e Gaz village in Helmand province on Sunday, killing 12 people, officials said.
Clashes continued in Lashkar Gah.
"""


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _features(path):
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_unknown_village_reviewed_overridden_and_placed(tmp_path):
    report = tmp_path / "helmand.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "outputs"

    r = CliRunner().invoke(main, ["map", str(report), "--out-dir", str(out)])
    assert r.exit_code == 0, r.output
    rows = _rows(out / "review.csv")
    assert list(rows[0]) == COLUMNS
    village = [x for x in rows if x["name"] == "Qala-e Gaz"]
    assert len(village) == 1 and village[0]["reason"] == "not found: Qala-e Gaz"
    assert village[0]["country"] == "AF" and village[0]["chosen_location"] == "Helmand"
    assert "Air strikes hit Qala-e Gaz" in village[0]["sentence"]
    strike = next(f for f in _features(out / "events.geojson") if f["properties"]["category"] == "strike")
    assert strike["properties"]["geo_precision"] == 3 and strike["properties"]["review"] == "not found: Qala-e Gaz"

    # the analyst fills in the point and saves the review list as overrides.csv beside it
    for x in rows:
        if x["name"] == "Qala-e Gaz":
            x["lat"], x["lon"], x["kind"] = "31.41", "64.05", "village"
    with open(out / "overrides.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)

    r = CliRunner().invoke(main, ["map", str(report), "--out-dir", str(out)])
    assert r.exit_code == 0, r.output
    assert "using overrides from" in r.output
    strike = next(f for f in _features(out / "events.geojson") if f["properties"]["category"] == "strike")
    p = strike["properties"]
    assert (p["location"], p["place_id"], p["geo_precision"], p["review"]) == (
        "Qala-e Gaz",
        "override:AF:qalaegaz",
        1,
        None,
    )
    assert strike["geometry"]["coordinates"] == [64.05, 31.41]
    assert p["admin1"] == "Helmand" and p["fatalities"] == 12
    assert not [x for x in _rows(out / "review.csv") if x["name"] == "Qala-e Gaz"]


def test_table_rows_not_found_are_reviewed_and_settled(tmp_path):
    table = tmp_path / "partner.csv"
    table.write_text(
        "date,village,province,country,idps\n2021-04-01,Nowhere Kalay,Helmand,Afghanistan,300\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["export", str(table), "-o", str(out / "e.geojson")])
    assert r.exit_code == 0, r.output
    rows = _rows(out / "review.csv")
    assert [(x["name"], x["reason"]) for x in rows] == [("Nowhere Kalay", "not found: Nowhere Kalay")]
    (out / "overrides.csv").write_text("name,country,lat,lon\nNowhere Kalay,AF,31.2,64.1\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["export", str(table), "-o", str(out / "e.geojson")])
    assert r.exit_code == 0, r.output
    f = _features(out / "e.geojson")[0]
    assert f["geometry"]["coordinates"] == [64.1, 31.2] and f["properties"]["review"] is None
    assert f["properties"]["category"] == "displacement" and f["properties"]["displaced_people"] == 300
    assert _rows(out / "review.csv") == []
