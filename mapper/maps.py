"""Interactive incident maps on folium. Each map element is one small class with its template and assets.

Data is embedded once per layer as GeoJSON (escaped for a <script> block) and drawn by one element;
popups are built in the browser with DOM nodes and ``textContent``, so report text can never become
markup or script.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from .assets import LEAFLET, MARKERCLUSTER, cdn, inline_assets
from .atomic import write_text
from .schema import CATEGORIES, GEO_PRECISION_WORDS, TIME_PRECISION_WORDS

# colour, label: the same on every map
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "strike": ("#d62728", "Strikes and explosions"),
    "clash": ("#ff7f0e", "Armed clashes"),
    "attack": ("#8c564b", "Attacks on civilians"),
    "displacement": ("#1f77b4", "Displacement"),
    "unrest": ("#9467bd", "Protests and riots"),
    "other": ("#7f7f7f", "Other"),
}
# radius in metres of the uncertainty circle by geo_precision
UNCERTAINTY_M = {2: 10_000, 3: 60_000}
# above this many events markers are drawn on a canvas (fast) instead of as SVG elements
CANVAS_ABOVE = 5_000


# branca renders the output of every MacroElement macro a second time as a Jinja template, so text that
# reaches a macro must not contain a Jinja opening delimiter ("{{", "{%", "{#").
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def safe_json(obj) -> str:
    """JSON that is safe inside an HTML <script> block (no '<', '>', '&', U+2028/9 as raw characters) and
    inert for Jinja. In JSON text a brace followed by '{', '%' or '#' can only stand inside a string, where
    the escape \\u007b means the same character."""
    s = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _JINJA_OPEN.sub(r"\\u007b", s)


def safe_html_text(text: str) -> str:
    """Text for an HTML element body: escaped, and braces as character references (Jinja-inert)."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


class IncidentMap(folium.Map):
    """A folium Map that carries only Leaflet (no jQuery/Bootstrap/font icons): small and offline-ready."""

    default_js = [("leaflet", cdn(LEAFLET, "dist/leaflet.js"))]
    default_css = [("leaflet_css", cdn(LEAFLET, "dist/leaflet.css"))]


class StaticHtml(Element):
    """Literal HTML for the page header. Never a Jinja template: text in it cannot be evaluated."""

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "StaticHtml"
        self.html_text = html_text

    def render(self, **kwargs) -> str:
        return self.html_text


class PopupBuilder(MacroElement):
    """Defines ``window.incidentPopup(properties)`` once: a popup as DOM nodes filled with textContent."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.incidentPopup = function (p) {
    var root = document.createElement('div');
    root.className = 'im-popup';
    function row(label, value) {
        if (value === null || value === undefined || value === '') return;
        var r = document.createElement('div');
        var b = document.createElement('b');
        b.textContent = label + ': ';
        r.appendChild(b);
        r.appendChild(document.createTextNode(String(value)));
        root.appendChild(r);
    }
    var h = document.createElement('div');
    h.className = 'im-popup-title';
    h.textContent = (p.sub_event_type || p.category) + (p.location ? ' \u2014 ' + p.location : '');
    root.appendChild(h);
    row('Category', p.category);
    row('Type', p.event_type);
    row('Date', p.event_date + (p.time_precision_words ? ' (' + p.time_precision_words + ')' : ''));
    row('Actors', [p.actor1, p.actor2].filter(Boolean).join(' vs '));
    row('Fatalities', p.fatalities !== null ? p.fatalities : p.fatalities_text);
    row('Displaced families', p.displaced_families);
    row('Displaced people', p.displaced_people);
    row('Destination', p.destination);
    row('Place', p.location + (p.place_id ? ' [' + p.place_id + ']' : ''));
    row('Precision', p.geo_precision_words);
    row('Place as written', p.location_text);
    row('Source', p.source);
    var q = document.createElement('blockquote');
    q.className = 'im-source-text';
    q.textContent = p.source_text || '';
    root.appendChild(q);
    return root;
};
{% endmacro %}
"""
    )


