"""Event tables in: ACLED, UCDP GED, HXL and named columns; CSV, Excel, JSON, GeoJSON; merge and dedup."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import mapper
from mapper.cli import main
from mapper.errors import InputError, LimitError
from mapper.pipeline import TableColumns

ACLED_CSV = """event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities
AFG1,12 October 2020,2020,Battles,Armed clash,Taliban,Military Forces of Afghanistan,Afghanistan,Helmand,Lashkar Gah,Lashkar Gah,31.5938,64.3716,2,Pajhwok,Fighting on the edge of the city.,7
AFG2,13 October 2020,2020,Explosions/Remote violence,Air/drone strike,Military Forces of Afghanistan,Taliban,Afghanistan,Helmand,Nad Ali,Nad Ali,,,,Tolo,Air strikes reported by the army.,
AFG3,2020-10-14,2020,Protests,Peaceful protest,Protesters,,Afghanistan,Kabul,,Kabul,,,,Ariana,Residents protested.,0
"""

UCDP_CSV = """id,year,type_of_violence,side_a,side_b,where_coordinates,adm_1,adm_2,latitude,longitude,where_prec,country,date_start,date_end,best,source_article
401,2022,1,Government of Ukraine,Government of Russia (Soviet Union),Bakhmut town,Donetsk oblast,,48.5956,38.0004,1,Ukraine,2022-08-01,2022-08-01,12,Agency report
402,2022,3,Government of Russia (Soviet Union),Civilians,Kharkiv city,Kharkiv oblast,,,,1,Ukraine,2022-08-02,2022-08-02,3,Agency report
"""

HXL_CSV = """Date,Province,District,Village,IDPs
#date,#adm1+name,#adm2+name,#loc+name,#affected+idps
2021-03-30,Cabo Delgado,,Pemba,4500
2021-03-31,Cabo Delgado,,Mueda,1200
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_acled_csv(tmp_path):
    gdf = mapper.read_table(write(tmp_path, "acled.csv", ACLED_CSV))
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3
    a, b, c = (gdf[gdf.source.str.contains(f"row={n}")].iloc[0] for n in (2, 3, 4))
    # a row with coordinates keeps them, and its own precision
    assert (round(a.geometry.x, 4), round(a.geometry.y, 4)) == (64.3716, 31.5938)
    assert (a.category, a.sub_event_type, a.geo_precision, a.fatalities, a.event_date) == (
        "clash",
        "Armed clash",
        2,
        7,
        "2020-10-12",
    )
    assert a.actor1 == "Taliban" and a.source_text == "Fighting on the edge of the city." and "Pajhwok" in a.source
    # a row without coordinates is geocoded from its place, with admin1 and country as context
    assert b.category == "strike" and b.country_code == "AF"
    assert b.review is not None or b.geo_precision in (1, 2, 3)
    assert c.category == "unrest" and c.place_id == "geonames:1138958" and c.geo_precision == 1
    assert c.fatalities == 0  # zero stays zero, an empty cell stays null
    assert b.fatalities is None or str(b.fatalities) == "<NA>"


def test_ucdp_ged(tmp_path):
    gdf = mapper.read_table(write(tmp_path, "ged.csv", UCDP_CSV)).sort_values("source")
    first, second = gdf.iloc[0], gdf.iloc[1]
    assert (first.category, first.event_type, first.fatalities) == ("clash", "Battles", 12)
    assert round(first.geometry.y, 3) == 48.596
    assert second.category == "attack" and second.place_id == "geonames:706483"  # "Kharkiv city" -> Kharkiv
    assert second.actor2 == "Civilians"


def test_hxl_displacement_table(tmp_path):
    gdf = mapper.read_table(write(tmp_path, "idps.csv", HXL_CSV))
    assert list(gdf.category) == ["displacement", "displacement"]
    assert list(gdf.displaced_people) == [4500, 1200]
    assert gdf.iloc[0].place_id == "geonames:1028918"  # Pemba in Cabo Delgado, not Pemba in Tanzania
    assert gdf.iloc[0].source.endswith("#row=3")  # the hashtag row is line 2


