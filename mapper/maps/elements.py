"""The elements of an incident map. Each is one folium element with its template; its script lives in a
``js/*.js`` file of this package declared like any folium asset, options go through ``|tojavascript``, data
through ``|safe_json``, and elements that work together take references to each other (``get_name()``).

Popups are built in the browser with DOM nodes and ``textContent``, so report text can never become markup
or script.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer

from ..schema import GEO_PRECISION_WORDS, TIME_PRECISION_WORDS
from .assets import LEAFLET, MARKERCLUSTER, Page, cdn, own
from .escape import Template, safe_html_text

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
# (top left, bottom right) padding in px that keeps events clear of the summary (top left), the legend and
# the date filter (bottom): the first view and every cluster zoom use it
PANEL_PADDING: tuple[tuple[int, int], tuple[int, int]] = ((50, 130), (50, 210))
UNCERTAINTY_M = {2: 10_000, 3: 60_000}


class IncidentMap(folium.Map):
    """A folium Map that carries only Leaflet and this package's stylesheet (no jQuery/Bootstrap/font icons):
    small and offline-ready. Its page (:class:`~.assets.Page`) names elements deterministically."""

    default_js = [("leaflet", cdn(LEAFLET, "dist/leaflet.js"))]
    default_css = [
        ("leaflet_css", cdn(LEAFLET, "dist/leaflet.css")),
        ("incident_map_css", own("css/incident-map.css")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = Page()
        self.page.add_child(self)


class PageTitle(Element):
    """The page's <title>. Never a Jinja template: text in it cannot be evaluated."""

    def __init__(self, title: str):
        super().__init__()
        self._name = "PageTitle"
        self.title = title

    def render(self, **kwargs) -> str:
        return f"<title>{safe_html_text(self.title)}</title>"


