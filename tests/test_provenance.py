"""Provenance in shared files (issue 19): ``source`` names inputs relative to the working folder (never an
absolute path); mention overrides hold on the dask engine too."""

from __future__ import annotations

import csv
import json
import os

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.pipeline import events_from_files
from mapper.schema import source_label

REPORT = """date 2021-05-03
Clashes broke out in Idlib province on Saturday between armed groups, a monitor said.
On Monday, shelling hit several villages in Idlib province, wounding 3 people.
"""
TABLE = "event_id_cnty,event_date,event_type,location,admin1,country,fatalities\nSYR1,2021-05-01,Battles,Saraqib,Idlib,Syria,2\n"


def test_source_label(tmp_path):
    assert source_label("reports/a.txt") == "reports/a.txt"  # relative: as given
    assert source_label(tmp_path / "data" / "a.csv", cwd=tmp_path) == os.path.join("data", "a.csv")
    assert source_label(tmp_path / "a.csv", cwd=tmp_path / "work") == os.path.join("..", "a.csv")
    assert not os.path.isabs(source_label("/somewhere/else/a.csv"))


def test_no_absolute_path_in_any_shared_file(tmp_path, monkeypatch):
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    (work / "in" / "idlib.txt").write_text(REPORT, encoding="utf-8")
    (work / "in" / "acled.csv").write_text(TABLE, encoding="utf-8")
    monkeypatch.chdir(work)
    out = work / "out"
    # absolute paths given, a folder and a file
    r = CliRunner().invoke(main, ["map", str(work / "in"), "--out-dir", str(out), "--no-dedup"])
    assert r.exit_code == 0, r.output
    sources = {f["properties"]["source"] for f in json.loads((out / "events.geojson").read_text())["features"]}
    assert sources == {os.path.join("in", "idlib.txt"), os.path.join("in", "acled.csv") + "#row=2"}
    with open(out / "review.csv", encoding="utf-8") as fh:
        assert {row["source"] for row in csv.DictReader(fh)} == {os.path.join("in", "idlib.txt")}
    r = CliRunner().invoke(main, ["export", str(work / "in" / "acled.csv"), "-o", str(out / "e.csv")])
    assert r.exit_code == 0, r.output
    for name in ("events.geojson", "review.csv", "map.html", "e.csv"):
        assert str(tmp_path) not in (out / name).read_text(encoding="utf-8"), name


@pytest.mark.slow
def test_mention_overrides_on_the_dask_engine(tmp_path):
    import dask

    report = tmp_path / "idlib.txt"
    report.write_text(REPORT, encoding="utf-8")
    on_pandas = events_from_files([report])
    clash = on_pandas[on_pandas["category"] == "clash"].iloc[0]
    ov = tmp_path / "overrides.csv"
    ov.write_text(f"name,country,lat,lon,event_id\nIdlib province,SY,35.93,36.63,{clash.event_id}\n", encoding="utf-8")
    with dask.config.set(scheduler="synchronous"):
        lazy = events_from_files([report], overrides=ov, engine="dask").compute()
    moved = lazy.set_index("event_id")
    assert (moved.geometry[clash.event_id].x, moved.geometry[clash.event_id].y) == (36.63, 35.93)
    other = on_pandas[on_pandas["category"] != "clash"].iloc[0]
    assert moved.geometry[other.event_id].equals(other.geometry)
    assert moved.loc[other.event_id, "review"] == "province only"


def test_relabel_replaces_whole_paths_only_once():
    """Regression: '../../../tmp/x.csv' holds '/tmp/x.csv'; relabelling a frame already relabelled (or a
    merged source) must not nest the label into itself."""
    import pandas as pd

    from mapper.pipeline import _relabel

    labels = {"/tmp/x.csv": "../../../tmp/x.csv", "/tmp/a.txt": "../../../tmp/a.txt"}
    events = pd.DataFrame(
        {"source": ["/tmp/x.csv#row=2", "/tmp/a.txt | /tmp/x.csv#row=3 (AFP)", "../../../tmp/x.csv#row=4", "b.txt"]}
    )
    once = _relabel(events, labels)
    assert list(once["source"]) == [
        "../../../tmp/x.csv#row=2",
        "../../../tmp/a.txt | ../../../tmp/x.csv#row=3 (AFP)",
        "../../../tmp/x.csv#row=4",
        "b.txt",
    ]
    pd.testing.assert_frame_equal(_relabel(once, labels), once)
