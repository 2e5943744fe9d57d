"""The dask engine (scale-out issue): the same events as the pandas path, partitioned GeoParquet, aggregates."""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper import geo, geoparquet, scale
from mapper.cli import main
from mapper.errors import ExportError
from mapper.frame import is_dask
from mapper.inputs import find_inputs
from mapper.pipeline import events_from_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLACES = [
    ("Kabul", "Kabul", "Afghanistan"),
    ("Lashkar Gah", "Helmand", "Afghanistan"),
    ("Aleppo", "Aleppo", "Syria"),
    ("Goma", "North Kivu", "Democratic Republic of Congo"),
    ("Maiduguri", "Borno", "Nigeria"),
    ("Nowhereville", "", "Syria"),  # not found: the country's point, flagged for review
    ("Mosul", "Nineveh", "Iraq"),
]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots"]


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> Path:
    rng = random.Random(3)
    path = tmp_path_factory.mktemp("scale") / "acled.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["event_id_cnty", "event_date", "event_type", "actor1", "location", "admin1", "country", "fatalities"]
        )
        for i in range(1500):
            p = rng.choice(PLACES)
            day = f"2023-{rng.randint(1, 9):02d}-{rng.randint(10, 28)}"
            w.writerow([f"X{i}", day, rng.choice(TYPES), "Militia", *p, rng.choice(["", "0", str(rng.randint(1, 40))])])
    return path


@pytest.fixture(scope="module")
def client():
    with scale.dask_client(workers=2) as c:
        yield c


def _same(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    a = a.sort_values("event_id").reset_index(drop=True)
    b = b.sort_values("event_id").reset_index(drop=True)
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))
    missing = a.geometry.isna()
    assert (missing == b.geometry.isna()).all()
    assert a.geometry[~missing].geom_equals_exact(b.geometry[~missing], 0).all()


@pytest.mark.slow
def test_both_engines_give_identical_events(table, client):
    inputs = [table, EXAMPLES]
    on_pandas = geo.join_admin1(events_from_files(inputs, dedup=False))
    lazy = events_from_files(inputs, engine="dask")
    assert is_dask(lazy) and lazy.npartitions >= 2
    on_dask = geo.join_admin1(lazy).compute()
    _same(on_pandas, on_dask)
    assert on_dask["admin1_code"].notna().mean() > 0.8
    # provenance survives partitioning: row numbers are the file's, not the block's
    last = (
        on_dask[on_dask["source"].str.contains(table.name, regex=False)]["source"]
        .str.extract(r"#row=(\d+)")[0]
        .astype(int)
    )
    assert last.max() == 1501


def test_small_blocks_keep_file_row_numbers(table, client):
    many = scale.read_table_dask(table, blocksize=20_000)
    assert many.npartitions > 3
    _same(events_from_files([table], dedup=False), many.compute())


