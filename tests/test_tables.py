"""Event tables in: ACLED, UCDP GED, HXL and named columns; CSV, Excel, JSON, GeoJSON; merge and dedup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import mapper
from mapper.cli import main
from mapper.errors import InputError
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