def test_named_columns_excel_and_json(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Town", "Nation", "When", "What", "Killed"])
    ws.append(["Mosul", "Iraq", "2017-07-01", "clash", 5])
    ws.append(["Raqqa", "Syria", "2017-07-02", "strike", None])
    xlsx = tmp_path / "partner.xlsx"
    wb.save(xlsx)
    cols = TableColumns(place="Town", country="Nation", date="When", category="What")
    gdf = mapper.read_table(xlsx, columns=cols)
    assert list(gdf.place_id) == ["geonames:99072", "geonames:172955"]
    assert list(gdf.category) == ["clash", "strike"] and gdf.iloc[0].fatalities == 5

    rows = [{"location": "Aleppo", "country": "Syria", "event_date": "2016-12-01", "event_type": "Battles"}]
    j = write(tmp_path, "api.json", json.dumps({"success": True, "data": rows}))
    assert mapper.read_table(j).iloc[0].place_id == "geonames:170063"


def test_geojson_table_keeps_geometry(tmp_path):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [44.2, 15.35]},
                "properties": {"event_date": "2015-03-26", "event_type": "Explosions/Remote violence", "location": "x"},
            }
        ],
    }
    gdf = mapper.read_table(write(tmp_path, "t.geojson", json.dumps(fc)))
    assert (gdf.iloc[0].geometry.x, gdf.iloc[0].geometry.y) == (44.2, 15.35) and gdf.iloc[0].category == "strike"


def test_each_distinct_place_is_geocoded_once(tmp_path, monkeypatch):
    from gazetteer import Gazetteer

    calls = []
    real = Gazetteer.search

    def counting(self, name, *a, **k):
        calls.append(name)
        return real(self, name, *a, **k)

    rows = "event_date,location,country,event_type\n" + "2020-01-01,Aleppo,Syria,Battles\n" * 500
    monkeypatch.setattr(Gazetteer, "search", counting)
    gdf = mapper.read_table(write(tmp_path, "many.csv", rows))
    assert len(gdf) == 500 and calls.count("Aleppo") == 1


