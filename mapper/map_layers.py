"""Map elements beyond the event markers: basemaps, province outlines and choropleths, heatmap, date
filter, mini-map, fullscreen. Each is one small class; all assets come from the vendored npm copies."""

from __future__ import annotations

import json
import math

import folium
import geopandas as gpd
import pandas as pd
from folium.map import Layer
from folium.plugins import Fullscreen, HeatMap, MiniMap
from folium.template import Template

from .assets import cdn
from .geo import admin1_polygons

HEAT = "leaflet.heat@0.2.0"
FULLSCREEN = "leaflet.fullscreen@3.0.0"
MINIMAP = "leaflet-minimap@3.6.1"

# (name, xyzservices provider path, shown first): tiles load from the network when there is one
BASEMAPS = [
    ("OpenStreetMap", "OpenStreetMap.Mapnik"),
    ("Humanitarian (OSM HOT)", "OpenStreetMap.HOT"),
    ("Light (Esri World Gray Canvas)", "Esri.WorldGrayCanvas"),
    ("Satellite (Esri World Imagery)", "Esri.WorldImagery"),
]
# ColorBrewer sequential classes (Reds, Blues), upper bounds of each class
FATALITY_BREAKS = [(1, "#fee5d9"), (10, "#fcae91"), (50, "#fb6a4a"), (200, "#de2d26"), (math.inf, "#a50f15")]
DISPLACED_BREAKS = [
    (500, "#eff3ff"),
    (5_000, "#bdd7e7"),
    (20_000, "#6baed6"),
    (100_000, "#3182bd"),
    (math.inf, "#08519c"),
]


def basemaps(m: folium.Map) -> None:
    """OpenStreetMap (shown), a light map and satellite imagery, switchable in the layer control."""
    import xyzservices.providers as xyz

    for i, (name, path) in enumerate(BASEMAPS):
        provider = xyz.query_name(path)
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=name,
            max_zoom=provider.get("max_zoom", 19),
            overlay=False,
            control=True,
            show=i == 0,
        ).add_to(m)


def admin_summary(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Provinces of the countries that have events, with counts, fatalities and people displaced per province
    (events joined to polygons by location, vectorised)."""
    polys = admin1_polygons()
    countries = set(events["country_code"].dropna())
    polys = polys[polys["iso_a2"].isin(countries)].copy()
    if polys.empty:
        return polys.assign(events=0, fatalities=0, displaced=0)
    pts = events[["fatalities", "displaced_people", "geometry"]]
    joined = gpd.sjoin(pts, polys[["key", "geometry"]], how="inner", predicate="within")
    agg = joined.groupby("key").agg(
        events=("key", "size"), fatalities=("fatalities", "sum"), displaced=("displaced_people", "sum")
    )
    polys = polys.merge(agg, left_on="key", right_index=True, how="left")
    for c in ("events", "fatalities", "displaced"):
        polys[c] = pd.to_numeric(polys[c], errors="coerce").fillna(0).astype(int)
    return polys


def _colour(value: int, breaks) -> str | None:
    if value <= 0:
        return None
    return next(c for bound, c in breaks if value <= bound)


class AdminData(folium.MacroElement):
    """The province polygons and figures, embedded once and shared by the layers drawn from them."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var im_admin = {{ this.data_json }};
function im_admin_tip(text) { return function () { var s = document.createElement('span');
    s.textContent = text; return s; }; }
{% endmacro %}
"""
    )

    def __init__(self, polys: gpd.GeoDataFrame, safe_json):
        super().__init__()
        self._name = "AdminData"
        feats = []
        for r in polys.itertuples(index=False):
            feats.append(
                {
                    "type": "Feature",
                    "properties": {
                        "key": r.key,
                        "name": r.name if isinstance(r.name, str) else r.key,  # a few polygons lack a name
                        "iso": r.iso_a2,
                        "events": int(r.events),
                        "fatalities": int(r.fatalities),
                        "displaced": int(r.displaced),
                        "fat_colour": _colour(int(r.fatalities), FATALITY_BREAKS),
                        "disp_colour": _colour(int(r.displaced), DISPLACED_BREAKS),
                    },
                    "geometry": r.geometry.__geo_interface__,
                }
            )
        self.data_json = safe_json({"type": "FeatureCollection", "features": feats})


class AdminLayer(Layer):
    """One view of the shared province data: outlines, or a choropleth of one figure."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON(im_admin, {
    interactive: {{ 'true' if this.field else 'false' }},
    filter: function (f) { return {{ 'f.properties.' ~ this.colour_field ~ ' !== null' if this.field else 'true' }}; },
    style: function (f) {
        {% if this.field %}
        return {color: '#555', weight: 0.6, fillColor: f.properties.{{ this.colour_field }}, fillOpacity: 0.65,
                className: 'im-choropleth im-choropleth-{{ this.field }}'};
        {% else %}
        return {color: '#666', weight: 0.8, fill: false, className: 'im-outline'};
        {% endif %}
    },
    onEachFeature: function (f, layer) {
        {% if this.field %}
        layer.bindTooltip(im_admin_tip(f.properties.name + ': ' + f.properties.{{ this.field }}.toLocaleString()
            + ' {{ this.unit }} (' + f.properties.events + ' events)'));
        {% endif %}
    }
});
{% endmacro %}
"""
    )

    def __init__(self, name: str, field: str = "", colour_field: str = "", unit: str = "", show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AdminLayer"
        self.field, self.colour_field, self.unit = field, colour_field, unit


class CountryOutlines(Layer):
    """Country borders (provinces dissolved), drawn thicker than province lines; no tiles needed."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {interactive: false,
    style: function () { return {color: '#333', weight: 1.6, fill: false, className: 'im-country-outline'}; }});
{% endmacro %}
"""
    )

    def __init__(self, polys: gpd.GeoDataFrame, safe_json):
        super().__init__(name="Country outlines", overlay=True, control=False, show=True)
        self._name = "CountryOutlines"
        countries = polys[["iso_a2", "geometry"]].dissolve(by="iso_a2").reset_index()
        countries["geometry"] = countries.geometry.simplify(0.01)
        self.data_json = safe_json(json.loads(countries.to_json(drop_id=True)))


EVENT_BREAKS = [(10, "#fef0d9"), (100, "#fdcc8a"), (1_000, "#fc8d59"), (10_000, "#e34a33"), (math.inf, "#b30000")]


class HexLayer(folium.GeoJson):
    """Events per hexagonal cell (a map of millions of events draws these, not the points); the tooltip
    gives events, fatalities and people displaced of the cell."""

    def __init__(self, hexes: gpd.GeoDataFrame, name: str = "Events per hexagon", show: bool = True):
        data = hexes[["events", "fatalities", "displaced", "geometry"]].copy()
        data["colour"] = [_colour(int(v), EVENT_BREAKS) or "#fef0d9" for v in data["events"]]
        super().__init__(
            json.loads(data.to_json(drop_id=True)),
            name=name,
            show=show,
            style_function=_hex_style,
            tooltip=folium.GeoJsonTooltip(
                fields=["events", "fatalities", "displaced"], aliases=["events", "killed", "displaced"]
            ),
        )


def _hex_style(feature: dict) -> dict:
    return {"fillColor": feature["properties"]["colour"], "color": "#7f2704", "weight": 0.5, "fillOpacity": 0.6}


class HeatLayer(HeatMap):
    """folium's HeatMap with leaflet.heat from the vendored npm release."""

    default_js = [("leaflet-heat.js", cdn(HEAT, "dist/leaflet-heat.js"))]


