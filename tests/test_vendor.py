"""Vendored browser assets are the released npm files, unedited, with their licences."""

from __future__ import annotations

import hashlib

from mapper.maps.assets import VENDOR, manifest


def test_vendored_files_match_the_manifest():
    m = manifest()
    assert m
    for package, entry in m.items():
        assert entry["integrity"].startswith("sha512-")
        names = list(entry["files"])
        assert any("licen" in n.lower() for n in names), package
        for name, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / package / name).read_bytes()).hexdigest() == digest, name


def test_map_page_needs_no_network(tmp_path):
    import geopandas as gpd

    from mapper.maps import make_map, map_html
    from mapper.schema import FIELDS

    page = map_html(make_map(gpd.GeoDataFrame(columns=[*FIELDS, "geometry"], geometry="geometry", crs=4326)))
    assert "<script src=" not in page and 'rel="stylesheet" href="http' not in page
    assert "cdn.jsdelivr.net/npm/leaflet" in map_html(
        make_map(gpd.GeoDataFrame(columns=[*FIELDS, "geometry"], geometry="geometry", crs=4326)), cdn=True
    )
