"""events.geojson read back with GDAL (pyogrio) and checked against RFC 7946 and the schema."""

from __future__ import annotations

import json

import pyogrio
import pytest

from mapper.export import to_file
from mapper.extract import extract
from mapper.frame import to_geodataframe
from mapper.schema import FIELDS


@pytest.fixture(scope="module")
def written(seed_report, geoparser, tmp_path_factory):
    gdf = to_geodataframe(extract(seed_report, geoparser))
    path = tmp_path_factory.mktemp("export") / "events.geojson"
    to_file(gdf, path)
    return gdf, path


def test_read_back_with_gdal(written):
    gdf, path = written
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326" and info["features"] == len(gdf) == 4
    assert info["geometry_type"] == "Point"
    back = pyogrio.read_dataframe(path)
    assert list(back.columns[:-1]) == list(FIELDS)
    assert back["fatalities"].dropna().astype(int).tolist() == [170]
    assert back["displaced_families"].dropna().astype(int).tolist() == [1500]
    ints = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert ints["geo_precision"].startswith("int") and ints["time_precision"].startswith("int")
    for a, b in zip(back.geometry, gdf.geometry, strict=True):
        assert a.distance(b) < 1e-6


def test_rfc7946(written):
    gdf, path = written
    fc = json.loads(path.read_text())
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    lg = next(f for f in fc["features"] if f["properties"]["category"] == "displacement")
    lon, lat = lg["geometry"]["coordinates"]
    assert 64 < lon < 65 and 31 < lat < 32  # lon, lat order
    for f in fc["features"]:
        for c in f["geometry"]["coordinates"]:
            assert len(repr(c).split(".")[-1]) <= 7
        assert set(FIELDS) == set(f["properties"])
    assert lg["properties"]["fatalities"] is None  # nulls stay nulls
