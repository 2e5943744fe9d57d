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
# above this many events uncertainty circles are drawn only from this zoom level on
DETAIL_ABOVE = 20_000
AREAS_FROM_ZOOM = 8


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
window.imWords = {{ this.words_json }};
window.incidentTooltip = function (p) {
    var figures = [];
    if (p.fatalities != null) figures.push(p.fatalities + ' killed');
    if (p.displaced_families != null) figures.push(p.displaced_families + ' families displaced');
    else if (p.displaced_people != null) figures.push(p.displaced_people + ' people displaced');
    return [p.event_date, p.sub_event_type || p.category, p.location].concat(figures).join(' \u00b7 ');
};
window.incidentPopup = function (p) {
    var W = window.imWords;
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
    row('Date', p.event_date + (W.time[p.time_precision] ? ' (' + W.time[p.time_precision] + ')' : ''));
    row('Actors', [p.actor1, p.actor2].filter(Boolean).join(' vs '));
    row('Fatalities', p.fatalities != null ? p.fatalities : p.fatalities_text);
    row('Displaced families', p.displaced_families);
    row('Displaced people', p.displaced_people);
    row('Destination', p.destination);
    row('Place', (p.location || '') + (p.place_id ? ' [' + p.place_id + ']' : ''));
    row('Precision', W.geo[p.geo_precision]);
    row('Place as written', p.location_text);
    row('Source', p.source);
    row('Needs review', p.review);
    var q = document.createElement('blockquote');
    q.className = 'im-source-text';
    q.textContent = p.source_text || '';
    root.appendChild(q);
    return root;
};
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "PopupBuilder"
        self.words_json = safe_json(
            {"geo": GEO_PRECISION_WORDS, "time": TIME_PRECISION_WORDS, "uncertainty": UNCERTAINTY_M}
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
    var markers = {{ 'L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true})' if this.cluster else 'L.featureGroup()' }};
    var areas = L.featureGroup();
    var items = [];
    // columns: a list of values, or {u: distinct values, i: index per event} for repetitive ones
    function val(col, i) { return col && col.u ? col.u[col.i[i]] : (col ? col[i] : undefined); }
    function props(i) {
        var p = {};
        for (var k in data.c) { var v = val(data.c[k], i); if (v !== null && v !== undefined) p[k] = v; }
        return p;
    }
    data.x.forEach(function (x, i) {
        var ll = [data.y[i], x], gp = val(data.c.geo_precision, i);
        var m = L.circleMarker(ll, {radius: val(data.c.r, i), color: {{ this.ring_json }},
                                    weight: {{ this.ring_weight }}, fillColor: colour, fillOpacity: 0.85,
                                    className: 'im-marker im-' + {{ this.class_json }}});
        m.bindPopup(function () { return window.incidentPopup(props(i)); }, {maxWidth: 360});
        m.bindTooltip(function () {
            var tip = document.createElement('span');
            tip.textContent = window.incidentTooltip(props(i));
            return tip;
        });
        m.eventIndex = i;
        var area = null;
        var metres = window.imWords.uncertainty[gp];
        if (metres) {
            area = L.circle(ll, {radius: metres, color: colour, weight: 1, dashArray: '4 4',
                                 fillOpacity: 0.08, interactive: false,
                                 className: 'im-uncertainty im-precision-' + gp});
        }
        items.push({m: m, a: area, d: val(data.c.d, i)});
    });
    if (markers.addLayers) { markers.addLayers(items.map(function (it) { return it.m; })); }
    else { items.forEach(function (it) { markers.addLayer(it.m); }); }
    items.forEach(function (it) { if (it.a) areas.addLayer(it.a); });
    (window.imLayers = window.imLayers || []).push({markers: markers, areas: areas, items: items,
                                                    counted: {{ 'true' if this.counted else 'false' }}});
    var group = L.featureGroup([markers]);
    {% if this.areas_from_zoom %}
    // many events: uncertainty circles appear one zoom level into the detail, not at overview
    var map = {{ this._parent.get_name() }};
    function showAreas() {
        if (map.getZoom() >= {{ this.areas_from_zoom }}) group.addLayer(areas); else group.removeLayer(areas);
    }
    map.on('zoomend', showAreas);
    map.whenReady(showAreas);
    {% else %}
    group.addLayer(areas);
    {% endif %}
    return group;
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        columns: dict,
        category: str,
        name: str,
        colour: str,
        cluster: bool = True,
        show: bool = True,
        ring: str = "#222",
        ring_weight: int = 1,
        areas_from_zoom: int | None = None,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventLayer"
        self.areas_from_zoom = areas_from_zoom
        self.category = category
        self.cluster = cluster
        self.ring_json = safe_json(ring)
        self.ring_weight = int(ring_weight)
        self.class_json = safe_json(category)
        self.counted = category != "review"  # the review layer repeats events of the category layers
        if not cluster:
            self.default_js, self.default_css = [], []
        self.data_json = safe_json(columns)
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


def _legend(categories: list[str], review: int = 0) -> HtmlBox:
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
    if review:
        rows += (
            '<div class="im-legend-row"><span style="display:inline-block;width:10px;height:10px;'
            'border:3px solid #e6550d;border-radius:8px;margin-right:6px"></span>place needs review</div>'
        )
    return HtmlBox(
        "<b>Legend</b>" + rows,
        "im-legend",
        "position:fixed;bottom:24px;left:150px;z-index:1000;background:#fff;padding:6px 8px;border-radius:4px;"
        "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.4)",
    )


def _summary(gdf: gpd.GeoDataFrame, title: str, review: int = 0) -> HtmlBox:
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
        if review:
            parts.append(
                f"<div class='im-review-count'>{review} places need review (layer &ldquo;Needs review&rdquo;; "
                "list in review.csv)</div>"
            )
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


# fields the page does not show: left out of the embedded data to keep big maps small
_NOT_EMBEDDED = {"geometry", "household_size", "report_date", "confidence", "country_code", "admin2"}


def _columns(gdf: gpd.GeoDataFrame, date_index: dict[str, int]) -> dict:
    """The events of one layer as columns (keys written once; repetitive columns dictionary-encoded):
    ``{"x": [lon], "y": [lat], "c": {field: [values] | {"u": distinct, "i": [index]}}}``."""
    cols: dict[str, object] = {}
    for name in gdf.columns:
        if name in _NOT_EMBEDDED:
            continue
        values = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in gdf[name]]
        cols[name] = _encode(values)
    dates = gdf["event_date"].astype(str)
    cols["d"] = _encode([date_index.get(d, 0) for d in dates])
    cols["r"] = _encode(
        [marker_radius(f, d) for f, d in zip(_ints(gdf["fatalities"]), _ints(gdf["displaced_people"]), strict=True)]
    )
    return {
        "x": [round(float(v), 6) for v in gdf.geometry.x],
        "y": [round(float(v), 6) for v in gdf.geometry.y],
        "c": cols,
    }


