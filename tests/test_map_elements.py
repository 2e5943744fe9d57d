"""Map elements without a browser: render an element or a map and assert on its HTML and script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mapper.frame import to_geodataframe
from mapper.maps import make_map, map_html
from mapper.maps.assets import OWN, Asset, own
from mapper.maps.elements import DateFilter, EventLayer, IncidentMap, Legend, PopupBuilder, Summary
from mapper.maps.escape import safe_html_text, safe_json

ROOT = Path(__file__).resolve().parent.parent


def _event(i: int, category: str, lat: float, lon: float, date: str, **extra) -> dict:
    return {
        "event_id": f"e{i}",
        "category": category,
        "event_date": date,
        "time_precision": 1,
        "location": f"Town {i}",
        "country_code": "SD",
        "geo_precision": 1,
        "source": "report.txt",
        "source_text": f"Sentence {i}.",
        "lat": lat,
        "lon": lon,
        **extra,
    }


def small_events():
    return to_geodataframe(
        [
            _event(1, "clash", 13.63, 25.35, "2025-04-14", fatalities=400),
            _event(2, "strike", 13.63, 25.35, "2025-04-14", fatalities=3),
            _event(3, "displacement", 13.63, 25.35, "2025-04-15", displaced_people=12000),
            _event(4, "strike", 15.6, 32.5, "2025-04-16", review="ambiguous place"),
        ]
    )


def _render(element) -> str:
    m = IncidentMap(location=[0, 0])
    element.add_to(m)
    return m.page.render()


def test_event_layer_takes_its_popup_builder_and_options():
    m = IncidentMap(location=[0, 0])
    popups = PopupBuilder().add_to(m)
    layer = EventLayer({"x": [1.0], "y": [2.0], "c": {}}, popups, "clash", "Armed clashes", "#ff7f0e")
    layer.add_to(m)
    out = m.page.render()
    assert f"var {popups.get_name()} = new L.IncidentPopups(" in out
    assert f"var {layer.get_name()} = new L.IncidentEvents(" in out
    assert f"{popups.get_name()},\n" in out  # a reference, not a page global
    assert '"ringWeight": 1' in out and '"colour": "#ff7f0e"' in out
    assert "window.imLayers" not in out and "window.incidentPopup" not in out
    # the element's script file is declared like any asset and carried by the page
    assert "/* incident-mapper:js/event-layer.js */" in out and "L.IncidentEvents = L.FeatureGroup.extend" in out


def test_date_filter_names_its_layers():
    m = IncidentMap(location=[0, 0])
    popups = PopupBuilder().add_to(m)
    layers = [EventLayer({"x": [], "y": [], "c": {}}, popups, c, c, "#000").add_to(m) for c in ("clash", "strike")]
    dates = DateFilter(["2025-01-01", "2025-01-02"], layers).add_to(m)
    out = m.page.render()
    assert f"var {dates.get_name()} = new L.Control.IncidentDates(" in out
    assert f"[\n{layers[0].get_name()},\n{layers[1].get_name()},\n]" in out
    assert f".addTo({m.get_name()});" in out


def test_legend_rows_and_review():
    out = _render(Legend(["strike", "displacement"], review=2))
    assert 'data-category="strike"' in out and 'data-category="displacement"' in out
    assert 'data-category="clash"' not in out
    assert "place needs review" in out
    assert "place needs review" not in _render(Legend(["strike"]))


def test_summary_text_is_escaped_and_inert_for_jinja():
    title = "<img src=x onerror=alert(1)> {{ 7*7 }} {% if 1 %}x{% endif %}"
    out = _render(
        Summary(
            title,
            {"first": "a", "last": "b", "events": 1, "by_category": [], "fatalities": 0, "displaced": 0, "sources": 1},
        )
    )
    assert "<img" not in out and "&lt;img src=x" in out
    assert "&#123;&#123; 7*7 &#125;&#125;" in out and "49" not in out
    assert "No events" in _render(Summary("t", None))


def test_safe_json_and_text():
    assert safe_json({"a": "</script>{{x}}"}) == '{"a":"\\u003c/script\\u003e\\u007b{x}}"}'
    assert safe_html_text("<b>{x}</b>") == "&lt;b&gt;&#123;x&#125;&lt;/b&gt;"


def test_own_assets_are_carried_even_when_linking_the_cdn():
    js = Asset(own("js/popups.js"), "js")
    assert js.render().startswith("<script>/* incident-mapper:js/popups.js */")
    page = map_html(make_map(small_events(), title="t"), cdn=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"></script>' in page
    assert "L.IncidentPopups = L.Class.extend" in page and f'src="{OWN}' not in page
    with pytest.raises(FileNotFoundError):
        own("js/missing.js")


def test_self_contained_page_links_nothing():
    page = map_html(make_map(small_events(), title="t"))
    assert "<script src=" not in page and "<link rel=" not in page
    assert "/* leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js */" in page


def test_same_map_same_bytes_in_one_process():
    events = small_events()
    first = map_html(make_map(events, title="t"))
    assert map_html(make_map(events, title="t")) == first
    assert "tile_layer_" in first and not re.search(r"_[0-9a-f]{32}\b", first)  # no random name left


_BUILD = """
import sys
sys.path.insert(0, {root!r})
from tests.test_map_elements import small_events
from mapper.maps import make_map, map_html
sys.stdout.write(map_html(make_map(small_events(), title="t")))
"""


def test_same_map_same_bytes_across_processes():
    """Two processes with different hash seeds write the same page (the mini-map's tile layer included)."""
    pages = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _BUILD.format(root=str(ROOT))], env=env, capture_output=True, check=True
        )
        pages.append(out.stdout)
    assert pages[0] == pages[1]
    assert b"new L.Control.MiniMap(" in pages[0]


