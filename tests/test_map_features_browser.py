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
        "Object.values(window).filter(v => v instanceof L.IncidentEvents && v.counted)"
        ".reduce((n, l) => n + l.markers.getLayers().length, 0)"
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
    page.locator("path.im-choropleth-fatalities").first.hover(force=True)
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
