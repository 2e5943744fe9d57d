"""make_map: events (a GeoDataFrame) and optional precomputed aggregates to a folium map of the elements in
:mod:`.elements` and :mod:`.layers`; map_html / save_map: the page, self-contained unless asked otherwise."""

from __future__ import annotations

import math
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from ..atomic import write_text
from ..errors import InputError
from ..schema import CATEGORIES
from . import layers as ml
from .elements import (
    CATEGORY_STYLE,
    PANEL_PADDING,
    DateFilter,
    EventClusters,
    EventLayer,
    IncidentMap,
    Legend,
    PageTitle,
    PlaceLabels,
    PopupBuilder,
    Summary,
    marker_radius,
)

# above this many events markers are drawn on a canvas (fast) instead of as SVG elements
CANVAS_ABOVE = 5_000
# above this many events uncertainty circles are drawn only from this zoom level on
DETAIL_ABOVE = 20_000
AREAS_FROM_ZOOM = 8


# fields the page does not show: left out of the embedded data to keep big maps small
_NOT_EMBEDDED = {"geometry", "report_date", "confidence", "country_code", "admin2"}


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


# place names drawn at most (the places with most events); more would only be hidden as overlapping
MAX_LABELS = 300


def label_places(gdf: gpd.GeoDataFrame, limit: int = MAX_LABELS) -> dict:
    """The places that have events, most events first (ties by name), at most ``limit``:
    ``{n: [name], y, x, c: [events]}``."""
    named = gdf[gdf["location"].notna()]
    places = pd.DataFrame(
        {
            "n": named["location"].astype(str).to_numpy(),
            "y": named.geometry.y.round(4).to_numpy(),
            "x": named.geometry.x.round(4).to_numpy(),
        }
    )
    counted = places.groupby(["n", "y", "x"], sort=False).size().reset_index(name="c")
    counted = counted.sort_values(["c", "n", "y", "x"], ascending=[False, True, True, True], kind="stable")[:limit]
    return {
        "n": counted["n"].tolist(),
        "y": [float(v) for v in counted["y"]],
        "x": [float(v) for v in counted["x"]],
        "c": [int(v) for v in counted["c"]],
    }