@pytest.mark.parametrize(
    "text,message",
    [
        ('event_date,location\n2020-01-01,"Kabul\n', r"many.csv(:\d+)?: malformed CSV"),
        ("event_date,location\n2020-01-01,Kabul,extra,cells\n", r"many.csv:\d+: malformed CSV"),
        ("event_date,location\nyesterday,Kabul\n", r"many.csv:2: 'yesterday' is not a date"),
        ("event_date,location,fatalities\n2020-01-01,Kabul,many\n", r"many.csv:2: fatalities 'many' is not a number"),
        (
            "event_date,location,latitude,longitude\n2020-01-01,Kabul,95,10\n",
            r"many.csv:2: coordinates 95.* out of range",
        ),
        ("event_date,location,category\n2020-01-01,Kabul,wedding\n", r"many.csv:2: unknown category 'wedding'"),
        ("when,what\n2020-01-01,x\n", r"many.csv: no date column"),
        ("event_date,what\n2020-01-01,x\n", r"many.csv: no place or coordinate columns"),
        ("", r"many.csv: the table is empty"),
    ],
)
def test_bad_tables_give_one_clear_error(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        mapper.read_table(write(tmp_path, "many.csv", text))


def test_bad_tables_at_the_cli(tmp_path):
    bad = write(tmp_path, "bad.csv", "event_date,location\n2020-01-01,Kabul,extra\n")
    out = tmp_path / "out" / "e.gpkg"
    r = CliRunner().invoke(main, ["export", str(bad), "-o", str(out)])
    assert r.exit_code == 2 and r.output.startswith("mapper: error: ") and "Traceback" not in r.output
    assert not out.parent.exists() or not any(out.parent.iterdir())
    latin = tmp_path / "latin.csv"
    latin.write_bytes("event_date,location\n2020-01-01,Bogot\xe1\n".encode("latin-1"))
    r = CliRunner().invoke(main, ["export", str(latin), "-o", str(out)])
    assert r.exit_code == 2 and "not UTF-8" in r.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    r = CliRunner().invoke(main, ["export", str(broken), "-o", str(out)])
    assert r.exit_code == 2 and "not a readable Excel workbook" in r.output
    good = write(tmp_path, "good.csv", "event_date,location\n2020-01-01,Kabul\n")
    r = CliRunner().invoke(main, ["export", str(good), "-o", str(out), "--place-col", "nope"])
    assert r.exit_code == 2 and "--place-col: no column 'nope'" in r.output


def test_reports_and_tables_merge_duplicates(tmp_path):
    report = write(
        tmp_path,
        "r.txt",
        "date 2020-10-13\nTaliban fighters clashed with Afghan forces in Lashkar Gah on Monday, killing seven people.\n",
    )
    table = write(
        tmp_path,
        "t.csv",
        "event_date,event_type,actor1,location,country,fatalities,notes\n"
        "2020-10-12,Battles,Taliban,Lashkar Gah,Afghanistan,7,Clash in the city.\n"
        "2020-10-12,Battles,Taliban,Kabul,Afghanistan,2,Another clash.\n",
    )
    both = mapper.events_from_files([report, table])
    clashes = both[both.location.str.startswith("Lashkar")]
    assert len(clashes) == 1
    merged = clashes.iloc[0]
    assert "r.txt" in merged.source and "t.csv#row=2" in merged.source and " | " in merged.source
    assert "Clash in the city." in merged.source_text and "killing seven" in merged.source_text
    assert len(both[both.location == "Kabul"]) == 1
    apart = mapper.events_from_files([report, table], dedup=False)
    assert len(apart[apart.location.str.startswith("Lashkar")]) == 2
    r = CliRunner().invoke(main, ["export", str(report), str(table), "-o", str(tmp_path / "o.geojson"), "--no-dedup"])
    assert r.exit_code == 0, r.output
    assert len(json.loads((tmp_path / "o.geojson").read_text())["features"]) == len(apart)


def test_rows_of_one_table_are_never_merged(tmp_path):
    table = write(
        tmp_path,
        "t.csv",
        "event_date,event_type,location,country\n2020-10-12,Battles,Kabul,Afghanistan\n2020-10-12,Battles,Kabul,Afghanistan\n",
    )
    assert len(mapper.events_from_files([table])) == 2


def test_spelling_guess_is_flagged_for_review(tmp_path):
    """A place found only by its consonants ("Bakhmoot") is placed, and the row says it was a guess."""
    csv = "event_date,event_type,location,country\n2023-01-10,Battles,Bakhmoot,Ukraine\n"
    row = mapper.read_table(write(tmp_path, "t.csv", csv)).iloc[0]
    assert row.place_id == "geonames:713174"
    assert row.review.startswith("spelling guess: Bakhmoot read as Bakhmut")


# -- coordinates as text (issue 16) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,axis,value",
    [
        ("34.5", "lat", 34.5),
        ("-64.37", "lon", -64.37),
        ("34,5", "lat", 34.5),
        ("34.5 N", "lat", 34.5),
        ("34.5N", "lat", 34.5),
        ("S 12.25", "lat", -12.25),
        ("64.3 W", "lon", -64.3),
        ("34°20′N", "lat", 34 + 20 / 60),
        ("34°20'30\"N", "lat", 34 + 20 / 60 + 30 / 3600),
        ("34° 20′ 30″ S", "lat", -(34 + 20 / 60 + 30 / 3600)),
        ("34 20 30 N", "lat", 34 + 20 / 60 + 30 / 3600),
        ("64°22.5'E", "lon", 64.375),
        ("-34°20′", "lat", -(34 + 20 / 60)),
    ],
)
def test_coordinates_written_as_text_are_read(text, axis, value):
    from mapper.tables import parse_coordinate

    assert parse_coordinate(text, axis) == pytest.approx(value)


