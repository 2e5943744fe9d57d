"""Every export format read back with GDAL (pyogrio): same rows, values and sensible types."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas
import jsonschema
import pandas as pd
import pyarrow.parquet
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry.base import BaseGeometry

import mapper
from mapper.cli import main
from mapper.errors import ExportError
from mapper.schema import CATEGORIES, FIELDS

ROOT = Path(__file__).resolve().parent.parent

TABLE = """event_date,event_type,sub_event_type,actor1,location,country,latitude,longitude,fatalities,notes
2020-10-12,Battles,Armed clash,Taliban,Lashkar Gah,Afghanistan,31.5938,64.3716,7,"Clash, with ""quotes"" & <b>tags</b>"
2020-10-13,Explosions/Remote violence,Air/drone strike,,Kandahar,Afghanistan,,,,=HYPERLINK("http://x")
2020-10-14,Protests,Peaceful protest,,Kabul,Afghanistan,,,0,Residents protested.
2020-10-15,Battles,Armed clash,,Qwxzyville,Afghanistan,,,,Unknown village: placed on the country.
2020-10-16,Battles,Armed clash,,Nowhereburg,,,,,Unknown village in no known country: no point.
"""

# RFC 7946 FeatureCollection of Point features (or null geometry), no "crs" member
RFC7946 = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "geometry": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "Point"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 2,
                                        "maxItems": 3,
                                        "prefixItems": [
                                            {"type": "number", "minimum": -180, "maximum": 180},
                                            {"type": "number", "minimum": -90, "maximum": 90},
                                        ],
                                    },
                                },
                            },
                        ]
                    },
                    "properties": {"type": ["object", "null"]},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    d = tmp_path_factory.mktemp("in")
    table = d / "t.csv"
    table.write_text(TABLE, encoding="utf-8")
    gdf = mapper.events_from_files([table, ROOT / "examples"])
    assert len(gdf) > 10 and gdf.geometry.isna().sum() == 1  # Nowhereburg has no point yet
    q = gdf[gdf.location_text == "Qwxzyville"].iloc[0]
    assert (q.review, q.geo_precision, q.location) == ("not found: Qwxzyville", 3, "Afghanistan")
    return gdf


def _by_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("event_id").sort_index()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv", ".parquet"])
def test_round_trip_values_and_types(events, tmp_path, suffix):
    path = mapper.to_file(events, tmp_path / f"events{suffix}")
    if suffix == ".csv":
        back = pyogrio.read_dataframe(path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat", KEEP_GEOM_COLUMNS="NO")
    elif suffix == ".parquet":  # pyogrio's bundled GDAL has no Parquet driver: read it with pyarrow
        back = geopandas.read_parquet(path)
    else:
        back = pyogrio.read_dataframe(path)
    assert len(back) == len(events)
    if suffix != ".csv":
        assert back.crs.to_epsg() == 4326
    assert [c for c in back.columns if c in FIELDS] == [c for c in FIELDS if c in back.columns]
    a, b = _by_id(events), _by_id(back)
    assert list(a.index) == list(b.index)
    for col in ("category", "location", "place_id", "source"):
        assert a[col].fillna("").tolist() == b[col].fillna("").astype(str).tolist(), col
    fat_in = a["fatalities"].astype("Float64").tolist()
    fat_out = pd.to_numeric(b["fatalities"]).astype("Float64").tolist()
    assert [None if pd.isna(x) else x for x in fat_in] == [None if pd.isna(x) else x for x in fat_out]
    for (_, ra), (_, rb) in zip(a.iterrows(), b.iterrows(), strict=True):
        if ra.geometry is None:
            assert not isinstance(rb.geometry, BaseGeometry) or rb.geometry.is_empty
        else:
            assert ra.geometry.distance(rb.geometry) < 1e-6
    if suffix == ".parquet":
        schema = pyarrow.parquet.read_schema(path)
        types = {f.name: {"date32[day]": "datetime64[D]"}.get(str(f.type), str(f.type)) for f in schema}
        assert b"geo" in (schema.metadata or {})  # GeoParquet metadata
    else:
        info = pyogrio.read_info(path)
        types = dict(zip(info["fields"], info["dtypes"], strict=False))
    if suffix in (".gpkg", ".parquet"):
        assert types["event_date"].startswith("datetime64") and types["report_date"].startswith("datetime64")
        assert types["fatalities"] == "int64" and types["geo_precision"] == "int64"
        assert types["confidence"] in ("float64", "double")
        assert str(b.loc[a.index[0], "event_date"])[:10] == a.iloc[0]["event_date"]
    if suffix == ".geojson":
        assert types["fatalities"] == "int32" or types["fatalities"] == "int64"


def test_geojson_is_rfc7946(events, tmp_path):
    path = mapper.to_file(events, tmp_path / "e.geojson")
    fc = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(fc, RFC7946)
    kabul = next(f for f in fc["features"] if f["properties"]["location"] == "Kabul")
    assert kabul["geometry"]["coordinates"][0] == pytest.approx(69.17, abs=0.01)  # lon first
    for f in fc["features"]:
        assert set(f["properties"]) == set(FIELDS)
        for c in (f["geometry"] or {}).get("coordinates", []):
            assert len(repr(c).split(".")[-1]) <= 7


def test_kml_has_a_folder_per_category(events, tmp_path):
    path = mapper.to_file(events, tmp_path / "e.kml")
    layers = [name for name, _ in pyogrio.list_layers(path)]
    present = [c for c in CATEGORIES if (events["category"] == c).any()]
    assert layers == present
    total = sum(pyogrio.read_info(path, layer=name)["features"] for name in layers)
    assert total == len(events)
    strikes = pyogrio.read_dataframe(path, layer="strike")
    assert strikes.crs.to_epsg() == 4326 and len(strikes) == (events["category"] == "strike").sum()
    clash = pyogrio.read_dataframe(path, layer="clash")
    # Google Earth renders HTML in balloons: the text arrives escaped, never as markup
    assert clash.source_text.str.contains("&lt;b&gt;tags&lt;/b&gt;", regex=False).any()
    assert not clash.source_text.str.contains("<b>", regex=False).any()


def test_csv_has_lon_lat_wkt_and_inert_formulas(events, tmp_path):
    path = mapper.to_file(events, tmp_path / "e.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert {"lon", "lat", "wkt"} <= set(df.columns)
    kabul = df[df.location == "Kabul"].iloc[0]
    assert kabul.wkt.startswith("POINT (69.17") and float(kabul.lon) == pytest.approx(69.17, abs=0.01)
    assert df[df.source_text.str.contains("HYPERLINK")].iloc[0].source_text.startswith("'=")


def test_export_cli_formats_and_errors(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(TABLE, encoding="utf-8")
    for fmt, suffix in (("gpkg", ".data"), ("kml", ".kml"), ("geoparquet", ".parquet")):
        out = tmp_path / f"out{suffix}"
        r = CliRunner().invoke(main, ["export", str(table), "-o", str(out), "--format", fmt])
        assert r.exit_code == 0, r.output
        n = len(geopandas.read_parquet(out)) if fmt == "geoparquet" else pyogrio.read_info(out, layer=0)["features"]
        assert n >= 1
    assert (tmp_path / "review.csv").exists()
    r = CliRunner().invoke(main, ["export", str(table), "-o", str(tmp_path / "x.shp")])
    assert r.exit_code == 4 and "unknown output format '.shp'" in r.output
    r = CliRunner().invoke(main, ["export", str(table), "-o", str(tmp_path / "x.gpkg"), "--format", "dxf"])
    assert r.exit_code == 4 and "unknown format 'dxf'" in r.output
    with pytest.raises(ExportError, match="cannot write"):  # a parent that is a file
        mapper.to_file(mapper.read_table(table), table / "x.kml")


WEIRD = """event_date,event_type,location,country,latitude,longitude,notes
2020-10-12,Battles,Lashkar Gah,Afghanistan,31.5938,64.3716,"[1, NaN]"
2020-10-13,Battles,Kandahar,Afghanistan,31.61,65.71,"{""a"": 1}"
"""


def test_json_looking_text_stays_text_in_every_format(tmp_path):
    """Regression: GDAL wrote a CSV cell `[1, NaN]` as raw JSON into GeoJSON (bare NaN: invalid JSON)."""
    table = tmp_path / "t.csv"
    table.write_text(WEIRD, encoding="utf-8")
    events = mapper.read_table(table)
    texts = sorted(events["source_text"])
    gj = mapper.to_file(events, tmp_path / "e.geojson")
    fc = json.loads(gj.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"bare {c} in GeoJSON"))
    assert sorted(f["properties"]["source_text"] for f in fc["features"]) == texts
    for suffix in (".gpkg", ".kml", ".csv", ".parquet"):
        path = mapper.to_file(events, tmp_path / f"e{suffix}")
        assert _texts(path) == texts, suffix


def _texts(path: Path) -> list[str]:
    """The source_text values of an output, sorted (KML: HTML-escaped, unescaped here)."""
    import html

    if path.suffix == ".kml":
        layers = [name for name, _ in pyogrio.list_layers(path)]
        texts = []
        for n in layers:  # the first folder holds it as <description>, the others as ExtendedData (GDAL)
            df = pyogrio.read_dataframe(path, layer=n)
            texts += list(df["description"].fillna(df["source_text"]) if "source_text" in df else df["description"])
        return sorted(html.unescape(v) for v in texts)
    if path.suffix == ".parquet":
        return sorted(geopandas.read_parquet(path)["source_text"])
    if path.suffix == ".csv":
        return sorted(pd.read_csv(path, dtype=str, keep_default_na=False)["source_text"])
    return sorted(pyogrio.read_dataframe(path)["source_text"])


def _table_events(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(TABLE, encoding="utf-8")
    return mapper.read_table(table)


def _odd_events(tmp_path):
    events = _table_events(tmp_path).head(3).copy()
    events["source_text"] = ["nul\x00inside", "bad\uffffxml", "bell\x07ring"]
    return events


def test_characters_a_format_cannot_hold_are_replaced_alike_everywhere(tmp_path):
    """Regression: a NUL truncated text in GeoJSON/GPKG/KML and U+FFFF made ill-formed KML. Every format now
    holds the same text, with U+FFFD for each such character, and one note says so."""
    import xml.dom.minidom

    events = _odd_events(tmp_path)
    expected = sorted(["nul\ufffdinside", "bad\ufffdxml", "bell\ufffdring"])
    for suffix in (".geojson", ".gpkg", ".kml", ".csv", ".parquet"):
        notes: list[str] = []
        path = mapper.to_file(events, tmp_path / f"e{suffix}", on_note=notes.append)
        assert len(notes) == 1 and notes[0].startswith("3 text value(s)")
        if suffix == ".kml":
            xml.dom.minidom.parse(str(path))  # well-formed
        assert _texts(path) == expected, suffix


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "parquet"])
def test_disk_full_says_the_disk_is_full(tmp_path, monkeypatch, fmt):
    """Regression: disk-full errors for GPKG, GeoJSON and KML were GDAL internals. Stubbed writers fail as
    a full disk does: with OSError(ENOSPC), or as GDAL reports it (an error whose text says so)."""
    import errno

    from mapper import export

    events = _table_events(tmp_path).head(3)
    (tmp_path / "t.csv").unlink()

    def oserror(out, tmp):
        raise OSError(errno.ENOSPC, "No space left on device")

    def gdal(out, tmp):
        raise pyogrio.errors.DataSourceError(f"Failed to write {tmp}: No space left on device")

    target = tmp_path / f"e.{fmt}"
    target.write_text("previous")
    for stub in (oserror, gdal):
        monkeypatch.setitem(export.WRITERS, fmt, stub)
        with pytest.raises(ExportError) as e:
            mapper.to_file(events, target)
        assert str(e.value) == f"{target}: cannot write: the disk is full (no space left on device)"
        assert target.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KB tmpfs (needs the right to mount, as root in CI's container; skipped elsewhere)."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv", "parquet"])
def test_a_really_full_disk_says_so(small_disk, fmt):
    """Regression: on a full disk GDAL said "Cannot write feature" (GeoJSON), "cannot rollback" (GPKG) or
    nothing at all, leaving a truncated KML with exit 0. Each is now "the disk is full", the previous file
    stays and no temporary is left."""
    import secrets

    import numpy as np
    import shapely

    n = 3000
    df = pd.DataFrame(
        {
            k: pd.Series([secrets.token_hex(20) for _ in range(n)], dtype="string")  # does not compress
            if t == "string"
            else pd.Series(np.arange(n) % 3 + 1, dtype=t)
            for k, t in FIELDS.items()
        }
    )
    df["event_date"], df["category"] = "2020-01-01", "clash"
    events = geopandas.GeoDataFrame(df, geometry=shapely.points(np.full((n, 2), 1.5)), crs=4326)
    target = small_disk / f"e.{fmt}"
    target.write_text("previous")
    with pytest.raises(ExportError) as e:
        mapper.to_file(events, target)
    assert str(e.value) == f"{target}: cannot write: the disk is full (no space left on device)"
    assert target.read_text() == "previous" and [p.name for p in small_disk.iterdir()] == [target.name]


@pytest.mark.parametrize("dtype", ["string", object])
def test_storable_text_rule(dtype):
    """The rule every output shares: NUL, C0 controls other than tab/newline/CR, U+FFFE/U+FFFF and lone
    surrogates become U+FFFD; everything else (tabs, newlines, any other Unicode) is kept as it is."""
    from mapper.schema import storable_text

    keep = ["tab\tnl\ncr\r", "é ā 中 \uffef \U0001f600", "", None]
    change = ["a\x00b", "\x07", "x\ufffe", "\uffff"] + (["\ud800 lone"] if dtype is object else [])
    df = pd.DataFrame({"t": pd.Series(keep + change, dtype=dtype), "n": range(len(keep) + len(change))})
    out, changed = storable_text(df)
    assert changed == len(change)
    assert list(out["t"][: len(keep) - 1]) == keep[:-1] and pd.isna(out["t"][len(keep) - 1])
    assert list(out["t"][len(keep) :]) == ["a\ufffdb", "\ufffd", "x\ufffd", "\ufffd"] + (
        ["\ufffd lone"] if dtype is object else []
    )
    clean = df.iloc[: len(keep)]
    assert storable_text(clean)[0] is clean  # nothing to change: no copy