def _ints(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in series]


def _encode(values: list) -> object:
    distinct = list(dict.fromkeys(values))
    if len(values) > 8 and len(distinct) <= len(values) // 2:
        index = {v: i for i, v in enumerate(distinct)}
        return {"u": distinct, "i": [index[v] for v in values]}
    return values


def make_map(
    events: gpd.GeoDataFrame,
    title: str = "Incident map",
    cluster: bool = True,
    layers: list[str] | None = None,
    heatmap: bool = True,
    provinces: bool = True,
    date_filter: bool = True,
    minimap: bool = True,
    basemap_choice: bool = True,
    admin_polys: gpd.GeoDataFrame | None = None,
    hexes: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """A folium map of events: a toggleable layer per category with legend, summary and popups; a "needs
    review" layer; province outlines (visible without tiles) and choropleths of fatalities and displacement;
    a heatmap (off by default); a date filter; switchable basemaps, fullscreen, scale bar and mini-map.

    For inputs too big to draw, pass a sample as ``events`` and the whole input's aggregates
    (:func:`mapper.geo.aggregates`): ``admin_polys`` for the province layers and ``hexes`` for a layer
    of events per hexagon; :func:`mapper.pipeline.make_map` does that for a dask-geopandas frame."""
    from . import map_layers as ml

    gdf = events.to_crs(4326) if events.crs else events
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if layers:
        gdf = gdf[gdf["category"].isin(layers)]
    if len(gdf):
        minx, miny, maxx, maxy = gdf.total_bounds
        centre = [(miny + maxy) / 2, (minx + maxx) / 2]
    else:
        centre = [20, 0]
    m = IncidentMap(
        location=centre,
        zoom_start=6,
        tiles=None if basemap_choice else "OpenStreetMap",
        control_scale=True,
        prefer_canvas=len(gdf) > CANVAS_ABOVE,
    )
    if basemap_choice:
        ml.basemaps(m)
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
    if hexes is not None and len(hexes):
        m.add_child(ml.HexLayer(hexes))
    if provinces and (len(gdf) or admin_polys is not None):
        polys = ml.admin_summary(gdf) if admin_polys is None else admin_polys
        if len(polys):
            m.add_child(ml.AdminData(polys, safe_json))
            m.add_child(ml.CountryOutlines(polys, safe_json))
            m.add_child(ml.AdminLayer("Province outlines"))
            m.add_child(ml.AdminLayer("Fatalities by province", "fatalities", "fat_colour", "killed", show=False))
            m.add_child(ml.AdminLayer("Displacement by province", "displaced", "disp_colour", "displaced", show=False))
    dates = sorted(set(gdf["event_date"].astype(str)))
    date_index = {d: i for i, d in enumerate(dates)}
    present = [c for c in CATEGORIES if c in set(gdf["category"])]
    for c in present:
        colour, label = CATEGORY_STYLE[c]
        m.add_child(
            EventLayer(
                _columns(gdf[gdf["category"] == c], date_index),
                c,
                label,
                colour,
                cluster=cluster,
                areas_from_zoom=AREAS_FROM_ZOOM if len(gdf) > DETAIL_ABOVE else None,
            )
        )
    to_review = gdf[gdf["review"].notna()] if "review" in gdf else gdf.iloc[0:0]
    if len(to_review):
        m.add_child(
            EventLayer(
                _columns(to_review, date_index),
                "review",
                f"Needs review ({len(to_review)})",
                "#ffffff",
                cluster=False,
                show=False,
                ring="#e6550d",
                ring_weight=3,
            )
        )
    if heatmap and len(gdf):
        weights = [
            round(1 + math.log1p(max(f or 0, (d or 0) / 50)), 3)
            for f, d in zip(gdf["fatalities"].fillna(0), gdf["displaced_people"].fillna(0), strict=True)
        ]
        pts = [[round(y, 5), round(x, 5), w] for x, y, w in zip(gdf.geometry.x, gdf.geometry.y, weights, strict=True)]
        m.add_child(ml.HeatLayer(pts, name="Heatmap", show=False, radius=22, blur=18, min_opacity=0.3))
    m.add_child(_legend(present, review=len(to_review)))
    m.add_child(_summary(gdf, title, review=len(to_review)))
    if date_filter and len(dates) > 1:
        m.add_child(ml.DateFilter(dates, safe_json))
    m.add_child(ml.FullscreenControl(position="topleft"))
    if minimap:
        m.add_child(ml.MiniMapControl(toggle_display=True, position="bottomleft", width=120, height=120))
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