@pytest.mark.parametrize(
    "text,axis",
    [
        ("34 E", "lat"),
        ("64 N", "lon"),
        ("34°75′N", "lat"),
        ("north", "lat"),
        ("-34 S", "lat"),
        ("34.5.6", "lat"),
        ("", "lat"),
    ],
)
def test_text_that_is_no_coordinate_is_not_read(text, axis):
    from mapper.tables import parse_coordinate

    assert parse_coordinate(text, axis) is None


def test_unreadable_coordinates_are_flagged_not_silently_geocoded(tmp_path):
    csv = (
        "event_date,event_type,location,country,latitude,longitude\n"
        '2020-10-12,Battles,Lashkar Gah,Afghanistan,31°35′38″N,"64,3716"\n'
        "2020-10-12,Battles,Kabul,Afghanistan,near the river,69.17\n"
        "2020-10-12,Battles,Kabul,Afghanistan,34.5,\n"
    )
    gdf = mapper.read_table(write(tmp_path, "t.csv", csv)).sort_values("source")
    dms, words, half = gdf.iloc[0], gdf.iloc[1], gdf.iloc[2]
    assert (round(dms.geometry.y, 4), round(dms.geometry.x, 4)) == (31.5939, 64.3716) and pd.isna(dms.review)
    assert words.review.startswith("unreadable coordinates 'near the river', '69.17'; placed by name")
    assert words.place_id == "geonames:1138958"  # still placed, by its name, and flagged
    assert half.review.startswith("unreadable coordinates '34.5', ''")


# -- limits and unreadable inputs (issue 16): one line, its exit code, never 70 ---------------------


def run_cli(path: Path, tmp_path: Path):
    r = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "out" / "e.geojson")])
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1, r.output
    assert not (tmp_path / "out" / "e.geojson").exists()
    return r


def test_xlsx_zip_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    import zipfile

    from mapper import tables

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * 20_000_000 + b"</row>")  # 20 MB -> 20 KB
    monkeypatch.setattr(tables, "MAX_XLSX_UNCOMPRESSED", 10_000_000)
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(LimitError, match=r"bomb.xlsx: the workbook unpacks to 0.0 GB, over the 0 GB limit"):
        tables.read_table_file(bomb)
    assert not opened
    r = run_cli(bomb, tmp_path)
    assert r.exit_code == 5 and "unpacks to" in r.output


def test_xlsx_rows_times_columns_cap(tmp_path, monkeypatch):
    import openpyxl

    from mapper import tables

    wb = openpyxl.Workbook()
    for i in range(50):
        wb.active.append(["2020-01-01", "Kabul", i])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    monkeypatch.setattr(tables, "MAX_CELLS", 100)
    with pytest.raises(LimitError, match="over the Excel table limit of 100 cells"):
        tables.read_table_file(path)


def test_xlsx_dates_and_numbers_read_as_written(tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["event_date", "location", "country", "fatalities"])
    wb.active.append([dt.datetime(2017, 7, 1), "Mosul", "Iraq", 5.0])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    row = mapper.read_table(path).iloc[0]
    assert row.event_date == "2017-07-01" and row.fatalities == 5


