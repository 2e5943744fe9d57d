"""incident-mapper's offline gazetteer: a worldwide place index with alternate names and admin hierarchy.

The ground floor of the project: it imports nothing from ``mapper`` (its errors are ``gazetteer.errors``,
its word lists ``gazetteer/data/``), so it installs, imports and is tested on its own.

>>> from gazetteer import Gazetteer
>>> Gazetteer.default().geocode("Lashkargah", country="AF").place.place_id
'geonames:1134720'
"""

from .errors import GazetteerError
from .index import Gazetteer, cache_dir, ensure_index
from .normalize import compact, normalize, skeleton
from .records import ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION, Candidate, Place

__all__ = [
    "ADMIN1",
    "ADMIN2",
    "CONTINENT",
    "COUNTRY",
    "PLACE",
    "REGION",
    "Candidate",
    "Gazetteer",
    "GazetteerError",
    "Place",
    "cache_dir",
    "compact",
    "ensure_index",
    "normalize",
    "skeleton",
]
