"""incident-mapper: conflict reports to maps.

    >>> import mapper
    >>> events = mapper.read_reports(["examples/"])      # GeoDataFrame, EPSG:4326
    >>> acled = mapper.read_table("acled.csv")           # GeoDataFrame, same columns
    >>> m = mapper.make_map(events, title="My map")      # folium.Map
    >>> mapper.save_map(m, "outputs/map.html")
    >>> mapper.to_file(events, "outputs/events.geojson")

Names are imported lazily so that ``import mapper.errors`` (and the gazetteer) start fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "read_reports": "mapper.pipeline",
    "read_table": "mapper.pipeline",
    "events_from_files": "mapper.pipeline",
    "TableColumns": "mapper.inputs",
    "load_reports": "mapper.pipeline",
    "read_report": "mapper.reports",
    "parse_report": "mapper.reports",
    "Report": "mapper.reports",
    "extract": "mapper.extract",
    "extract_events": "mapper.pipeline",
    "map_job": "mapper.pipeline",
    "export_job": "mapper.pipeline",
    "places_of": "mapper.pipeline",
    "places_of_jsonl": "mapper.pipeline",
    "ReadOptions": "mapper.pipeline",
    "Event": "mapper.schema",
    "EngineError": "mapper.errors",
    "merge_duplicates": "mapper.dedup",
    "write_review": "mapper.review",
    "to_geodataframe": "mapper.frame",
    "make_map": "mapper.pipeline",  # pandas frames go to mapper.maps.make_map; dask ones are sampled first
    "save_map": "mapper.maps",
    "map_html": "mapper.maps",
    "to_file": "mapper.export",
    "MapperError": "mapper.errors",
    "InputError": "mapper.errors",
    "GazetteerError": "mapper.errors",
    "ExportError": "mapper.errors",
    "FIELDS": "mapper.schema",
}

__all__ = list(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'mapper' has no attribute {name!r}")