class FullscreenControl(Fullscreen):
    default_js = [("Control.Fullscreen.js", cdn(FULLSCREEN, "Control.FullScreen.js"))]
    default_css = [("Control.FullScreen.css", cdn(FULLSCREEN, "Control.FullScreen.css"))]


class MiniMapControl(MiniMap):
    default_js = [("Control_MiniMap_js", cdn(MINIMAP, "dist/Control.MiniMap.min.js"))]
    default_css = [("Control_MiniMap_css", cdn(MINIMAP, "dist/Control.MiniMap.min.css"))]


class DateFilter(folium.MacroElement):
    """A control with two sliders (from, to) over the event dates and a play button that steps through
    the days; markers and uncertainty circles outside the window are removed from their layers."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    var dates = {{ this.dates_json }};
    var map = {{ this._parent.get_name() }};
    var ctl = L.control({position: 'bottomright'});
    ctl.onAdd = function () {
        var box = L.DomUtil.create('div', 'im-date-filter');
        box.style.cssText = 'background:#fff;padding:6px 8px;border-radius:4px;font:12px sans-serif;'
            + 'box-shadow:0 1px 4px rgba(0,0,0,.4);min-width:220px';
        var label = document.createElement('div'); label.className = 'im-date-label'; box.appendChild(label);
        function slider(value, cls) { var s = document.createElement('input'); s.type = 'range'; s.min = 0;
            s.max = dates.length - 1; s.value = value; s.className = cls; s.style.width = '100%';
            box.appendChild(s); return s; }
        var from = slider(0, 'im-date-from'), to = slider(dates.length - 1, 'im-date-to');
        var play = document.createElement('button'); play.type = 'button'; play.className = 'im-date-play';
        play.textContent = '\u25b6 play days'; box.appendChild(play);
        function apply() {
            var a = Math.min(+from.value, +to.value), b = Math.max(+from.value, +to.value), shown = 0;
            (window.imLayers || []).forEach(function (L_) {
                var keep = [], keepAreas = [];
                L_.items.forEach(function (it) { if (it.d >= a && it.d <= b) { keep.push(it.m);
                    if (it.a) keepAreas.push(it.a); } });
                L_.markers.clearLayers(); L_.areas.clearLayers();
                if (L_.markers.addLayers) { L_.markers.addLayers(keep); } else { keep.forEach(function (m) { L_.markers.addLayer(m); }); }
                keepAreas.forEach(function (x) { L_.areas.addLayer(x); });
                if (L_.counted) shown += keep.length;
            });
            label.textContent = dates[a] + ' \u2013 ' + dates[b] + ' \u00b7 ' + shown + ' events';
            box.setAttribute('data-shown', shown);
        }
        from.addEventListener('input', apply); to.addEventListener('input', apply);
        var timer = null;
        play.addEventListener('click', function () {
            if (timer) { clearInterval(timer); timer = null; play.textContent = '\u25b6 play days'; return; }
            var day = 0; play.textContent = '\u25a0 stop';
            timer = setInterval(function () { from.value = day; to.value = day; apply(); day += 1;
                if (day >= dates.length) { clearInterval(timer); timer = null; play.textContent = '\u25b6 play days'; } }, 700);
        });
        L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
        setTimeout(apply, 0);
        return box;
    };
    ctl.addTo(map);
})();
{% endmacro %}
"""
    )

    def __init__(self, dates: list[str], safe_json):
        super().__init__()
        self._name = "DateFilter"
        self.dates_json = safe_json(dates)
