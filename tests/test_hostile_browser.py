"""Hostile text from reports, titles and file names ends up in popups, tooltips, the summary and the
page title. A corpus of XSS payloads, every one opened in Chromium: nothing runs."""

from __future__ import annotations

import pytest

from mapper.extract import extract
from mapper.frame import to_geodataframe
from mapper.maps import make_map, save_map
from mapper.reports import parse_report

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    "<img src=x onerror=window.__pwned=2>",
    "<svg onload=window.__pwned=3>",
    "</script><script>window.__pwned=4</script>",
    "</SCRIPT><SCRIPT>window.__pwned=5</SCRIPT>",
    '"><img src=x onerror="window.__pwned=6">',
    "'><img src=x onerror='window.__pwned=7'>",
    "javascript:window.__pwned=8",
    '<a href="javascript:window.__pwned=9">click</a>',
    '<iframe src="javascript:window.__pwned=10"></iframe>',
    "<body onload=window.__pwned=11>",
    "<details open ontoggle=window.__pwned=12>",
    "<math><mtext><img src=x onerror=window.__pwned=13></mtext></math>",
    "<!--<img src=x onerror=window.__pwned=14>-->",
    "<scr<script>ipt>window.__pwned=15</scr</script>ipt>",
    "\u2028window.__pwned=16\u2029",
    "\\u003cscript\\u003ewindow.__pwned=17\\u003c/script\\u003e",
    "${window.__pwned=18}",
    "{{constructor.constructor('window.__pwned=19')()}}",
    "<style>@import 'javascript:window.__pwned=20';</style>",
    "\u202e<img src=x onerror=window.__pwned=21>",
    "＜script＞window.__pwned=22＜/script＞",
    '<object data="javascript:window.__pwned=23"></object>',
    "<input autofocus onfocus=window.__pwned=24>",
    "'-alert(25)-'",
    '";window.__pwned=26;//',
]


@pytest.fixture(scope="module")
def hostile_map(geoparser, tmp_path_factory):
    lines = [f"Shelling hit Aleppo {p} on Monday, killing 3 people." for p in PAYLOADS]
    lines += [f"{p} forces clashed with rebels in Idlib province." for p in PAYLOADS[:5]]
    text = "date 2021-03-01\n" + "\n\n".join(lines)
    source = '"><img src=x onerror=window.__pwned=99>.txt'
    gdf = to_geodataframe(extract(parse_report(text, source), geoparser))
    assert len(gdf) >= 2
    path = tmp_path_factory.mktemp("hostile") / "map.html"
    save_map(make_map(gdf, title="<img src=x onerror=window.__pwned=100>", cluster=False), path)
    return path, gdf


def test_payloads_count(hostile_map):
    """Every payload (at least 20) reaches the map's data verbatim, so the browser test below really shows it;
    none of those with markup stands as markup in the saved page (the data is embedded escaped)."""
    path, gdf = hostile_map
    assert len(PAYLOADS) >= 20
    texts = "\n".join(gdf["source_text"])
    assert [p for p in PAYLOADS if p not in texts] == []
    html = path.read_text(encoding="utf-8")
    assert [p for p in PAYLOADS if "<" in p and p in html] == []


def test_every_payload_is_inert(hostile_map, open_page):
    path, gdf = hostile_map
    run = open_page(path)
    page = run.page
    # open every popup and tooltip the map has
    texts = page.evaluate(
        """() => { const texts = []; const seen = [];
        Object.values(window).forEach(v => { if (v && v instanceof L.Map) seen.push(v); });
        seen.forEach(map => map.eachLayer(l => {
            if (l.getPopup && l.getPopup()) {
                l.openPopup(); texts.push(l.getPopup().getElement().textContent); l.closePopup(); }
            if (l.getTooltip && l.getTooltip()) { l.openTooltip(); l.closeTooltip(); }
        }));
        return texts; }"""
    )
    assert len(texts) == len(gdf)
    assert any("Shelling hit Aleppo" in t and "window.__pwned=2" in t for t in texts)
    page.locator("path.im-marker").first.click(force=True)
    page.locator(".leaflet-popup-content").last.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert run.dialogs == [] and run.errors == []
    dangerous = page.evaluate(
        """() => document.querySelectorAll(
            '.leaflet-popup-content *:not(div):not(b):not(blockquote), .leaflet-tooltip *:not(span),'
            + ' .im-summary *:not(div):not(span), .im-legend *:not(div):not(span):not(b):not(summary), iframe,'
            + ' object, details:not(.im-legend), math, img:not(.leaflet-tile), .im-place-label *:not(span),'
            + ' svg:not(.leaflet-zoom-animated):not(.leaflet-attribution-flag):not(.im-timeline-chart)').length"""
    )
    assert dangerous == 0
    assert "onerror" in page.locator(".im-summary").inner_text()
    assert page.title() == "<img src=x onerror=window.__pwned=100>"
    assert page.evaluate("document.scripts.length") == len([s for s in path.read_text().split("<script") if s][1:])


def test_payloads_inert_on_the_default_map(hostile_map, tmp_path, open_page):
    """The same payloads on the default map: clusters, place names and the timeline (two dates)."""
    _, gdf = hostile_map
    gdf = gdf.copy()
    gdf.loc[gdf.index[::2], "event_date"] = "2021-02-27"
    path = tmp_path / "map.html"
    save_map(make_map(gdf, title="<img src=x onerror=window.__pwned=101>"), path)
    run = open_page(path)
    page = run.page
    assert page.locator(".im-cluster, path.im-marker").count() >= 1 and page.locator(".im-bar").count() >= 2
    page.locator(".im-date-to").fill("0")  # the summary is rewritten from the data
    page.locator(".im-cluster, path.im-marker").first.hover(force=True)
    page.locator(".im-cluster, path.im-marker").first.click(force=True)
    page.wait_for_timeout(600)
    assert page.evaluate("window.__pwned") is None
    assert run.dialogs == [] and run.errors == []
    dangerous = page.evaluate(
        """() => document.querySelectorAll(
            '.leaflet-popup-content *:not(div):not(b):not(blockquote), .leaflet-tooltip *:not(span),'
            + ' .im-summary *:not(div):not(span), .im-place-label *:not(span), .im-date-label *, iframe, object,'
            + ' math, img:not(.leaflet-tile)').length"""
    )
    assert dangerous == 0
    assert "window.__pwned=101" in page.locator(".im-summary").inner_text()