def summary_figures(gdf: gpd.GeoDataFrame) -> dict | None:
    """The figures of the summary box, or None without events."""
    if not len(gdf):
        return None
    counts = gdf["category"].value_counts()
    return {
        "first": str(gdf["event_date"].min()),
        "last": str(gdf["event_date"].max()),
        "events": len(gdf),
        "by_category": [(CATEGORY_STYLE[c][1], int(n)) for c, n in counts.items() if c in CATEGORY_STYLE],
        "fatalities": int(gdf["fatalities"].sum(skipna=True)),
        "displaced": int(gdf["displaced_people"].sum(skipna=True)),
        "estimated": bool(gdf["household_size"].notna().any()) if "household_size" in gdf else False,
        "sources": int(gdf["source"].nunique()),
    }


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
    places: bool = True,
    admin_polys: gpd.GeoDataFrame | None = None,
    hexes: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """A folium map of events: a toggleable layer per category with legend, summary and popups; a "needs
    review" layer; province outlines (visible without tiles) and choropleths of fatalities and displacement;
    a heatmap (off by default); a date filter; names of the places with events; switchable basemaps,
    fullscreen, scale bar and mini-map.

    For inputs too big to draw, pass a sample as ``events`` and the whole input's aggregates: ``admin_polys``
    (provinces with ``events``, ``fatalities``, ``displaced``) for the province layers and ``hexes`` for a
    layer of events per hexagon (the pipeline computes both for a dask frame)."""
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(
            f"make_map draws a geopandas GeoDataFrame, not a {type(events).__module__}.{type(events).__name__}: for a"
            " dask frame draw a sample with its aggregates (admin_polys, hexes), as the pipeline's map job does"
        )
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
    m.page.header.add_child(PageTitle(title), name="im_title")
    popups = PopupBuilder()
    m.add_child(popups)
    if hexes is not None and len(hexes):
        m.add_child(ml.HexLayer(hexes))
    scales = []  # (choropleth layer, legend title, classes)
    if provinces and (len(gdf) or admin_polys is not None):
        polys = ml.admin_summary(gdf) if admin_polys is None else admin_polys
        if len(polys):
            admin = ml.AdminData(polys)
            m.add_child(admin)
            m.add_child(ml.CountryOutlines(polys))
            m.add_child(ml.AdminLayer(admin, "Province outlines"))
            for name, field, colour_field, unit, breaks in (
                ("Fatalities by province", "fatalities", "fat_colour", "killed", ml.FATALITY_BREAKS),
                ("Displacement by province", "displaced", "disp_colour", "displaced", ml.DISPLACED_BREAKS),
            ):
                choropleth = ml.AdminLayer(admin, name, field, colour_field, unit, show=False)
                m.add_child(choropleth)
                scales.append((choropleth, f"{name}: people {unit}", ml.class_labels(breaks)))
    dates = sorted(set(gdf["event_date"].astype(str)))
    date_index = {d: i for i, d in enumerate(dates)}
    present = [c for c in CATEGORIES if c in set(gdf["category"])]
    clusters = EventClusters(present) if cluster and present else None
    if clusters is not None:
        m.add_child(clusters)
    canvas = len(gdf) > CANVAS_ABOVE
    event_layers = []
    for c in present:
        colour, label = CATEGORY_STYLE[c]
        event_layers.append(
            EventLayer(
                _columns(gdf[gdf["category"] == c], date_index),
                popups,
                c,
                label,
                colour,
                clusters=clusters,
                areas_from_zoom=AREAS_FROM_ZOOM if len(gdf) > DETAIL_ABOVE else None,
                size_panes=not canvas,
            )
        )
    to_review = gdf[gdf["review"].notna()] if "review" in gdf else gdf.iloc[0:0]
    if len(to_review):
        event_layers.append(
            EventLayer(
                _columns(to_review, date_index),
                popups,
                "review",
                f"Needs review ({len(to_review)})",
                "#ffffff",
                show=False,
                ring="#e6550d",
                ring_weight=3,
                size_panes=not canvas,
            )
        )
    if len(gdf) and places:
        m.add_child(PlaceLabels(label_places(gdf)))
    for layer in event_layers:
        m.add_child(layer)
    if heatmap and len(gdf):
        weights = [
            round(1 + math.log1p(max(f or 0, (d or 0) / 50)), 3)
            for f, d in zip(gdf["fatalities"].fillna(0), gdf["displaced_people"].fillna(0), strict=True)
        ]
        pts = [[round(y, 5), round(x, 5), w] for x, y, w in zip(gdf.geometry.x, gdf.geometry.y, weights, strict=True)]
        heat = ml.HeatLayer(pts, name="Heatmap", show=False, radius=22, blur=18, min_opacity=0.3)
        m.add_child(heat)
    else:
        heat = None
    m.add_child(Legend(present, review=len(to_review), clustered=clusters is not None, scales=scales, heat=heat))
    summary = Summary(title, summary_figures(gdf), review=len(to_review), categories=present)
    m.add_child(summary)
    if date_filter and len(dates) > 1:
        m.add_child(DateFilter(dates, event_layers, summary))
    m.add_child(ml.FullscreenControl(position="topleft"))
    if minimap:
        m.add_child(ml.MiniMapControl(toggle_display=True, position="bottomleft", width=120, height=120))
    control = folium.LayerControl(collapsed=False)
    m.add_child(control)
    m.add_child(ml.FoldingLayers(control))
    if len(gdf) > 1:
        # the first view keeps the events clear of the summary (top left) and the legend and date filter
        m.fit_bounds(
            [[miny, minx], [maxy, maxx]],
            padding_top_left=PANEL_PADDING[0],
            padding_bottom_right=PANEL_PADDING[1],
            max_zoom=8,
        )
    return m


def map_html(m: folium.Map, cdn: bool = False) -> str:
    """The page as one HTML string; self-contained unless ``cdn`` (then the vendored libraries are linked
    from the npm CDN). The same map gives the same bytes."""
    return m.get_root().render(embedded=not cdn)


def save_map(m: folium.Map, path: str | Path, cdn: bool = False) -> Path:
    return write_text(path, map_html(m, cdn=cdn))
