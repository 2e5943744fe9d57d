"""Property-based tests: whatever the input, the result is a value or one of our own errors, quickly."""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import InputError, MapperError
from mapper.extract import extract
from mapper.numbers import parse_number
from mapper.reports import decode, parse_report
from mapper.schema import FIELDS
from mapper.text import sentences
from mapper.timex import resolve

FAST = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

words = st.sampled_from(
    [
        "air strikes",
        "killed",
        "1,500 families",
        "fled",
        "Lashkar Gah",
        "Helmand province",
        "the provincial capital",
        "Doha",
        "talks",
        "on Monday",
        "Taliban",
        "shelling",
        "protesters",
        "dozens",
        "outskirts of",
        "Aleppo",
        "Capt.",
        "Gen.",
        "General",
        "Dr",
        "said",
        "met",
        "Miller",
        ".",
        ",",
        "\n",
        "<script>",
        "</p>",
        "'s",
        "al-",
        "—",
        "\u202e",
        "\u2028",
        "\x00",
        "ﷺ",
        "𝕏",
    ]
)
reportish = st.lists(st.one_of(words, st.text(max_size=20)), max_size=60).map(" ".join)


@FAST
@given(text=st.text(max_size=3000))
def test_parse_report_any_text(text):
    try:
        r = parse_report(text, "fuzz.txt", date="2020-01-01")
    except MapperError:
        return
    assert r.text and r.report_date


@FAST
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)))
def test_decode_any_bytes(data):
    """README: UTF-8 (with or without BOM) or UTF-16 with BOM decode; anything else, and only that, is the
    one-line InputError naming the file, the first bad byte and its offset."""
    utf16 = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            utf16 = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        utf8 = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        utf8 = None
    if utf16 is not None or utf8 is not None:
        assert decode(data, "f.txt") == (utf16 if utf16 is not None else utf8)
        return
    with pytest.raises(InputError) as e:
        decode(data, "f.txt")
    msg = str(e.value)
    assert type(e.value) is InputError and "\n" not in msg and msg.startswith("f.txt: not UTF-8 text (byte 0x")
    m = re.search(r"byte 0x([0-9a-f]{2}) at offset (\d+)", msg)
    assert m and data[int(m.group(2))] == int(m.group(1), 16)