@pytest.mark.slow
def test_cli_export_partitioned_geoparquet(table, client, tmp_path):
    out = tmp_path / "events.parquet"
    r = CliRunner().invoke(main, ["export", "--engine", "dask", "--workers", "2", str(table), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.is_dir() and len(list(out.glob("*.parquet"))) >= 1
    back = gpd.read_parquet(out)
    assert len(back) == 1500 and back.crs.to_epsg() == 4326
    assert str(pq.read_schema(next(out.glob("part.*.parquet"))).field("event_date").type) == "date32[day]"
    single = tmp_path / "single.parquet"
    assert CliRunner().invoke(main, ["export", "--engine", "pandas", str(table), "-o", str(single)]).exit_code == 0
    ref = gpd.read_parquet(single)

    # both files hold date32; pandas reads one as Python dates, the other as Arrow dates
    def text_dates(df):
        return df.assign(**{c: [None if pd.isna(v) else str(v) for v in df[c]] for c in ("event_date", "report_date")})

    _same(text_dates(ref), text_dates(back.drop(columns="admin1_code")))
    # the review list is the pandas engine's (same rows), written beside the folder
    review = pd.read_csv(tmp_path / "review.csv")
    assert len(review) > 0 and set(review["name"]) == {"Nowhereville"}
    assert len(review) == int(ref["review"].notna().sum())
    # Hilbert-sorted partitions: each file covers a smaller area than the whole
    if len(list(out.glob("part.*.parquet"))) > 1:
        whole = shapely.box(*back.total_bounds).area
        parts = [gpd.read_parquet(p) for p in sorted(out.glob("part.*.parquet"))]
        assert min(shapely.box(*p.total_bounds).area for p in parts) < whole


@pytest.mark.slow
def test_geoparquet_files_are_hilbert_ranges(table, client, tmp_path):
    """Many files: in Hilbert order across files and within each, bbox metadata true, no row lost."""
    import json

    import dask_geopandas

    events = geo.join_admin1(events_from_files([table], dedup=False))
    events.loc[events.index[::50], "geometry"] = None  # places not found
    out = geoparquet.write_parquet(
        dask_geopandas.from_geopandas(events, npartitions=4), tmp_path / "ev", rows_per_file=300
    )
    parts = sorted(out.glob("part.*.parquet"), key=lambda p: int(p.name.split(".")[1]))
    assert len(parts) >= 4 and geoparquet.count_rows(out) == len(events)
    unlocated = gpd.read_parquet(out / "unlocated.parquet")
    assert len(unlocated) == 30 and unlocated.geometry.isna().all()
    dist = []
    for p in parts:
        part = gpd.read_parquet(p)
        assert 0 < len(part) <= 600
        bbox = json.loads(pq.read_schema(p).metadata[b"geo"])["columns"]["geometry"]["bbox"]
        assert np.allclose(bbox, part.total_bounds)
        dist += list(part.geometry.hilbert_distance(total_bounds=(-180, -90, 180, 90), level=16))
    assert dist == sorted(dist) and len(dist) == len(events) - 30
    back = geoparquet.read_parquet(out).compute()
    ref = events.assign(**{c: events[c].astype("string") for c in ("event_date", "report_date")})
    _same(ref[list(back.columns)], back)


@pytest.mark.slow
def test_aggregates_count_every_event(table, client):
    joined = geo.join_admin1(events_from_files([table], engine="dask"))
    admin, hexes = geo.aggregates(joined)
    events = events_from_files([table], dedup=False)
    fat = int(events["fatalities"].fillna(0).sum())
    assert int(hexes["events"].sum()) == len(events) and int(hexes["fatalities"].sum()) == fat
    assert int(admin["events"].sum()) <= len(events)  # points outside every polygon are not counted
    helmand = admin[admin["key"] == "AF.10"].iloc[0]
    ref = events[events["admin1"] == "Helmand"]
    assert helmand["events"] == len(ref)
    # hexagons contain the points counted in them
    pts = events.geometry[events.geometry.notna()]
    cells = geo.hex_cells(pts.x.to_numpy(), pts.y.to_numpy())
    by_id = dict(zip(hexes["hex"], hexes.geometry, strict=True))
    assert all(by_id[c].buffer(1e-9).contains(p) for c, p in zip(cells, pts, strict=True))


@settings(max_examples=200, deadline=None)
@given(
    lon=st.floats(-180, 180, allow_nan=False),
    lat=st.floats(-85, 85, allow_nan=False),
    size=st.sampled_from([0.1, 0.5, 2.0]),
)
def test_hex_cell_polygon_contains_its_point(lon, lat, size):
    cell = geo.hex_cells(np.array([lon]), np.array([lat]), size)
    poly = geo.hex_polygons(cell, size)[0]
    assert poly.buffer(1e-7).contains(shapely.Point(lon, lat))
    assert geo.hex_cells(np.array([np.nan]), np.array([lat]))[0] == -1


@pytest.mark.slow
def test_map_of_a_dask_input(table, client, tmp_path):
    r = CliRunner().invoke(main, ["map", "--engine", "dask", "--workers", "2", str(table), "--out-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    html = (tmp_path / "map.html").read_text()
    assert "Events per hexagon" in html and "Fatalities by province" in html
    assert (tmp_path / "events.parquet").is_dir() and (tmp_path / "events-sample.geojson").exists()
    assert len(gpd.read_parquet(tmp_path / "events.parquet")) == 1500
    assert "Nowhereville" in (tmp_path / "review.csv").read_text()


@pytest.mark.slow
def test_python_api_same_names_on_dask(table, client, tmp_path):
    """read_table / read_reports / to_file / make_map take engine="dask" or a dask frame and do the same job."""
    import mapper

    lazy = mapper.read_table(table, engine="dask")
    assert is_dask(lazy)
    _same(mapper.read_table(table), lazy.compute())
    reports = mapper.read_reports(EXAMPLES, engine="dask")
    assert is_dask(reports)
    _same(mapper.read_reports(EXAMPLES), reports.compute())

    folder = mapper.to_file(lazy, tmp_path / "events.parquet")  # a folder of Hilbert-sorted files
    assert folder.is_dir() and geoparquet.count_rows(folder) == 1500
    single = mapper.to_file(lazy, tmp_path / "events.gpkg")  # single-file formats are computed here
    assert pyogrio.read_info(single, layer="events")["features"] == 1500

    m = mapper.make_map(geoparquet.read_parquet(folder), title="Big")
    html = mapper.map_html(m)
    assert "Events per hexagon" in html and "1,500 of 1,500 events drawn" in html


@pytest.mark.slow
def test_cli_on_an_existing_scheduler(table, client, tmp_path):
    """--scheduler ADDRESS runs the job on that cluster (here the fixture's) with the same result."""
    out = tmp_path / "events.parquet"
    args = ["export", "--scheduler", client.scheduler.address, str(table), "-o", str(out), "--no-progress"]
    old = os.umask(0o022)
    try:
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, r.output
        assert geoparquet.count_rows(out) == 1500
        assert out.stat().st_mode & 0o777 == 0o755  # the umask's mode, not mkdtemp's 0700
        # regression: the dask engine refused to overwrite its own previous output (a folder)
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, r.output
    finally:
        os.umask(old)
    assert geoparquet.count_rows(out) == 1500
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet", "review.csv"]


def test_unreachable_scheduler_is_a_clear_error(table, tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "SCHEDULER_TIMEOUT", "1s")
    args = ["export", "--scheduler", "tcp://127.0.0.1:9", str(table), "-o", str(tmp_path / "e.parquet")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code != 0 and "cannot reach the dask scheduler at tcp://127.0.0.1:9" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "e.parquet").exists()


@pytest.mark.slow
def test_unwritable_output_is_a_clear_error(table, client, tmp_path):
    """No traceback and nothing half-written: the previous output stays as it was."""
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    args = ["export", "--engine", "dask", "--workers", "2", str(table), "-o", str(blocked / "events.parquet")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code != 0 and "cannot write" in r.output and "Traceback" not in r.output
    out = tmp_path / "events.parquet"
    geoparquet.write_parquet(scale.read_table_dask(table), out)
    before = sorted(p.name for p in out.iterdir())

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geoparquet, "_concat_files", broken)
        with pytest.raises(ExportError, match="cannot write"):
            geoparquet.write_parquet(scale.read_table_dask(table), out)
    assert sorted(p.name for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_engine_choice_and_errors(table, tmp_path):
    assert scale.choose_engine("auto", find_inputs([table])) == "pandas"  # a small file stays on pandas
    assert scale.choose_engine("dask", find_inputs([table])) == "dask"
    r = CliRunner().invoke(
        main, ["export", "--engine", "pandas", "--scheduler", "tcp://x:1", str(table), "-o", "x.geojson"]
    )
    assert r.exit_code == 2 and "--scheduler needs --engine dask" in r.output
    xlsx = tmp_path / "t.xlsx"
    xlsx.write_bytes(b"x")
    with pytest.raises(Exception, match="dask engine reads CSV/TSV"):
        scale.read_table_dask(xlsx)