class PopupBuilder(JSCSSMixin, MacroElement):
    """Builds the popup and tooltip of an event (``L.IncidentPopups``); event layers take it as an argument."""

    default_js = [("incident_format_js", own("js/format.js")), ("incident_popups_js", own("js/popups.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.IncidentPopups({{ this.words|safe_json }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "PopupBuilder"
        self.words = {"geo": GEO_PRECISION_WORDS, "time": TIME_PRECISION_WORDS}


class EventClusters(JSCSSMixin, MacroElement):
    """One cluster group shared by the event layers of every category (``L.IncidentClusters``): co-located
    events of different kinds share a cluster, drawn as a donut of category colours around the count, and
    spiderfy together. Not in the layer control: each category layer adds and removes its own markers."""

    default_js = [
        ("markercluster_js", cdn(MARKERCLUSTER, "dist/leaflet.markercluster.js")),
        ("incident_format_js", own("js/format.js")),
        ("incident_events_js", own("js/event-layer.js")),
        ("incident_clusters_js", own("js/clusters.js")),
    ]
    default_css = [
        ("markercluster_css", cdn(MARKERCLUSTER, "dist/MarkerCluster.css")),
    ]
    _template = Template(
        """
{% macro script(this, kwargs) %}
// on the map before the layers hand over their markers: markercluster checks every marker added off the map
// against its whole waiting list (quadratic: minutes for 100k events)
var {{ this.get_name() }} = new L.IncidentClusters({{ this.options|tojavascript }}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, categories: Sequence[str]):
        super().__init__()
        self._name = "EventClusters"
        self.options = {
            "categories": {c: list(CATEGORY_STYLE[c]) for c in categories},
            # a cluster opened by a click is zoomed to clear of the panels, as the first view is
            "paddingTopLeft": list(PANEL_PADDING[0]),
            "paddingBottomRight": list(PANEL_PADDING[1]),
        }


class EventLayer(JSCSSMixin, Layer):
    """One category's events (``L.IncidentEvents``): circle markers sized by magnitude, optional clustering,
    uncertainty circles."""

    default_js = [("incident_format_js", own("js/format.js")), ("incident_events_js", own("js/event-layer.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.IncidentEvents(
    {{ this.columns|safe_json }},
    {{ this.popups|tojavascript }},
    {{ this.clusters|tojavascript if this.clusters else 'null' }},
    {{ this.options|tojavascript }}
);
{% endmacro %}
"""
    )

    def __init__(
        self,
        columns: dict,
        popups: PopupBuilder,
        category: str,
        name: str,
        colour: str,
        clusters: EventClusters | None = None,
        show: bool = True,
        ring: str = "#222",
        ring_weight: int = 1,
        areas_from_zoom: int | None = None,
        size_panes: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventLayer"
        self.columns = columns
        self.popups = popups
        self.clusters = clusters
        self.category = category
        self.counted = category != "review"  # the review layer repeats events of the category layers
        self.options = {
            "category": category,
            "colour": colour,
            "ring": ring,
            "ring_weight": int(ring_weight),
            "counted": self.counted,
            "areas_from_zoom": areas_from_zoom,
            "uncertainty": UNCERTAINTY_M,
            "size_panes": size_panes,
        }


class PlaceLabels(JSCSSMixin, Layer):
    """Names of the places that have events (``L.IncidentPlaceLabels``), drawn from the data so they show
    without tiles; overlapping labels give way to the place with more events."""

    default_js = [("incident_labels_js", own("js/place-labels.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.IncidentPlaceLabels({{ this.places|safe_json }});
{% endmacro %}
"""
    )

    def __init__(self, places: dict, name: str = "Place names", show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PlaceLabels"
        self.places = places


class DateFilter(JSCSSMixin, MacroElement):
    """A control with two sliders (from, to) over the event dates and a play button that steps through the
    days (``L.Control.IncidentDates``); the event layers it is given keep only the events in the window."""

    default_js = [("incident_format_js", own("js/format.js")), ("incident_dates_js", own("js/date-filter.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.Control.IncidentDates(
    {{ this.dates|safe_json }},
    {{ this.layers|tojavascript }},
    {{ this.summary|tojavascript if this.summary else 'null' }},
    {{ this.options|tojavascript }}
).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        dates: list[str],
        layers: Sequence[EventLayer],
        summary: Summary | None = None,
        position: str = "bottomright",
    ):
        super().__init__()
        self._name = "DateFilter"
        self.dates = dates
        self.layers = list(layers)
        self.summary = summary
        self.options = {"position": position}


class Legend(JSCSSMixin, MacroElement):
    """What the map shows: one row per category present, marker size, clusters, approximate places and the
    needs-review ring; the classes of each choropleth and the heatmap while their layer is on. A <details>
    box, folded at first on a small screen."""

    default_js = [("incident_panels_js", own("js/panels.js")), ("incident_legend_js", own("js/legend.js"))]
    _template = Template(
        """
{% macro html(this, kwargs) %}
<details class="im-legend im-box" id="{{ this.get_name() }}" open><summary><b>Legend</b></summary>
{%- for category, colour, label in this.rows %}
<div class="im-legend-row" data-category="{{ category }}"><span class="im-legend-swatch" style="background:{{ colour }}"></span>{{ label|text }}</div>
{%- endfor %}
{%- if this.rows %}
<div class="im-legend-row im-gap im-legend-sizes">{% for radius, label in this.sizes %}<span class="im-legend-size-item"><span class="im-legend-size" style="width:{{ 2 * radius }}px;height:{{ 2 * radius }}px"></span>{{ label }}</span>{% endfor %} killed (or displaced &divide; 50)</div>
{%- if this.clustered %}
<div class="im-legend-row im-legend-cluster"><svg width="22" height="22" viewBox="0 0 22 22"><g transform="rotate(-90 11 11)">{% for dash, offset, colour in this.donut %}<circle r="8" cx="11" cy="11" fill="none" stroke="{{ colour }}" stroke-width="5" stroke-dasharray="{{ dash }}" stroke-dashoffset="{{ offset }}"/>{% endfor %}</g></svg>cluster: number of events, ring coloured by their categories (click to open)</div>
{%- endif %}
{%- endif %}
<div class="im-legend-row"><span class="im-legend-swatch im-legend-uncertain"></span>place known only approximately</div>
{%- if this.review %}
<div class="im-legend-row"><span class="im-legend-swatch im-legend-review"></span>place needs review</div>
{%- endif %}
{%- for cls, title, classes in this.scales %}
<div class="im-legend-scale {{ cls }}" hidden><div>{{ title|text }}</div>{% for colour, label in classes %}<span class="im-legend-class"><span class="im-legend-box" style="background:{{ colour }}"></span>{{ label|text }}</span> {% endfor %}</div>
{%- endfor %}
{%- if this.heat %}
<div class="im-legend-scale im-legend-heat" hidden><div>Heatmap: density of events weighted by their size</div><span class="im-legend-ramp"></span><span class="im-legend-ramp-labels"><span>few</span><span>many</span></span></div>
{%- endif %}
</details>
{% endmacro %}
{% macro script(this, kwargs) %}
L.incidentLegend({{ this._parent.get_name() }}, {{ this.get_name()|tojavascript }}, {{ this.layer_rows|tojavascript }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        categories: Sequence[str],
        review: int = 0,
        clustered: bool = True,
        scales: Sequence[tuple[Element, str, list[tuple[str, str]]]] = (),
        heat: Element | None = None,
    ):
        super().__init__()
        self._name = "Legend"
        self.rows = [(c, CATEGORY_STYLE[c][0], CATEGORY_STYLE[c][1]) for c in categories]
        self.review = review
        self.clustered = clustered
        self.sizes = [(marker_radius(n, 0), f"{n:,}") for n in (0, 10, 100)]
        circumference = 2 * math.pi * 8
        share = circumference / max(1, len(self.rows))
        self.donut = [
            (f"{share:.2f} {circumference - share:.2f}", f"{-i * share:.2f}", colour)
            for i, (_, colour, _) in enumerate(self.rows)
        ]
        self.scales = [(f"im-legend-scale-{i}", title, classes) for i, (_, title, classes) in enumerate(scales)]
        self.heat = heat is not None
        self.layer_rows = [[layer, f"im-legend-scale-{i}"] for i, (layer, _, _) in enumerate(scales)]
        if heat is not None:
            self.layer_rows.append([heat, "im-legend-heat"])


def marker_radius(fatalities, displaced) -> float:
    """Pixels: 5 for an event without figures, growing with the log of its magnitude."""
    mag = max(fatalities or 0, (displaced or 0) / 50)
    return round(5 + 2.2 * math.log2(1 + mag), 1)


class Summary(JSCSSMixin, MacroElement):
    """The title box: title, date range, counts by category, fatalities and people displaced, sources and
    the number of places to review (``L.IncidentSummary`` recomputes the figures for a date window).
    Figures come from :func:`~.build.summary_figures`."""

    default_js = [("incident_format_js", own("js/format.js")), ("incident_summary_js", own("js/summary.js"))]
    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="im-summary im-box" id="{{ this.get_name() }}"><div class="im-title">{{ this.title|text }}</div>
{%- if this.figures %}{% set f = this.figures %}
<div><span class="im-sum-range">{{ f.first|text }} to {{ f.last|text }}</span> &middot; <span class="im-sum-events">{{ f.events|count('event') }}</span></div>
<div class="im-sum-categories">{% for label, n in f.by_category %}{{ label|text }}: {{ n|number }}{% if not loop.last %}, {% endif %}{% endfor %}</div>
<div>Fatalities reported: <span class="im-sum-fatalities">{{ f.fatalities|number }}</span> &middot; people displaced: <span class="im-sum-displaced">{{ f.displaced|number }}</span>{% if f.estimated %} (some estimated from families){% endif %}</div>
<div>Sources: <span class="im-sum-sources">{{ f.sources|number }}</span></div>
{%- if this.review %}
<div class="im-review-count">{{ this.review|count('place needs', 'places need') }} review (layer &ldquo;Needs review&rdquo;; list in review.csv)</div>
{%- endif %}
{%- else %}
<div>No events</div>
{%- endif %}
</div>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.IncidentSummary({{ this.get_name()|tojavascript }}, {{ this.options|tojavascript }});
{% endmacro %}
"""
    )

    def __init__(self, title: str, figures: dict | None, review: int = 0, categories: Sequence[str] = ()):
        super().__init__()
        self._name = "Summary"
        self.title = title
        self.figures = figures
        self.review = review
        self.options = {
            "categories": {c: list(CATEGORY_STYLE[c]) for c in categories},
            # a cluster opened by a click is zoomed to clear of the panels, as the first view is
            "paddingTopLeft": list(PANEL_PADDING[0]),
            "paddingBottomRight": list(PANEL_PADDING[1]),
        }
