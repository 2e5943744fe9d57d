"""The map in a real headless Chromium, with the network blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mapper.extract import extract
from mapper.frame import to_geodataframe
from mapper.maps import make_map, save_map
from mapper.reports import parse_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seed_map(seed_report, geoparser, tmp_path_factory):
    gdf = to_geodataframe(extract(seed_report, geoparser))
    path = tmp_path_factory.mktemp("map") / "map.html"
    save_map(make_map(gdf, title="Helmand"), path)
    return path


def test_layers_markers_and_popup(seed_map, open_page):
    run = open_page(seed_map)
    page = run.page
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    cats = ["Strikes and explosions", "Armed clashes", "Displacement"]
    assert [s.strip() for s in labels if s.strip() in cats] == cats
    # unclustered markers and clusters both count as rendered markers
    assert page.locator("path.im-marker, .im-cluster").count() >= 2
    # precision 3 events carry their uncertainty circle
    assert page.locator("path.im-precision-3").count() == 2
    # open the displacement popup (out of its cluster)
    show_event(page, "displacement").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "1,500 families have fled" in text and "geonames:1134720" in text
    # people worked out from families say so
    assert "(estimated: 1,500 families \u00d7" in text and "people per household)" in text
    assert run.errors == []
    assert all(u.startswith(("file:", "data:")) or "tile" in u for u in run.requests)


def show_event(page, category: str):
    """Zoom or spiderfy until the first event of a category is drawn on its own; its marker."""
    page.evaluate(
        """category => new Promise(done => {
            const layer = Object.values(window).find(v => v instanceof L.IncidentEvents
                                                        && v.options.category === category);
            const m = layer.kept[0].m;
            if (layer.clusters) layer.clusters.zoomToShowLayer(m, () => setTimeout(done, 400)); else done();
        })""",
        category,
    )
    return page.locator(f"path.im-{category}").first


def _in_clusters(page, category: str) -> int:
    return page.evaluate(
        "c => Object.values(window).filter(v => v instanceof L.IncidentClusters)"
        ".reduce((n, g) => n + g.getLayers().filter(m => m.options.category === c).length, 0)",
        category,
    )


def test_layer_toggles(seed_map, open_page):
    page = open_page(seed_map).page
    assert _in_clusters(page, "displacement") == 1
    page.get_by_label("Displacement", exact=True).uncheck()
    assert _in_clusters(page, "displacement") == 0
    page.get_by_label("Displacement", exact=True).check()
    assert _in_clusters(page, "displacement") == 1


HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)",
    "';alert(5);//",
]


def test_hostile_text_is_inert(tmp_path, geoparser, open_page):
    text = "date 2021-01-01\n" + " ".join(f"Shelling hit Aleppo {p} on Monday." for p in HOSTILE)
    gdf = to_geodataframe(extract(parse_report(text, "hostile.txt"), geoparser))
    assert len(gdf)
    path = tmp_path / "map.html"
    save_map(make_map(gdf, title='<img src=x onerror=alert("title")>'), path)
    run = open_page(path)
    page = run.page
    show_event(page, "strike").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert '<script>alert("x")</script>' in popup.inner_text()
    assert run.dialogs == [] and run.errors == []
    assert (
        page.evaluate(
            "document.querySelectorAll('.leaflet-popup-content img, .leaflet-popup-content svg,"
            " .leaflet-popup-content script').length"
        )
        == 0
    )
    assert "onerror" in page.locator(".im-summary").inner_text()


def test_every_overlay_toggles_and_helmand_choropleth(seed_map, open_page):
    run = open_page(seed_map)
    page = run.page
    labels = [s.strip() for s in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    for label in labels:
        box = page.get_by_label(label, exact=True)
        drawn = "path, canvas, circle.im-slice, .im-place-label"  # cluster donuts lose a category's arc
        before = page.locator(drawn).count()
        box.set_checked(not box.is_checked())
        # markers come and go in chunks (markercluster's chunked loading): wait for the drawing to settle
        page.wait_for_function(f"document.querySelectorAll({drawn!r}).length !== {before}", timeout=5000)
        box.set_checked(not box.is_checked())
        expect(page.locator(drawn)).to_have_count(before, timeout=5000)
    # the fatalities choropleth has Helmand with the 170 killed
    helmand = page.evaluate(
        "Object.keys(window).filter(k => k.startsWith('admin_data_')).map(k => window[k])[0]"
        ".features.filter(f => f.properties.name.indexOf('Helmand') === 0 || f.properties.name === 'Hilmand')"
        ".map(f => f.properties.fatalities)"
    )
    assert helmand == [170]
    page.get_by_label("Fatalities by province", exact=True).check()
    assert page.locator("path.im-choropleth-fatalities").count() == 1
    legend = page.locator(".im-legend").inner_text()
    assert "Strikes and explosions" in legend and "Displacement" in legend and "Protests" not in legend
    assert run.errors == []
