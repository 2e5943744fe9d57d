"""The event record (see README "Event schema"): field names and types, used everywhere."""

from __future__ import annotations

# field -> pandas dtype; order is the column order of every output
FIELDS: dict[str, str] = {
    "event_id": "string",
    "category": "string",
    "event_type": "string",
    "sub_event_type": "string",
    "event_date": "string",
    "time_precision": "Int64",
    "location": "string",
    "place_id": "string",
    "country_code": "string",
    "admin1": "string",
    "admin2": "string",
    "geo_precision": "Int64",
    "location_text": "string",
    "actor1": "string",
    "actor2": "string",
    "fatalities": "Int64",
    "fatalities_text": "string",
    "displaced_families": "Int64",
    "displaced_people": "Int64",
    "household_size": "Float64",
    "destination": "string",
    "report_date": "string",
    "source": "string",
    "source_text": "string",
    "confidence": "Float64",
    "review": "string",  # why an analyst should check the place (not found, ambiguous, province only), else null
}

CATEGORIES = ("strike", "clash", "attack", "displacement", "unrest", "other")

GEO_PRECISION_WORDS = {
    1: "the named place itself",
    2: "near the named place or part of it",
    3: "only the province or region is known",
}
TIME_PRECISION_WORDS = {1: "the day is known", 2: "within a few days", 3: "only the month or vaguer"}
