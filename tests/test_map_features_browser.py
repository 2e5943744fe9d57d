"""The analyst's map features in headless Chromium with the network blocked: outlines without tiles,
basemaps, province choropleths, heatmap, date filter, needs-review layer, fullscreen and mini-map."""

from __future__ import annotations

from pathlib import Path

import pytest

import mapper
from mapper.maps import make_map, save_map

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def examples_map(tmp_path_factory):
    events = mapper.events_from_files([ROOT / "examples"])
    path = tmp_path_factory.mktemp("features") / "map.html"
    save_map(make_map(events, title="Examples"), path)
    return events, path


def _markers(page) -> int:
    return page.evaluate(
        "Object.values(window).filter(v => v instanceof L.IncidentEvents && v.counted && v._map)"
        ".reduce((n, l) => n + l.kept.length, 0)"
    )


def test_outlines_and_controls_without_tiles(examples_map, open_page):
    events, path = examples_map
    run = open_page(path)
    page = run.page
    assert page.locator("path.im-outline").count() > 20  # provinces of the countries with events
    assert page.locator("path.im-country-outline").count() >= 4
    bases = [s.strip() for s in page.locator(".leaflet-control-layers-base label").all_inner_texts()]
    assert bases == [
        "OpenStreetMap",
        "Humanitarian (OSM HOT)",
        "Light (Esri World Gray Canvas)",
        "Satellite (Esri World Imagery)",
    ]
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator(".leaflet-control-minimap").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    assert _markers(page) == len(events)
    assert run.errors == []


def test_choropleths_and_heatmap_toggle(examples_map, open_page):
    events, path = examples_map
    page = open_page(path).page
    assert page.locator("path.im-choropleth").count() == 0  # off by default
    page.get_by_label("Fatalities by province").check()
    provinces_with_deaths = page.locator("path.im-choropleth-fatalities").count()
    assert provinces_with_deaths >= 2
    page.locator("path.im-choropleth-fatalities").first.dispatch_event("mouseover")
    assert "killed" in page.locator(".leaflet-tooltip").last.inner_text()
    page.get_by_label("Displacement by province").check()
    assert page.locator("path.im-choropleth-displaced").count() >= 2
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
    page.get_by_label("Heatmap").check()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1


def test_date_filter_plays_the_days(examples_map, open_page):
    events, path = examples_map
    page = open_page(path).page
    dates = sorted(set(events["event_date"]))
    first_day = int((events["event_date"] == dates[0]).sum())
    label = page.locator(".im-date-label")
    assert label.inner_text().endswith(f"{len(events)} events")
    page.locator(".im-date-to").fill("0")
    assert _markers(page) == first_day
    assert label.inner_text() == f"{dates[0]} \u2013 {dates[0]} \u00b7 {first_day} events"
    page.locator(".im-date-to").fill(str(len(dates) - 1))
    assert _markers(page) == len(events)
    page.locator(".im-date-play").click()
    page.wait_for_timeout(900)
    assert _markers(page) < len(events)  # playing shows one day at a time
    page.locator(".im-date-play").click()


def test_needs_review_layer_and_popup(examples_map, open_page):
    events, path = examples_map
    page = open_page(path).page
    n = int(events["review"].notna().sum())
    assert n >= 1
    assert page.get_by_label(f"Needs review ({n})").count() == 1
    assert page.locator("path.im-review").count() == 0
    page.get_by_label(f"Needs review ({n})").check()
    assert page.locator("path.im-review").count() == n
    page.locator("path.im-review").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Needs review:" in popup.inner_text()
    assert "review.csv" in page.locator(".im-summary").inner_text()


_VISIBLE = """category => {
    const layer = Object.values(window).find(v => v instanceof L.IncidentEvents && v.options.category === category);
    for (const it of layer.kept) {
        // a circle marker drawn on its own has a path on the map (getVisibleParent only knows icons)
        const parent = it.m._map ? it.m : layer.clusters ? layer.clusters.getVisibleParent(it.m) : null;
        const el = parent && (parent._icon || parent._path);
        if (!el) continue;
        const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && (hit === el || el.contains(hit))) {
            const slices = el.querySelectorAll ? [...el.querySelectorAll('.im-slice')].map(s => s.dataset.category) : [];
            return {x: x, y: y, cluster: parent !== it.m, slices: slices};
        }
    }
    return null;
}"""


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_every_category_visible_and_clickable_at_first_view(examples_map, browser, size):
    """At the first view every category has a marker or a cluster showing it on top of everything else;
    clicking through clusters reaches a marker whose popup names the category."""
    events, path = examples_map
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("http*://**", lambda r: r.abort())
    page.goto(path.as_uri())
    page.wait_for_timeout(800)
    try:
        for category in sorted(set(events["category"])):
            spot = page.evaluate(_VISIBLE, category)
            assert spot is not None, f"no visible {category} marker at the first view"
            assert 0 <= spot["x"] <= size[0] and 0 <= spot["y"] <= size[1]
            if spot["cluster"]:
                assert category in spot["slices"]  # the donut shows the category
            for _ in range(6):  # click into clusters (zoom or spiderfy) until the marker itself is there
                if not spot["cluster"]:
                    break
                page.mouse.click(spot["x"], spot["y"])
                page.wait_for_timeout(700)
                spot = page.evaluate(_VISIBLE, category)
                assert spot is not None
            assert not spot["cluster"]
            page.mouse.click(spot["x"], spot["y"])
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for()
            assert f"Category: {category}" in popup.inner_text()
            page.keyboard.press("Escape")
            page.evaluate("Object.values(window).find(v => v instanceof L.Map).closePopup()")
            page.reload()
            page.wait_for_timeout(800)
        assert errors == []
    finally:
        page.close()


