"""Property-based tests: whatever the input, the result is a value or one of our own errors, quickly."""

from __future__ import annotations

import datetime as dt
import os
import string
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.errors import MapperError
from mapper.extract import extract
from mapper.numbers import parse_number
from mapper.reports import decode, parse_report
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
@given(data=st.binary(max_size=2000))
def test_decode_any_bytes(data):
    try:
        assert isinstance(decode(data, "f.txt"), str)
    except MapperError:
        pass


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


cells = st.one_of(
    st.sampled_from(["2020-10-12", "Kabul", "Aleppo", "Battles", "7", "", '"', "#date", "31.5", "-200", "1e308"]),
    st.text(max_size=12),
)
csv_rows = st.lists(st.lists(cells, min_size=0, max_size=7), min_size=0, max_size=8)
HEADERS = [
    "event_date,location,country,event_type,fatalities,latitude,longitude",
    "Date,Province,District,Village,IDPs",
    "id,type_of_violence,where_coordinates,date_start,best",
    "a,b,c",
]


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


@FAST
@given(
    data=st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=8)),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=4),
        max_leaves=12,
    )
)
def test_json_table_any_shape(tmp_path_factory, data):
    import json as _json

    import mapper

    f = tmp_path_factory.mktemp("j") / "t.json"
    f.write_text(_json.dumps(data), encoding="utf-8")
    try:
        mapper.read_table(f)
    except MapperError as e:
        assert str(e) and "\n" not in str(e)
