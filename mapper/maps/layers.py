"""Map elements beyond the event markers: basemaps, province outlines and choropleths, hexagon counts,
heatmap, mini-map, fullscreen. Each is one small class; all assets come from the vendored npm copies or
this package's ``js/`` folder."""

from __future__ import annotations

import json
import math

import folium
import geopandas as gpd
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Fullscreen, HeatMap, MiniMap

from ..geo import admin1_polygons
from .assets import FULLSCREEN, HEAT, MINIMAP, cdn, own
from .escape import Template

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


def class_labels(breaks) -> list[tuple[str, str]]:
    """(colour, "11–50") for each class of a choropleth scale; values are whole numbers from 1 up."""
    labels, low = [], 1
    for bound, colour in breaks:
        if math.isinf(bound):
            labels.append((colour, f"> {low - 1:,}"))
        else:
            labels.append((colour, f"{low:,}" if bound == low else f"{low:,}\u2013{int(bound):,}"))
            low = int(bound) + 1
    return labels


def _colour(value: int, breaks) -> str | None:
    if value <= 0:
        return None
    return next(c for bound, c in breaks if value <= bound)


class AdminData(folium.MacroElement):
    """The province polygons and figures, embedded once and shared by the layers drawn from them."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.collection|safe_json }};
{% endmacro %}
"""
    )

    def __init__(self, polys: gpd.GeoDataFrame):
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
        self.collection = {"type": "FeatureCollection", "features": feats}


class AdminLayer(JSCSSMixin, Layer):
    """One view of the shared province data (``L.incidentAdminLayer``): outlines, or a choropleth of one
    figure coloured by its class."""

    default_js = [("incident_admin_js", own("js/admin-layer.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.incidentAdminLayer({{ this.data|tojavascript }}, {{ this.options|tojavascript }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        data: AdminData,
        name: str,
        field: str = "",
        colour_field: str = "",
        unit: str = "",
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AdminLayer"
        self.data = data
        self.field = field
        self.options = {"field": field, "colour_field": colour_field, "unit": unit}


class CountryOutlines(Layer):
    """Country borders (provinces dissolved), drawn thicker than province lines; no tiles needed."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.countries|safe_json }}, {interactive: false,
    style: function () { return {color: '#333', weight: 1.6, fill: false, className: 'im-country-outline'}; }});
{% endmacro %}
"""
    )

    def __init__(self, polys: gpd.GeoDataFrame):
        super().__init__(name="Country outlines", overlay=True, control=False, show=True)
        self._name = "CountryOutlines"
        countries = polys[["iso_a2", "geometry"]].dissolve(by="iso_a2").reset_index()
        countries["geometry"] = countries.geometry.simplify(0.01)
        self.countries = json.loads(countries.to_json(drop_id=True))


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


class FoldingLayers(JSCSSMixin, folium.MacroElement):
    """Makes a layer control foldable: a "hide layers" button, its icon opens it again, and it starts folded
    on a screen narrower than ``fold_below`` pixels."""

    default_js = [("incident_panels_js", own("js/panels.js"))]
    _template = Template(
        """
{% macro script(this, kwargs) %}
L.IncidentPanels.layers({{ this.control|tojavascript }}, {{ this.options|tojavascript }});
{% endmacro %}
"""
    )

    def __init__(self, control: folium.LayerControl, fold_below: int = 900):
        super().__init__()
        self._name = "FoldingLayers"
        self.control = control
        self.options = {"fold_below": fold_below}