class EventLayer(JSCSSMixin, Layer):
    """One category's events: circle markers sized by magnitude, optional clustering, uncertainty circles."""

    default_js = [("markercluster_js", cdn(MARKERCLUSTER, "dist/leaflet.markercluster.js"))]
    default_css = [
        ("markercluster_css", cdn(MARKERCLUSTER, "dist/MarkerCluster.css")),
        ("markercluster_default_css", cdn(MARKERCLUSTER, "dist/MarkerCluster.Default.css")),
    ]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var data = {{ this.data_json }};
    var colour = {{ this.colour_json }};
    var markers = {{ 'L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40})' if this.cluster else 'L.featureGroup()' }};
    var areas = L.featureGroup();
    data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates, ll = [c[1], c[0]];
        var m = L.circleMarker(ll, {radius: p.marker_radius, color: '#222', weight: 1, fillColor: colour,
                                    fillOpacity: 0.85, className: 'im-marker im-' + p.category});
        m.bindPopup(function () { return window.incidentPopup(p); }, {maxWidth: 360});
        var tip = document.createElement('span');
        tip.textContent = p.tooltip;
        m.bindTooltip(tip);
        m.feature = f;
        markers.addLayer(m);
        if (p.uncertainty_m) {
            areas.addLayer(L.circle(ll, {radius: p.uncertainty_m, color: colour, weight: 1, dashArray: '4 4',
                                         fillOpacity: 0.08, interactive: false,
                                         className: 'im-uncertainty im-precision-' + p.geo_precision}));
        }
    });
    return L.featureGroup([areas, markers]);
})();
{% endmacro %}
"""
    )

    def __init__(
        self, features: list[dict], category: str, name: str, colour: str, cluster: bool = True, show: bool = True
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventLayer"
        self.category = category
        self.cluster = cluster
        if not cluster:
            self.default_js, self.default_css = [], []
        self.data_json = safe_json({"type": "FeatureCollection", "features": features})
        self.colour_json = safe_json(colour)


class HtmlBox(MacroElement):
    """A fixed box of static HTML (legend, title); the HTML is built from escaped text by its maker."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="{{ this.css_class }}" style="{{ this.style }}">{{ this.body }}</div>
{% endmacro %}
"""
    )

    def __init__(self, body: str, css_class: str, style: str):
        super().__init__()
        self._name = "HtmlBox"
        self.body = body
        self.css_class = css_class
        self.style = style


def _legend(categories: list[str]) -> HtmlBox:
    rows = "".join(
        f'<div class="im-legend-row" data-category="{c}"><span style="display:inline-block;width:12px;height:12px;'
        f'border-radius:6px;background:{CATEGORY_STYLE[c][0]};margin-right:6px"></span>'
        f"{safe_html_text(CATEGORY_STYLE[c][1])}</div>"
        for c in categories
    )
    rows += (
        '<div class="im-legend-row" style="margin-top:4px"><span style="display:inline-block;width:12px;height:12px;'
        'border:1px dashed #555;border-radius:6px;margin-right:6px"></span>place known only approximately</div>'
    )
    return HtmlBox(
        "<b>Legend</b>" + rows,
        "im-legend",
        "position:fixed;bottom:24px;left:10px;z-index:1000;background:#fff;padding:6px 8px;border-radius:4px;"
        "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.4)",
    )


def _summary(gdf: gpd.GeoDataFrame, title: str) -> HtmlBox:
    counts = gdf["category"].value_counts()
    parts = [f"<div class='im-title' style='font-weight:bold;font-size:14px'>{safe_html_text(title)}</div>"]
    if len(gdf):
        parts.append(
            f"<div>{safe_html_text(str(gdf['event_date'].min()))} to {safe_html_text(str(gdf['event_date'].max()))}"
            f" &middot; {len(gdf)} events</div>"
        )
        parts.append(
            "<div>"
            + ", ".join(
                f"{safe_html_text(CATEGORY_STYLE[c][1])}: {int(n)}" for c, n in counts.items() if c in CATEGORY_STYLE
            )
            + "</div>"
        )
        fat = gdf["fatalities"].sum(skipna=True)
        disp = gdf["displaced_people"].sum(skipna=True)
        parts.append(f"<div>Fatalities reported: {int(fat)} &middot; people displaced: {int(disp)}</div>")
        parts.append(f"<div>Sources: {gdf['source'].nunique()}</div>")
    else:
        parts.append("<div>No events</div>")
    return HtmlBox(
        "".join(parts),
        "im-summary",
        "position:fixed;top:10px;left:50px;z-index:1000;background:#fff;padding:6px 10px;border-radius:4px;"
        "font:12px sans-serif;max-width:420px;box-shadow:0 1px 4px rgba(0,0,0,.4)",
    )


def marker_radius(fatalities, displaced) -> float:
    """Pixels: 5 for an event without figures, growing with the log of its magnitude."""
    mag = max(fatalities or 0, (displaced or 0) / 50)
    return round(5 + 2.2 * math.log2(1 + mag), 1)


def _features(gdf: gpd.GeoDataFrame) -> list[dict]:
    out = []
    for row in gdf.itertuples(index=False):
        p = {
            k: (None if pd.isna(v) else (v.item() if hasattr(v, "item") else v))
            for k, v in row._asdict().items()
            if k != "geometry"
        }
        p["marker_radius"] = marker_radius(p.get("fatalities"), p.get("displaced_people"))
        p["uncertainty_m"] = UNCERTAINTY_M.get(p.get("geo_precision") or 0)
        p["geo_precision_words"] = GEO_PRECISION_WORDS.get(p.get("geo_precision") or 0)
        p["time_precision_words"] = TIME_PRECISION_WORDS.get(p.get("time_precision") or 0)
        figures = []
        if p.get("fatalities") is not None:
            figures.append(f"{p['fatalities']} killed")
        if p.get("displaced_families") is not None:
            figures.append(f"{p['displaced_families']} families displaced")
        elif p.get("displaced_people") is not None:
            figures.append(f"{p['displaced_people']} people displaced")
        p["tooltip"] = " · ".join(
            [str(p.get("event_date")), str(p.get("sub_event_type")), str(p.get("location")), *figures]
        )
        out.append(
            {
                "type": "Feature",
                "properties": p,
                "geometry": {"type": "Point", "coordinates": [round(row.geometry.x, 6), round(row.geometry.y, 6)]},
            }
        )
    return out


def make_map(
    events: gpd.GeoDataFrame, title: str = "Incident map", cluster: bool = True, layers: list[str] | None = None
) -> folium.Map:
    """A folium map of events: one toggleable layer per category, legend, summary, popups with sources."""
    gdf = events.to_crs(4326) if events.crs else events
    gdf = gdf[~gdf.geometry.is_empty & gdf.geometry.notna()]
    if layers:
        gdf = gdf[gdf["category"].isin(layers)]
    if len(gdf):
        minx, miny, maxx, maxy = gdf.total_bounds
        centre = [(miny + maxy) / 2, (minx + maxx) / 2]
    else:
        centre = [20, 0]
    m = IncidentMap(
        location=centre, zoom_start=6, tiles="OpenStreetMap", control_scale=True, prefer_canvas=len(gdf) > CANVAS_ABOVE
    )
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(StaticHtml(f"<title>{safe_html_text(title)}</title>"), name="im_title")
    root.header.add_child(
        StaticHtml(
            "<style>.im-popup{font:12px sans-serif;max-width:340px}.im-popup-title{font-weight:bold;margin-bottom:4px}"
            ".im-source-text{margin:6px 0 0;padding-left:6px;border-left:3px solid #ccc;font-style:italic}</style>"
        ),
        name="im_style",
    )
    m.add_child(PopupBuilder())
    present = [c for c in CATEGORIES if c in set(gdf["category"])]
    for c in present:
        colour, label = CATEGORY_STYLE[c]
        m.add_child(EventLayer(_features(gdf[gdf["category"] == c]), c, label, colour, cluster=cluster))
    m.add_child(_legend(present))
    m.add_child(_summary(gdf, title))
    folium.LayerControl(collapsed=False).add_to(m)
    if len(gdf) > 1:
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(30, 30), max_zoom=8)
    return m


def _stable_ids(m: folium.Map) -> None:
    """folium names elements with random ids; number them in tree order so that the same input gives a
    byte-identical page."""
    counter = 0

    def walk(el) -> None:
        nonlocal counter
        el._id = f"{counter:012x}"
        counter += 1
        for child in list(el._children.values()):
            walk(child)

    walk(m.get_root())


def map_html(m: folium.Map, cdn: bool = False) -> str:
    """The page as one HTML string; self-contained unless ``cdn``."""
    _stable_ids(m)
    page = m.get_root().render()
    return page if cdn else inline_assets(page)


def save_map(m: folium.Map, path: str | Path, cdn: bool = False) -> Path:
    return write_text(path, map_html(m, cdn=cdn))
