"""Interactive incident maps on folium: a GeoDataFrame of events (and optional precomputed aggregates) to
one self-contained, offline page.

- :mod:`.build`: ``make_map``, ``map_html``, ``save_map``
- :mod:`.elements`: the event elements (IncidentMap, PopupBuilder, EventLayer, DateFilter, Legend, Summary)
- :mod:`.layers`: basemaps, provinces and choropleths, hexagons, heatmap, mini-map, fullscreen
- :mod:`.assets`: JS/CSS of every element, vendored from npm or shipped in ``js/`` and ``css/``
- :mod:`.escape`: text and data on their way into the page

This package draws what it is given; it imports nothing from the pipeline or the dask engine.
"""

from __future__ import annotations

from .build import make_map, map_html, marker_radius, save_map
from .elements import CATEGORY_STYLE, IncidentMap
from .escape import safe_html_text, safe_json

__all__ = [
    "CATEGORY_STYLE",
    "IncidentMap",
    "make_map",
    "map_html",
    "marker_radius",
    "safe_html_text",
    "safe_json",
    "save_map",
]
