"""The records the gazetteer returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# feature kinds, coarsest first
CONTINENT = "continent"
REGION = "region"  # a named multi-country region ("Middle East", "Sahel")
COUNTRY = "country"
ADMIN1 = "admin1"
ADMIN2 = "admin2"
PLACE = "populated place"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer record."""

    place_id: str  # e.g. "geonames:1134720"
    name: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str  # GeoNames admin-1 code within the country ("10" for Helmand); "" for countries
    admin1: str  # admin-1 name ("Helmand"); "" for countries
    admin2: str
    kind: str  # country | admin1 | admin2 | populated place | another GeoNames feature class
    population: int
    capital_id: str  # for countries and admin-1 units: the place_id of the capital, else ""
    source: str  # where the record comes from: cities500, admin1, countries, import:FILE, override:FILE

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may stand for, with how well it matches (0-1)."""

    place: Place
    score: float
    matched: str  # the key tier that matched: "name", "compact", "skeleton", "override"

    def as_dict(self) -> dict:
        d = self.place.as_dict()
        d["score"] = round(self.score, 4)
        d["matched"] = self.matched
        return d