def test_absurd_csv_header_is_refused_early(tmp_path):
    import time

    from mapper.errors import LimitError

    many = write(tmp_path, "wide.csv", ",".join(["a"] * 100_000) + "\n" + ",".join(["1"] * 100_000) + "\n")
    t = time.perf_counter()
    with pytest.raises(LimitError, match=r"wide.csv: 100,000 columns is over the 2,000-column table limit"):
        mapper.read_table(many)
    assert time.perf_counter() - t < 5
    assert run_cli(many, tmp_path).exit_code == 5
    dup = write(tmp_path, "dup.csv", "event_date,location,location\n2020-01-01,Kabul,Kabul\n")
    with pytest.raises(InputError, match=r"dup.csv: duplicate column names 'location'"):
        mapper.read_table(dup)


def test_deeply_nested_json_is_refused_before_parsing(tmp_path, monkeypatch):
    import json as json_module

    deep = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    parsed = []
    monkeypatch.setattr(json_module, "loads", lambda *a, **k: parsed.append(1))
    with pytest.raises(LimitError, match=r"deep.json: JSON nested 100,000 levels deep, over the limit of 64"):
        mapper.read_table(deep)
    assert not parsed
    monkeypatch.undo()
    assert run_cli(deep, tmp_path).exit_code == 5
    # brackets inside strings do not count
    from mapper.tables import json_depth

    assert json_depth('{"a": "[[[[{{{{", "b": [1, {"c": "\\"]]]"}]}') == 3


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00x", "\\ud83d\\ude00 then \\ud800"])
def test_lone_surrogate_escapes_in_json_are_a_clear_error(tmp_path, escape):
    rows = f'[{{"event_date": "2020-01-01", "location": "Kabul", "notes": "{escape}"}}]'
    path = write(tmp_path, "s.json", rows)
    with pytest.raises(InputError, match=r"s.json:1: \\ud[8c]00 is half of a UTF-16 surrogate pair"):
        mapper.read_table(path)
    assert run_cli(path, tmp_path).exit_code == 2
    gj = write(
        tmp_path,
        "s.geojson",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"geometry": null, "properties": {"location": "\\udfff", "event_date": "2020-01-01"}}]}',
    )
    assert run_cli(gj, tmp_path).exit_code == 2


def test_a_valid_surrogate_pair_is_a_character(tmp_path):
    path = write(tmp_path, "ok.json", '[{"event_date": "2020-01-01", "location": "Kabul", "notes": "\\ud83d\\ude00"}]')
    assert mapper.read_table(path).iloc[0].source_text == "\U0001f600"


def test_unreadable_csv_is_exit_2_like_an_unreadable_report(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.csv", "event_date,location\n2020-01-01,Kabul\n")
    real = Path.read_bytes

    def denied(self):
        if self.name == "locked.csv":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match=r"locked.csv: cannot read \(Permission denied\)"):
        mapper.read_table(path)
    r = run_cli(path, tmp_path)
    assert r.exit_code == 2 and "cannot read (Permission denied)" in r.output


# -- one of each: sniffer, HXL detector, dates, vocabulary ------------------------------------------


def test_one_sniffer_and_one_hashtag_detector():
    from mapper.tables import is_hashtag_row, sniff_separator

    assert sniff_separator("a;b;c\n1;2;3\n") == ";" and sniff_separator("a,b\n1,2\n") == ","
    assert sniff_separator("a,b\n", ".tsv") == "\t" and sniff_separator("") == ","
    assert is_hashtag_row(["#date", "#adm1+name", ""]) and not is_hashtag_row(["2020-01-01", "#hash", "x", "y"])


def test_dates_become_the_one_date_type():
    import datetime as dt

    import pyarrow as pa

    from mapper.tables import DATE_TYPE, date_column

    col = date_column(["12 October 2020", "2020-10-13", "", "1602460800"], dt.date(2020, 1, 1), "t.csv")
    assert col.dtype == DATE_TYPE and DATE_TYPE.pyarrow_dtype == pa.date32()
    assert [str(d) for d in col] == ["2020-10-12", "2020-10-13", "2020-01-01", "2020-10-12"]
    with pytest.raises(InputError, match=r"t.csv:3: 'soon' is not a date"):
        date_column(["2020-01-01", "soon"], None, "t.csv")
    with pytest.raises(InputError, match=r"t.csv:2: the date is empty"):
        date_column([""], None, "t.csv")