@FAST
@given(text=st.text(max_size=500), bom=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom"]))
def test_decode_the_documented_encodings(text, bom):
    """Any text written in a documented encoding comes back as written (one leading BOM dropped)."""
    if bom == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(bom)
    expected = text.removeprefix("\ufeff") if bom == "utf-8" else text
    assert decode(data, "f.txt") == expected


def test_decode_rejects_latin1_with_the_documented_message():
    data = "date 2020-10-12\nKämpfe in Café".encode("latin-1")
    with pytest.raises(InputError, match=r"^r\.txt: not UTF-8 text \(byte 0xe4 at offset 17\); convert it"):
        decode(data, "r.txt")


@FAST
@given(depth=st.integers(0, 400), body=st.text(max_size=200))
def test_deeply_nested_html(depth, body):
    html = "<html><head><meta name='date' content='2021-02-03'></head><body>" + "<div>" * depth + body
    html += "</div>" * depth + "<script>alert(1)</script></body></html>"
    try:
        r = parse_report(html, "x.html")
    except MapperError:
        return
    assert "alert(1)" not in r.text


@FAST
@given(text=reportish)
def test_extract_any_report(text, geoparser):
    try:
        r = parse_report(text, "fuzz.txt", date="2020-10-12")
    except MapperError:
        return
    for e in extract(r, geoparser):
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180
        assert e["geo_precision"] in (1, 2, 3) and e["time_precision"] in (1, 2, 3)
        assert e["source_text"]


@FAST
@given(text=st.one_of(st.text(max_size=2000), reportish))
def test_geoparser_offsets_any_text(text, geoparser):
    for m in geoparser.parse(text):
        assert text[m.start : m.end] == m.name
        assert 0 <= m.score <= 1


@FAST
@given(text=st.text(max_size=2000))
def test_sentences_cover_text(text):
    for s in sentences(text):
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text


@FAST
@given(
    text=st.text(alphabet=string.ascii_letters + string.digits + " ,.-", max_size=200),
    day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
def test_dates_any_text_any_day(text, day):
    d, p, _ = resolve(text, day)
    assert p in (1, 2, 3) and d <= day + dt.timedelta(days=1)


@FAST
@given(text=st.text(max_size=60))
def test_numbers_never_raise(text):
    v, w = parse_number(text)
    assert v is None or v >= 0


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(
    data=st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: ("date 2020-01-01\n" + t).encode()))
)
def test_cli_never_shows_a_traceback(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("cli")
    f = d / "r.txt"
    f.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-m", "mapper.cli", "extract", str(f), "-o", str(d / "o.geojson")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    if proc.returncode:
        assert len(proc.stderr.strip().splitlines()) == 1 and not (d / "o.geojson").exists()


CELLS = ["2020-10-12", "Kabul", "Aleppo", "Battles", "7", "", '"', "#date", "31.5", "-200", "1e308"]
cells = st.one_of(
    st.sampled_from(CELLS),
    st.text(max_size=12),
)
csv_rows = st.lists(st.lists(cells, min_size=0, max_size=7), min_size=0, max_size=8)
HEADERS = [
    "event_date,location,country,event_type,fatalities,latitude,longitude",
    "Date,Province,District,Village,IDPs",
    "id,type_of_violence,where_coordinates,date_start,best",
    "a,b,c",
]


@pytest.mark.slow
@FAST
@given(header=st.sampled_from(HEADERS), rows=csv_rows, sep=st.sampled_from([",", ";", "\t"]))
def test_table_reader_any_csv_shape(tmp_path_factory, header, rows, sep):
    import mapper

    body = "\n".join([header.replace(",", sep), *(sep.join(r) for r in rows)])
    f = tmp_path_factory.mktemp("t") / "t.csv"
    f.write_text(body, encoding="utf-8")
    try:
        gdf = mapper.read_table(f)
    except MapperError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert gdf.crs.to_epsg() == 4326
    for g in gdf.geometry:
        assert g is None or (-180 <= g.x <= 180 and -90 <= g.y <= 90)


# no string value starts with "#": a first row of hashtags is read as HXL (documented), not as a row
json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8), st.sampled_from(CELLS)
).filter(lambda v: not (isinstance(v, str) and v.strip().startswith("#")))
json_any = st.recursive(
    json_leaf,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=4),
    max_leaves=12,
)
# rows a reader must take: a valid date, a place column (the name may be unknown or empty), a country, extra
# columns of any JSON value under names nobody recognises
json_row = st.fixed_dictionaries(
    {
        "event_date": st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)).map(str),
        "location": st.sampled_from(["Kabul", "Aleppo", "Lashkar Gah", "Mosul", "Xyzzyville", ""]),
        "country": st.sampled_from(["Afghanistan", "Syria", "Iraq", "AF", ""]),
    },
    optional={"fatalities": st.integers(0, 10**6), "notes": st.text(max_size=30)},
).flatmap(
    lambda r: st.dictionaries(
        st.text(string.ascii_lowercase, min_size=1, max_size=6).map("x_".__add__), json_any, max_size=3
    ).map(lambda extra: {**extra, **r})
)
json_rows = st.lists(json_row, min_size=1, max_size=5)


def wrapped(rows, how):
    """The three documented shapes: a list of objects, ACLED's API {"data": [...]}, a FeatureCollection."""
    if how == "list":
        return rows
    if how == "api":
        return {"data": rows}
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": r, "geometry": None} for r in rows],
    }


def n_rows(data):
    if isinstance(data, list):
        return len(data)
    return len(data.get("features") if data.get("type") == "FeatureCollection" else data["data"])


@pytest.mark.slow
@FAST
@given(data=st.one_of(json_any, st.builds(wrapped, json_rows, st.sampled_from(["list", "api", "geojson"]))))
def test_json_table_any_shape(tmp_path_factory, data):
    """Any JSON gives either a frame with the schema's columns, one row per input row, or one InputError line
    that starts with the file name."""
    import json as _json

    import mapper

    f = tmp_path_factory.mktemp("j") / "t.json"
    f.write_text(_json.dumps(data), encoding="utf-8")
    try:
        gdf = mapper.read_table(f)
    except InputError as e:
        assert type(e) is InputError and "\n" not in str(e) and str(e).startswith(f"{f}:")
        return
    assert list(gdf.columns) == [*FIELDS, "geometry"] and gdf.crs.to_epsg() == 4326
    assert len(gdf) == n_rows(data)


@pytest.mark.slow
@FAST
@given(rows=json_rows, how=st.sampled_from(["list", "api", "geojson"]))
def test_json_table_rows_with_a_date_and_a_place_column_are_read(tmp_path_factory, rows, how):
    import json as _json

    import mapper

    f = tmp_path_factory.mktemp("j") / "t.json"
    f.write_text(_json.dumps(wrapped(rows, how)), encoding="utf-8")
    gdf = mapper.read_table(f)
    assert list(gdf.columns) == [*FIELDS, "geometry"] and len(gdf) == len(rows)
    assert sorted(gdf["event_date"].astype(str)) == sorted(r["event_date"] for r in rows)
    assert sorted(gdf["fatalities"].dropna().astype(int)) == sorted(r["fatalities"] for r in rows if "fatalities" in r)
