"""The elements of an incident map. Each is one folium element with its template; its script lives in a
``js/*.js`` file of this package declared like any folium asset, options go through ``|tojavascript``, data
through ``|safe_json``, and elements that work together take references to each other (``get_name()``).

Popups are built in the browser with DOM nodes and ``textContent``, so report text can never become markup
or script.
"""

from __future__ import annotations

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

    default_js = [("incident_popups_js", own("js/popups.js"))]
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


class EventLayer(JSCSSMixin, Layer):
    """One category's events (``L.IncidentEvents``): circle markers sized by magnitude, optional clustering,
    uncertainty circles."""

    default_js = [
        ("markercluster_js", cdn(MARKERCLUSTER, "dist/leaflet.markercluster.js")),
        ("incident_events_js", own("js/event-layer.js")),
    ]
    default_css = [
        ("markercluster_css", cdn(MARKERCLUSTER, "dist/MarkerCluster.css")),
        ("markercluster_default_css", cdn(MARKERCLUSTER, "dist/MarkerCluster.Default.css")),
    ]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.IncidentEvents(
    {{ this.columns|safe_json }},
    {{ this.popups|tojavascript }},
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
        cluster: bool = True,
        show: bool = True,
        ring: str = "#222",
        ring_weight: int = 1,
        areas_from_zoom: int | None = None,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventLayer"
        self.columns = columns
        self.popups = popups
        self.category = category
        self.counted = category != "review"  # the review layer repeats events of the category layers
        self.options = {
            "category": category,
            "colour": colour,
            "ring": ring,
            "ring_weight": int(ring_weight),
            "cluster": cluster,
            "counted": self.counted,
            "areas_from_zoom": areas_from_zoom,
            "uncertainty": UNCERTAINTY_M,
        }
        if not cluster:
            self.default_js = [js for js in self.default_js if js[0] != "markercluster_js"]
            self.default_css = []


class DateFilter(JSCSSMixin, MacroElement):
    """A control with two sliders (from, to) over the event dates and a play button that steps through the
    days (``L.Control.IncidentDates``); the event layers it is given keep only the events in the window."""

    default_js = [("incident_dates_js", own("js/date-filter.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new L.Control.IncidentDates(
    {{ this.dates|safe_json }},
    {{ this.layers|tojavascript }},
    {{ this.options|tojavascript }}
).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, dates: list[str], layers: Sequence[EventLayer], position: str = "bottomright"):
        super().__init__()
        self._name = "DateFilter"
        self.dates = dates
        self.layers = list(layers)
        self.options = {"position": position}


class Legend(MacroElement):
    """What the colours and symbols mean: one row per category present, approximate places, and the
    needs-review ring when there are places to review."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="im-legend im-box"><b>Legend</b>
{%- for category, colour, label in this.rows %}
<div class="im-legend-row" data-category="{{ category }}"><span class="im-legend-swatch" style="background:{{ colour }}"></span>{{ label|text }}</div>
{%- endfor %}
<div class="im-legend-row im-gap"><span class="im-legend-swatch im-legend-uncertain"></span>place known only approximately</div>
{%- if this.review %}
<div class="im-legend-row"><span class="im-legend-swatch im-legend-review"></span>place needs review</div>
{%- endif %}
</div>
{% endmacro %}
"""
    )

    def __init__(self, categories: Sequence[str], review: int = 0):
        super().__init__()
        self._name = "Legend"
        self.rows = [(c, CATEGORY_STYLE[c][0], CATEGORY_STYLE[c][1]) for c in categories]
        self.review = review


class Summary(MacroElement):
    """The title box: title, date range, counts by category, fatalities and people displaced, sources and
    the number of places to review. Figures are computed by the map maker (:class:`SummaryFigures`)."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="im-summary im-box"><div class="im-title">{{ this.title|text }}</div>
{%- if this.figures %}{% set f = this.figures %}
<div>{{ f.first|text }} to {{ f.last|text }} &middot; {{ f.events }} events</div>
<div>{% for label, n in f.by_category %}{{ label|text }}: {{ n }}{% if not loop.last %}, {% endif %}{% endfor %}</div>
<div>Fatalities reported: {{ f.fatalities }} &middot; people displaced: {{ f.displaced }}</div>
<div>Sources: {{ f.sources }}</div>
{%- if this.review %}
<div class="im-review-count">{{ this.review }} places need review (layer &ldquo;Needs review&rdquo;; list in review.csv)</div>
{%- endif %}
{%- else %}
<div>No events</div>
{%- endif %}
</div>
{% endmacro %}
"""
    )

    def __init__(self, title: str, figures: dict | None, review: int = 0):
        super().__init__()
        self._name = "Summary"
        self.title = title
        self.figures = figures
        self.review = review