def test_maps_package_draws_without_the_engine():
    code = "import sys, mapper.maps; print(sorted(m for m in sys.modules if m in ('mapper.scale', 'mapper.pipeline')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_numbers_and_plurals_do_not_depend_on_the_locale():
    from mapper.maps.escape import count, number

    assert number(819869) == "819,869" and number(0) == "0"
    assert count(1, "place") == "1 place" and count(2, "place") == "2 places"
    assert count(1500, "event") == "1,500 events"
    assert count(1, "place needs", "places need") == "1 place needs"


def test_choropleth_classes_for_the_legend():
    from mapper.maps.layers import DISPLACED_BREAKS, FATALITY_BREAKS, class_labels

    assert [label for _, label in class_labels(FATALITY_BREAKS)] == [
        "1",
        "2\u201310",
        "11\u201350",
        "51\u2013200",
        "> 200",
    ]
    assert class_labels(DISPLACED_BREAKS)[1][1] == "501\u20135,000"


def test_summary_and_legend_of_a_map():
    page = map_html(make_map(small_events(), title="t"))
    assert "1 place needs review" in page  # singular
    assert "Displacement: 1" in page and "12,000" in page  # thousands separator
    assert "killed (or displaced &divide; 50)" in page
    assert 'class="im-legend-scale im-legend-scale-0" hidden' in page


def test_clusters_are_shared_across_categories():
    page = map_html(make_map(small_events(), title="t"))
    assert page.count("new L.IncidentClusters(") == 1
    assert page.count("new L.IncidentEvents(") == 4  # three categories and the review layer
    unclustered = map_html(make_map(small_events(), title="t", cluster=False))
    assert "new L.IncidentClusters(" not in unclustered and "leaflet.markercluster.js" not in unclustered


def test_place_labels_most_events_first():
    from mapper.maps.build import label_places

    places = label_places(small_events())
    assert places["n"] == ["Town 1", "Town 2", "Town 3", "Town 4"] and places["c"] == [1, 1, 1, 1]  # ties by name
    events = small_events()
    events.loc[:, "location"] = ["El Fasher", "El Fasher", "El Fasher", "Khartoum"]
    assert label_places(events) == {"n": ["El Fasher", "Khartoum"], "y": [13.63, 15.6], "x": [25.35, 32.5], "c": [3, 1]}


def test_derived_people_are_marked():
    events = small_events()
    events.loc[events["category"] == "displacement", "household_size"] = 5.0
    page = map_html(make_map(events, title="t"))
    assert "(some estimated from families)" in page
    assert '"household_size":' in page and "' (estimated: '" in page


def test_place_labels_are_capped():
    from mapper.maps.build import label_places

    assert label_places(small_events(), limit=2)["n"] == ["Town 1", "Town 2"]


def test_a_dask_frame_is_a_clear_error():
    import dask_geopandas

    from mapper.errors import InputError

    lazy = dask_geopandas.from_geopandas(small_events(), npartitions=2)
    with pytest.raises(
        InputError, match=r"make_map draws a geopandas GeoDataFrame, not a dask_geopandas\..*GeoDataFrame"
    ):
        make_map(lazy)
