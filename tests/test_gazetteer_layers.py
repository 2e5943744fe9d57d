"""GeoNames dump import, user overrides and the geopy adapter."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazetteer import ADMIN2, Gazetteer, ensure_index
from gazetteer.errors import DumpFormatError, OverridesError
from gazetteer.geoparse import Geoparser
from gazetteer.imports import import_geonames
from mapper.cli import main
from tests.small_index import build_small

DUMPS = Path(__file__).parent / "data" / "geonames"
AF_SAMPLE = DUMPS / "AF-sample.txt"
ADMIN2_CODES = DUMPS / "admin2Codes.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Gazetteer:
    target = tmp_path_factory.mktemp("imports") / "imports.sqlite"
    res = import_geonames([AF_SAMPLE, ADMIN2_CODES], target)
    assert res.added == 7  # the mountain (class T) is left out by default
    return Gazetteer(ensure_index(), imports=target)


def test_marjah_unknown_before_and_found_after_import(gazetteer, imported):
    assert gazetteer.search("Marjah", country="AF") == []
    p = imported.geocode("Marjah", country="AF").place
    assert (p.place_id, p.admin1, p.admin2, p.source) == (
        "geonames:99000001",
        "Helmand",
        "Nad Ali",
        "import:AF-sample.txt",
    )
    assert abs(p.lat - 31.5167) < 1e-6
    assert imported.geocode("Marja").place.place_id == "geonames:99000001"


def test_districts_resolve_with_and_without_the_word(imported):
    for name in ("Nad Ali district", "Nad Ali District", "Garmser District"):
        kinds = {c.place.kind for c in imported.search(name, country="AF")}
        assert ADMIN2 in kinds, name


def test_reimported_record_merges_with_the_bundled_one(imported):
    cands = [c for c in imported.search("Lashkar Gah", country="AF") if c.place.place_id == "geonames:1134720"]
    assert len(cands) == 1  # one record, not two
    p = cands[0].place
    assert p.admin2 == "Lashkar Gah" and p.admin1 == "Helmand"
    helmand = imported.admin1_of(p)
    assert imported.capital_of(helmand).place_id == "geonames:1134720"


def test_geoparser_places_marjah_after_import(imported):
    text = "Fighting was reported in Marjah, in Nad Ali district of Helmand province, on Monday."
    found = {m.name: m.place for m in Geoparser(imported).parse(text) if m.place}
    assert found["Marjah"].place_id == "geonames:99000001"
    assert found["Helmand"].kind == "admin1"


def test_classes_filter_and_zip_input(tmp_path):
    zpath = tmp_path / "AF.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(AF_SAMPLE, "AF.txt")
        zf.writestr("readme.txt", "not data")
    target = tmp_path / "imports.sqlite"
    res = import_geonames([zpath], target, classes="APT")
    assert res.added == 8
    gz = Gazetteer(ensure_index(), imports=target)
    assert gz.geocode("Koh-i-Baba").place.kind == "terrain"
    # importing again replaces the records instead of doubling them
    res2 = import_geonames([zpath], target, classes="APT")
    assert res2.replaced == 8
    assert sqlite3.connect(target).execute("SELECT count(*) FROM places").fetchone()[0] == 8


def test_country_filter(tmp_path):
    res = import_geonames([AF_SAMPLE], tmp_path / "i.sqlite", countries=["PK"])
    assert res.added == 0


@pytest.mark.parametrize(
    "line,message",
    [
        ("1\tX\n", "expected 19 tab-separated GeoNames columns, found 2"),
        ("\t".join(["abc", "X", "X", "", "1", "2", "P", "PPL", "AF", *[""] * 10]) + "\n", "is not a number"),
        ("\t".join(["5", "X", "X", "", "95", "2", "P", "PPL", "AF", *[""] * 10]) + "\n", "out of range"),
        ("\t".join(["5", "X", "X", "", "north", "2", "P", "PPL", "AF", *[""] * 10]) + "\n", "are not numbers"),
    ],
)
def test_malformed_dump_line_names_file_and_line_and_keeps_the_layer(tmp_path, line, message):
    target = tmp_path / "imports.sqlite"
    import_geonames([AF_SAMPLE], target)
    before = target.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(AF_SAMPLE.read_text(encoding="utf-8") + line, encoding="utf-8")
    with pytest.raises(DumpFormatError, match=rf"bad.txt:9: .*{message}"):
        import_geonames([bad], target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("imports")] == ["imports.sqlite"]


def test_unreadable_dumps(tmp_path):
    with pytest.raises(DumpFormatError, match="no such file"):
        import_geonames([tmp_path / "nope.zip"], tmp_path / "i.sqlite")
    bad_zip = tmp_path / "AF.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(DumpFormatError, match="not a readable zip"):
        import_geonames([bad_zip], tmp_path / "i.sqlite")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("1\tCaf\xe9".encode("latin-1"))
    with pytest.raises(DumpFormatError, match="not UTF-8"):
        import_geonames([latin], tmp_path / "i.sqlite")


def test_stale_keys_are_rebuilt(tmp_path, monkeypatch):
    """An imports layer whose keys were made by an older name folding gets them rebuilt on opening
    (on a small bundled index: the test must not build the whole one)."""
    target = tmp_path / "imports.sqlite"
    import_geonames([AF_SAMPLE], target)
    con = sqlite3.connect(target)
    con.execute("UPDATE meta SET v='old' WHERE k='key_version'")
    con.execute("DELETE FROM names")
    con.commit()
    con.close()
    from gazetteer.imports import key_version
    from gazetteer.index import imports_path_if_any

    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path))
    small = build_small(tmp_path / "small.sqlite")
    gz = Gazetteer(small, imports=imports_path_if_any())
    assert gz.geocode("Marjah").place.place_id == "geonames:99000001"
    assert gz.geocode("Lashkargah").place.place_id == "geonames:1134720"  # the small bundled layer answers too
    con = sqlite3.connect(target)
    assert con.execute("SELECT v FROM meta WHERE k='key_version'").fetchone()[0] == key_version()
    assert con.execute("SELECT count(*) FROM names").fetchone()[0] > 0


def test_cli_import_then_geocode(tmp_path, monkeypatch):
    bundled = ensure_index()
    monkeypatch.setenv("INCIDENT_MAPPER_CACHE", str(tmp_path))
    (tmp_path / bundled.name).symlink_to(bundled)
    Gazetteer.reset_default()
    try:
        r = CliRunner().invoke(main, ["gazetteer", "import", str(AF_SAMPLE), str(ADMIN2_CODES)])
        assert r.exit_code == 0, r.output
        assert "7 records imported" in r.output
        r = CliRunner().invoke(main, ["geocode", "Marjah", "--country", "AF"])
        assert "geonames:99000001" in r.output and "Helmand" in r.output
        r = CliRunner().invoke(main, ["gazetteer", "info"])
        assert "imports.sqlite: 7 records" in r.output
        bad = tmp_path / "bad.txt"
        bad.write_text("1\tX\n", encoding="utf-8")
        r = CliRunner().invoke(main, ["gazetteer", "import", str(bad)])
        assert r.exit_code == 2 and r.output.count("\n") == 1
        assert "bad.txt:1: expected 19 tab-separated GeoNames columns" in r.output
    finally:
        Gazetteer.reset_default()


# -- overrides ----------------------------------------------------------------------------------


def _overrides(tmp_path, text: str) -> Path:
    p = tmp_path / "overrides.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_override_point_wins_and_keeps_provenance(gazetteer, tmp_path):
    csv = _overrides(
        tmp_path,
        "name,country,lat,lon,kind,admin1\nQala-e Gaz,AF,31.41,64.05,village,Helmand\nKandahar,IN,18.87,77.19,,\n",
    )
    gz = gazetteer.with_overrides(csv)
    c = gz.geocode("Qala-e-Gaz")
    assert c.matched == "override" and c.score == 1.0
    p = c.place
    assert (p.place_id, p.country_code, p.admin1, p.admin1_code, p.source) == (
        "override:AF:qalaegaz",
        "AF",
        "Helmand",
        "10",
        "override:overrides.csv",
    )
    # an override wins over the index, within its country only
    assert gz.geocode("Kandahar").place.country_code == "IN"
    assert gz.geocode("Kandahar", country="AF").place.place_id == "geonames:1138336"
    # the plain index is unchanged
    assert gazetteer.geocode("Kandahar").place.country_code == "AF"


def test_override_alias_of_an_existing_record(gazetteer, tmp_path):
    gz = gazetteer.with_overrides(_overrides(tmp_path, "name,place_id\nLash,geonames:1134720\n"))
    assert gz.geocode("Lash").place.name == "Lashkar Gāh"
    found = [m for m in Geoparser(gz).parse("Clashes near Lash on Sunday.") if m.place]
    assert [m.place.place_id for m in found] == ["geonames:1134720"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("place,lat\nX,1\n", r"overrides.csv:1: no 'name' column"),
        ("name,country,lat,lon\nX,AF,north,64\n", r"overrides.csv:2: lat 'north' is not a number"),
        ("name,country,lat,lon\nA,AF,31,64\nX,AF,31,200\n", r"overrides.csv:3: lon 200.0 is outside"),
        ("name,country,lat,lon\nX,Afghanistan,31,64\n", r"overrides.csv:2: country 'AFGHANISTAN' is not a two-letter"),
        ("name,country,lat,lon\nX,,31,64\n", r"overrides.csv:2: the country is empty"),
        ("name,place_id\nX,geonames:0\n", r"overrides.csv:2: place_id 'geonames:0' is not in the gazetteer"),
        ("name,country\nX,AF\n", r"overrides.csv:2: give lat and lon, or a place_id"),
        ("name,country,lat,lon\n,AF,31,64\n", r"overrides.csv:2: the name is empty"),
        ("name,country,lat,lon\nX,AF,31,64,extra\n", r"overrides.csv:2: more fields than the header"),
    ],
)
def test_malformed_override_names_file_and_line(gazetteer, tmp_path, text, message):
    with pytest.raises(OverridesError, match=message):
        gazetteer.with_overrides(_overrides(tmp_path, text))


def test_override_file_errors_at_the_cli(tmp_path):
    bad = _overrides(tmp_path, "name,country,lat,lon\nX,AF,north,64\n")
    r = CliRunner().invoke(main, ["geocode", "X", "--overrides", str(bad)])
    assert r.exit_code == 2
    assert r.output.strip().endswith("overrides.csv:2: lat 'north' is not a number")
    r = CliRunner().invoke(main, ["geocode", "X", "--overrides", str(tmp_path / "none.csv")])
    assert r.exit_code == 2 and "no such overrides file" in r.output


# -- geopy adapter --------------------------------------------------------------------------------


def test_geopandas_geocode_with_the_offline_provider():
    import geopandas

    from gazetteer.geocoder import OfflineGazetteer

    df = geopandas.tools.geocode(["Lashkargah", "Hudaydah", "Qwxzyville Nowhere"], provider=OfflineGazetteer)
    assert df.crs.to_epsg() == 4326
    assert abs(df.geometry[0].x - 64.3716) < 0.01 and abs(df.geometry[0].y - 31.5938) < 0.01
    assert df.address[0] == "Lashkar Gāh, Helmand, Afghanistan"
    assert abs(df.geometry[1].x - 42.95) < 0.1
    assert df.geometry[2].is_empty and not isinstance(df.address[2], str)


def test_geopy_interface_country_codes_reverse_and_rate_limiter():
    from geopy.extra.rate_limiter import RateLimiter

    from gazetteer.geocoder import OfflineGazetteer

    g = OfflineGazetteer()
    assert g.geocode("Kandahar", country_codes="IN").raw["country_code"] == "IN"
    assert len(g.geocode("Kandahar", exactly_one=False)) >= 3
    near = g.reverse("31.60, 64.36")
    assert near.raw["place_id"] == "geonames:1134720"
    assert g.reverse((0.0, -140.0)) is None  # open ocean
    geocode = RateLimiter(g.geocode, min_delay_seconds=0)
    assert geocode("Jalalabad", country_codes=["AF"]).raw["place_id"].startswith("geonames:")


def test_online_fallback_is_off_by_default_and_cached_when_on(tmp_path):
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location
    from geopy.point import Point

    from gazetteer.geocoder import OfflineGazetteer

    class FakeOnline(Geocoder):
        calls: list[str] = []

        def geocode(self, query, exactly_one=True, country_codes=None):
            self.calls.append(query)
            return Location(f"{query} (online)", Point(10.0, 20.0), {})

    assert OfflineGazetteer().geocode("Qwxzyville") is None
    fake = FakeOnline()
    cache = tmp_path / "fallback.json"
    g = OfflineGazetteer(fallback=fake, fallback_min_delay_seconds=0, fallback_cache=cache)
    assert g.geocode("Lashkargah").raw["place_id"] == "geonames:1134720"  # the index answers; no call
    assert g.geocode("Qwxzyville").latitude == 10.0
    assert g.geocode("qwxzyville ").latitude == 10.0
    assert fake.calls == ["Qwxzyville"]
    # a new instance reads the cache file: still no second call
    g2 = OfflineGazetteer(fallback=fake, fallback_min_delay_seconds=0, fallback_cache=cache)
    assert g2.geocode("Qwxzyville").address == "Qwxzyville (online)"
    assert fake.calls == ["Qwxzyville"]
