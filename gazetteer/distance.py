"""The one distance of the project: great-circle kilometres between two points (geopy's great circle on
the mean Earth radius). ``mapper.geo`` re-exports it."""

from __future__ import annotations

from geopy.distance import great_circle


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    return great_circle((lat1, lon1), (lat2, lon2)).km