def test_acled_vocabulary_is_data_and_agrees_with_the_extractor():
    from mapper.lexicon import TRIGGERS
    from mapper.tables import SUB_EVENT_CATEGORY, TYPE_CATEGORY, acled_category

    assert acled_category("Battles", "Armed clash") == "clash" and acled_category("Protests", None) == "unrest"
    assert acled_category("Shelling reported", None) == "strike" and acled_category("Meeting", None) == "other"
    # the extractor's triggers name ACLED types: the table's data file gives each the same category
    for t in TRIGGERS:
        assert SUB_EVENT_CATEGORY[t.sub_event_type.lower()] == t.category, t.sub_event_type
        if t.event_type.lower() in TYPE_CATEGORY:
            assert TYPE_CATEGORY[t.event_type.lower()] == t.category, t.event_type


def test_household_sizes_are_data():
    from mapper.households import HOUSEHOLD_SIZE, household_size

    assert HOUSEHOLD_SIZE["AF"] == 7.4 and household_size("af") == 7.4 and household_size("ZZ") == 5.0
    assert len(HOUSEHOLD_SIZE) >= 29


# -- located rows: one spatial query, the same answers as one query per row -------------------------


def test_nearest_places_matches_the_one_point_query(gazetteer):
    import numpy as np

    from gazetteer.nearest import nearest_places

    rng = np.random.default_rng(3)
    lat = np.concatenate([rng.uniform(-50, 70, 150), [31.5938, 64.9, 0.0, 89.9]])
    lon = np.concatenate([rng.uniform(-120, 150, 150), [64.3716, 25.5, -150.0, 10.0]])
    got = nearest_places(gazetteer, lat, lon, within_deg=0.5)
    want = [gazetteer.nearest(a, o, within_deg=0.5) for a, o in zip(lat, lon, strict=True)]
    assert [p and p.place_id for p in got] == [p and p.place_id for p in want]
    assert sum(p is not None for p in got) > 20 and got[150].name.startswith("Lashkar")


def test_located_rows_get_their_admin1_from_the_polygon(tmp_path):
    csv = (
        "event_date,event_type,country,latitude,longitude\n"
        "2020-10-12,Battles,Afghanistan,31.5938,64.3716\n"
        "2020-10-12,Battles,,0.0,-150.0\n"
        "2020-10-12,Battles,,31.5938,64.3716\n"
    )
    gdf = mapper.read_table(write(tmp_path, "xy.csv", csv)).sort_values("source")
    named, sea, bare = gdf.iloc[0], gdf.iloc[1], gdf.iloc[2]
    assert (named.admin1, named.country_code, named.location, named.geo_precision) == (
        "Helmand",
        "AF",
        "Afghanistan",
        1,
    )
    assert (bare.admin1, bare.country_code, bare.location) == ("Helmand", "AF", "Lashkar Gāh")
    assert pd.isna(named.place_id) and pd.isna(bare.place_id)  # the row's own point, not a record's
    assert pd.isna(sea.admin1) and pd.isna(sea.location)  # open sea: nothing to fill, the point kept
    assert (sea.geometry.x, sea.geometry.y) == (-150.0, 0.0)


def test_factorize_rows_gives_each_distinct_row_once():
    import numpy as np

    from mapper.tables import factorize_rows

    a = np.array(["x", "y", "x", "x", None], dtype=object)
    b = np.array(["1", "1", "1", "2", ""], dtype=object)
    codes, rows = factorize_rows(a, b)
    assert codes.tolist() == [0, 1, 0, 2, 3] and rows[:3] == [("x", "1"), ("y", "1"), ("x", "2")]
    assert pd.isna(rows[3][0]) and rows[3][1] == ""  # a missing cell is one value of its own
