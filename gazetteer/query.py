"""What a text or a query says about where a name lies: "Paris, Texas", "Portland, ME", "Aleppo, Syria".

A qualifier is an admin-1 unit or a country written after a name, by name or by abbreviation (postal
codes and news-style abbreviations, ``data/admin1_abbreviations.tsv``). A qualifier stands for a set of
*units*: ``(country_code, admin1_code)`` pairs, with ``admin1_code == ""`` for a whole country.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .build import read_tsv
from .records import ADMIN1, COUNTRY, Candidate, Place
from .words import read_table

Unit = tuple[str, str]  # (country_code, admin1_code); admin1_code "" = the whole country

# an abbreviation as written after "Town, ": "VA", "Va.", "W.Va.", "N.Y.", "Calif.", "Qld"
_ABBREVIATION = re.compile(r"[A-Z](?:(?:\.[A-Z][a-z]*){1,3}\.?|[A-Za-z]{0,4}\.?)(?![\w])")


@lru_cache(maxsize=1)
def admin1_abbreviations() -> dict[str, frozenset[Unit]]:
    """Abbreviation (lower case, final dot dropped) -> the admin-1 units it may stand for."""
    by_iso: dict[str, Unit] = {}
    for r in read_tsv("admin1.tsv.gz"):
        if r["iso3166_2"]:
            by_iso[r["iso3166_2"]] = (r["country_code"], r["admin1_code"])
    out: dict[str, set[Unit]] = {}
    for row in read_table("admin1_abbreviations.tsv"):
        if row["iso3166_2"] in by_iso:
            out.setdefault(_abbr_key(row["abbreviation"]), set()).add(by_iso[row["iso3166_2"]])
    return {k: frozenset(v) for k, v in out.items()}


def _abbr_key(abbr: str) -> str:
    return abbr.rstrip(".").lower()


def abbreviation_at(text: str, pos: int) -> tuple[int, frozenset[Unit]] | None:
    """An admin-1 abbreviation starting at ``pos``: (its end, its units), or None.

    Postal codes must be written in capitals ("ME", not "Me"); dotted forms as usual ("Va.", "W.Va.")."""
    m = _ABBREVIATION.match(text, pos)
    if not m:
        return None
    word = m.group(0)
    bare = word.replace(".", "")
    if "." not in word and not (bare.isupper() and 2 <= len(bare) <= 3):
        return None  # "Ky" is fine only as "Ky."; "ME", "NSW" as postal codes
    units = admin1_abbreviations().get(_abbr_key(word))
    return (m.end(), units) if units else None


def units_of(candidates: list[Candidate]) -> frozenset[Unit]:
    """The units a qualifier's candidates stand for (its admin-1 and country readings)."""
    out = set()
    for c in candidates:
        p = c.place
        if c.matched in ("name", "compact", "override"):
            if p.kind == ADMIN1:
                out.add((p.country_code, p.admin1_code))
            elif p.kind == COUNTRY:
                out.add((p.country_code, ""))
    return frozenset(out)


def inside(place: Place, units: frozenset[Unit] | set[Unit]) -> bool:
    """True if a record lies in one of the units (a unit itself does not lie in itself)."""
    for cc, a1 in units:
        if place.country_code == cc and (
            (a1 == "" and place.kind != COUNTRY) or (a1 and place.admin1_code == a1 and place.kind not in (ADMIN1,))
        ):
            return True
    return False


def split_query(query: str) -> tuple[str, list[str]]:
    """ "Paris, Texas" -> ("Paris", ["Texas"]); "Springfield, IL, USA" -> ("Springfield", ["IL", "USA"])."""
    parts = [p.strip() for p in query.split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return query.strip(), []
    return parts[0], parts[1:]


def qualifier_units(gz, qualifier: str) -> frozenset[Unit]:
    """The units a written qualifier stands for: an abbreviation, or an admin-1 or country name."""
    q = qualifier.strip()
    found = abbreviation_at(q, 0)
    if found and found[0] == len(q):
        return found[1]
    return units_of(gz.search(q, kind=(ADMIN1, COUNTRY), limit=10, fuzzy=False))


QUALIFIED_WEIGHT = 0.5


def search_qualified(gz, query: str, limit: int = 10, **kw) -> list[Candidate] | None:
    """Candidates for a "Name, Qualifier[, Qualifier]" query, the ones inside every qualifier first.

    None when the query has no qualifier that names a unit (the caller then searches it as written).
    When no record of the name lies inside the qualifiers, the innermost qualifier's own record is the
    answer (``matched`` = "qualifier"): "Smallville, Kansas" is at least in Kansas."""
    name, quals = split_query(query)
    if not quals:
        return None
    unit_sets = [u for q in quals if (u := qualifier_units(gz, q))]
    if len(unit_sets) != len(quals):
        return None  # "Washington, D.C. area", "Smith, John": not a qualified place name
    cands = gz.search(name, limit=max(50, limit), **kw)
    within = [c for c in cands if all(inside(c.place, u) for u in unit_sets)]
    if within:
        return [Candidate(c.place, QUALIFIED_WEIGHT + (1 - QUALIFIED_WEIGHT) * c.score, c.matched) for c in within][
            :limit
        ]
    # the narrowest qualifier's own record (an admin-1 unit before a country)
    units = sorted(unit_sets[0], key=lambda u: u[1] == "")
    consistent = [u for u in units if all(u in s or (u[0], "") in s for s in unit_sets)]
    for cc, a1 in consistent or units:
        unit = gz.admin1(cc, a1) if a1 else gz.country(cc)
        if unit is not None:
            return [Candidate(unit, 0.5, "qualifier")]
    return []