def test_layer_panel_folds(examples_map, browser):
    events, path = examples_map
    for width, folded in ((800, True), (1280, False)):
        page = browser.new_page(viewport={"width": width, "height": 700})
        page.route("http*://**", lambda r: r.abort())
        page.goto(path.as_uri())
        page.wait_for_timeout(500)
        panel = page.locator(".leaflet-control-layers")
        legend = page.locator("details.im-legend")
        assert ("leaflet-control-layers-expanded" not in panel.get_attribute("class")) == folded
        assert (legend.get_attribute("open") is None) == folded
        if folded:
            page.locator(".leaflet-control-layers-toggle").click()
            assert "leaflet-control-layers-expanded" in panel.get_attribute("class")
        page.locator(".im-panel-hide").click()
        assert "leaflet-control-layers-expanded" not in panel.get_attribute("class")
        assert page.locator(".leaflet-control-layers-overlays").is_hidden()
        page.close()


def test_date_filter_updates_the_summary_and_play_ends_on_all(examples_map, open_page):
    events, path = examples_map
    run = open_page(path)
    page = run.page
    dates = sorted(set(events["event_date"]))
    summary = page.locator(".im-summary")
    assert summary.get_attribute("data-events") == str(len(events))
    page.locator(".im-date-to").fill("0")
    first = events[events["event_date"] == dates[0]]
    assert summary.get_attribute("data-events") == str(len(first))
    text = summary.inner_text()
    assert f"{dates[0]} to {dates[0]}" in text
    assert f"{len(first)} event{'s' if len(first) != 1 else ''}" in text
    assert f"Fatalities reported: {int(first['fatalities'].sum()):,}" in text
    page.locator(".im-date-to").fill(str(len(dates) - 1))
    assert f"{len(events)} events" in summary.inner_text()
    page.locator(".im-date-play").click()
    page.wait_for_timeout(700 * (len(dates) + 2))
    assert page.locator(".im-date-play").inner_text().endswith("play days")
    assert _markers(page) == len(events)  # the full range again
    assert summary.get_attribute("data-events") == str(len(events))
    assert run.errors == []


def test_legend_explains_sizes_clusters_and_choropleths(examples_map, open_page):
    events, path = examples_map
    page = open_page(path).page
    legend = page.locator(".im-legend")
    text = legend.inner_text()
    assert "killed (or displaced" in text and "cluster: number of events" in text
    assert page.locator(".im-legend-scale-0").is_hidden()
    page.get_by_label("Fatalities by province").check()
    assert page.locator(".im-legend-scale-0").is_visible()
    assert "11\u201350 51\u2013200 > 200" in page.locator(".im-legend-scale-0").inner_text()
    page.get_by_label("Heatmap").check()
    assert page.locator(".im-legend-heat").is_visible()
    page.get_by_label("Heatmap").uncheck()
    assert page.locator(".im-legend-heat").is_hidden()


def test_place_names_without_tiles(examples_map, open_page):
    events, path = examples_map
    run = open_page(path)
    page = run.page
    places = set(events["location"].dropna())
    labels = page.locator(".im-place-label")
    assert set(labels.all_inner_texts()) == places
    boxes = page.evaluate(
        "[...document.querySelectorAll('.im-place-label')].filter(e => e.style.display !== 'none')"
        ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert boxes  # the busiest places are named at the first view
    for i, a in enumerate(boxes):  # and no two shown names overlap
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    page.get_by_label("Place names").uncheck()
    assert page.locator(".im-place-label").count() == 0
    assert run.errors == []


def test_timeline_brushing_filters_map_and_summary(examples_map, open_page):
    events, path = examples_map
    run = open_page(path)
    page = run.page
    chart = page.locator(".im-timeline-chart")
    drawn = page.evaluate(
        "[...document.querySelectorAll('.im-timeline-chart .im-bar')].reduce((n, r) => n + +r.textContent.split(' ')[0], 0)"
    )
    assert drawn == len(events)  # every event is in a bar (stacked by category)
    bars = set(page.evaluate("[...document.querySelectorAll('.im-bar')].map(r => r.dataset.category)"))
    assert bars == set(events["category"])
    box = chart.bounding_box()
    # brush across the first tenth of the time span
    page.mouse.move(box["x"] + 1, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + 20, steps=5)
    page.mouse.up()
    shown = int(page.locator(".im-summary").get_attribute("data-events"))
    first_date = min(events["event_date"])
    assert 0 < shown < len(events)
    assert shown == _markers(page)
    assert shown == int((events["event_date"] <= page.locator(".im-date-label").inner_text()[13:23]).sum())
    assert page.locator(".im-date-label").inner_text().startswith(first_date)
    chart.click(position={"x": box["width"] / 2, "y": 20})  # a click shows every day again
    assert int(page.locator(".im-summary").get_attribute("data-events")) == len(events)
    assert run.errors == []
