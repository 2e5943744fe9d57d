"""Geoparser: find the place names in a text and resolve each to one gazetteer record.

Pure over (text, gazetteer). Recognition scans capitalised runs of words and looks each sub-span up in
the index (longest first); words that are people, titles, organisations or common nouns are filtered
out. Resolution ranks the candidates of each mention with the text's context: the qualifier after it
("Kandahar province" / "Kandahar city"), a country adjective before it ("the Qatari capital Doha"), the
admin-1 units named in the same sentence ("Arghandab district of Kandahar province") and the country
focus of the whole document.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .distance import distance_km
from .index import Gazetteer
from .normalize import normalize
from .query import abbreviation_at, units_of
from .query import inside as _inside
from .records import ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION, Candidate, Place
from .sentences import SentenceIndex
from .words import (
    CONNECTORS,
    DEMONYMS,
    FUNCTION_WORDS,
    NOT_PLACE_NAMES,
    NOT_PLACES,
    PERSON_NAMES,
    QUALIFIERS_ADMIN1,
    QUALIFIERS_ADMIN2,
    QUALIFIERS_PLACE,
    TITLES,
    read_list,
    read_table,
)

_TOKEN = re.compile(r"[^\W_](?:[\w'’‘ʻ.]*[^\W_])?", re.UNICODE)
_POSSESSIVE = ("'s", "’s")
_PERSON_VERBS = {"said", "says", "told", "added", "quoted", "stated", "tweeted", "wrote", "warned", "urged"}
MAX_SPAN = 5
# a name used as an actor: "US forces", "Iraqi officials", "the Kremlin said"
_ACTOR_AFTER = re.compile(
    r"['’]?s?\s+(?:service\s+members|forces|troops|soldiers|military|army|navy|air\s+force|officials|"
    r"authorities|government|president|envoy|embassy|ambassador|spokes\w+|would|will|said|says|has\s+said)\b",
    re.IGNORECASE,
)
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|m|d|t)$", re.IGNORECASE)
_HYPHEN_NEXT = re.compile(r"-\w")
_SPAN_BREAK = re.compile(r'[,;:()\n"“”]')  # a name does not run over these
_QUALIFIED = re.compile(r",\s+[A-Z][a-z]")  # "Miller, South Dakota"
MIN_SCORE = 0.45
# how much context moves a candidate's score
FOCUS_WEIGHT = 0.4
ADMIN1_NEARBY_WEIGHT = 0.3
ADMIN1_IN_TEXT_WEIGHT = 0.15  # the province is named somewhere in the text
OUTSIDE_NEARBY_PENALTY = 0.35  # "X in Y province": readings of X outside Y
FOREIGN_PENALTY = 0.15  # a town in a country the document never otherwise points to
_DIRECTIONAL = {
    "southern",
    "northern",
    "eastern",
    "western",
    "central",
    "rural",
    "north-western",
    "north-eastern",
    "south-western",
    "south-eastern",
    "northwestern",
    "northeastern",
    "southwestern",
    "southeastern",
    "countryside",
}
QUALIFIER_WEIGHT = 0.45


COHERENCE_KM = 200.0  # places named in one story lie near each other
COHERENCE_WEIGHT = 0.2
SAME_PROVINCE_WEIGHT = 0.1
_COHERENCE_DEG = COHERENCE_KM / 111.0  # a degree of latitude is ~111 km: a quick first test
ANCHOR_MARGIN = 0.15  # a reading this far ahead of the next one is confident enough to anchor the others


def _prefer_places_near_the_others(readings: list) -> None:
    """Spatial coherence: readings of towns and counties that lie near another name's confident reading
    gain a little (Alexandria beside Arlington and Fairfax is the Virginian one). A county read from its bare
    name ("Ohio" for Ohio County) gains nothing: it must not overtake the unit of that name. In place."""
    anchors: dict[str, Place] = {}
    tops: dict[str, set[tuple[str, str]]] = {}  # provinces of each name's best reading
    for _s, _e, name, _q, scored in readings:
        top = scored[0]
        if top.place.kind in (PLACE, ADMIN2):
            tops.setdefault(normalize(name), set()).add((top.place.country_code, top.place.admin1_code))
            if len(scored) == 1 or top.score - scored[1].score >= ANCHOR_MARGIN:
                anchors.setdefault(normalize(name), top.place)
    if not tops:
        return
    for _s, _e, name, _q, scored in readings:
        if len(scored) < 2:
            continue
        key = normalize(name)
        others = [p for n, p in anchors.items() if n != key]
        provinces = {k for n, ks in tops.items() if n != key for k in ks}
        if not others and not provinces:
            continue
        changed = False
        for k, c in enumerate(scored):
            p = c.place
            if not (p.kind == PLACE or (p.kind == ADMIN2 and normalize(p.name) == key)):
                continue
            bonus = 0.0
            if any(abs(p.lat - a.lat) <= _COHERENCE_DEG and _km(p, a) <= COHERENCE_KM for a in others):
                bonus += COHERENCE_WEIGHT
            if (p.country_code, p.admin1_code) in provinces:
                bonus += SAME_PROVINCE_WEIGHT  # Douglas County in the state of the story's other towns
            if bonus:
                scored[k] = Candidate(p, c.score + bonus, c.matched)
                changed = True
        if changed:
            scored.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))


def _km(a: Place, b: Place) -> float:
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _bare_admin2(name: str, cands: list[Candidate], qualifier: str) -> bool:
    """A name that only admin-2 units bear, written without its unit word ("Tarrant", not "Tarrant County")."""
    return (
        qualifier != ADMIN2
        and all(c.place.kind == ADMIN2 for c in cands)
        and not any(normalize(c.place.name) == normalize(name) for c in cands)
    )


GENERIC_WORDS = set(read_list("generic_words.txt"))
GIVEN_NAMES = set(read_list("given_names.txt"))

DEMONYM = "demonym"  # Mention.qualifier of a word of nationality read as its country
DEMONYM_MENTIONS = True
COUNTRY_DEMONYMS = {row["word"]: row["country"] for row in read_table("country_demonyms.tsv")}
DEMONYM_WEIGHT = 0.4


@dataclass(frozen=True)
class Mention:
    """A place name found in a text."""

    start: int
    end: int
    name: str  # as written
    place: Place | None  # the chosen record, None when nothing fits
    score: float
    # "admin1", "admin2" or "place" when a word after the name says so; "demonym" for a word of
    # nationality ("Canadian") read as its country
    qualifier: str = ""
    alternatives: tuple[Candidate, ...] = field(default=(), repr=False)  # runners-up, best first

    def as_dict(self) -> dict:
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "place_id": p.place_id if p else None,
            "location": p.name if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country_code": p.country_code if p else None,
            "admin1": p.admin1 if p else None,
            "kind": p.kind if p else None,
            "score": round(self.score, 4),
            "qualifier": self.qualifier,
        }


@dataclass
class _Token:
    start: int
    end: int
    text: str
    low: str

    cap: bool = False  # starts with a capital letter


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        t, end = m.group(0), m.end()
        if t.endswith(_POSSESSIVE) and len(t) > 2:  # "Helmand's police chief"
            t, end = t[:-2], end - 2
        out.append(_Token(m.start(), end, t, t.lower(), t[:1].isupper()))
    return out


def _word_after(tokens: list[_Token], j: int) -> str:
    return tokens[j + 1].low if j + 1 < len(tokens) else ""


def _words_before(tokens: list[_Token], i: int, n: int) -> list[str]:
    return [t.low for t in tokens[max(0, i - n) : i]]


class Geoparser:
    """Finds and resolves place mentions. One instance per gazetteer; thread-safe for reading."""

    def __init__(self, gazetteer: Gazetteer | None = None, demonyms: bool = DEMONYM_MENTIONS):
        self.gz = gazetteer or Gazetteer.default()
        # "Canadian", "two Egyptians": a mention of the country (kind says so) or, when False, no mention
        self.demonyms = demonyms
        self._big_or_unit_cached = lru_cache(maxsize=50_000)(self._big_or_unit_uncached)

    # -- recognition ----------------------------------------------------------------------------
    def _is_candidate_span(self, toks: list[_Token]) -> bool:
        first, last = toks[0], toks[-1]
        if not first.cap or not last.cap or last.low in CONNECTORS:
            return False
        if len(toks) == 1:
            return first.low not in NOT_PLACES and first.low.strip(".") not in NOT_PLACES
        return first.low not in FUNCTION_WORDS and not all(t.low in NOT_PLACES or t.low in CONNECTORS for t in toks)

    def recognise(self, text: str, tokens: list[_Token] | None = None) -> list[tuple[int, int, list[_Token], int, int]]:
        """Spans that name a record in the index: (start, end, tokens, i, j)."""
        tokens = _tokens(text) if tokens is None else tokens
        persons: set[str] = self._surnames(text, tokens)
        # words the text also uses in lower case ("valley", "main") are common words when capitalised
        lower_words = {t.low for t in tokens if t.text[:1].islower()}
        spans = []
        i = 0
        n = len(tokens)
        while i < n:
            t = tokens[i]
            if not t.cap:
                i += 1
                continue
            # a capitalised run after a title is a person: remember its words for later mentions
            if i > 0 and tokens[i - 1].low.rstrip(".") in TITLES and t.low not in NOT_PLACES:
                persons.add(t.low)
                j = i + 1  # always moves on: "Capt. Steve Juge" has ". " between title and name
                while (
                    j < n
                    and text[tokens[j - 1].end : tokens[j].start] in (" ", "-")
                    and (
                        tokens[j].cap
                        or (tokens[j].low in CONNECTORS and text[tokens[j].end : tokens[j].end + 1] == "-")
                    )
                ):
                    persons.add(tokens[j].low)
                    j += 1
                i = j
                continue
            found = None
            for j in range(min(n, i + MAX_SPAN) - 1, i - 1, -1):
                toks = tokens[i : j + 1]
                gap = text[toks[0].start : toks[-1].end]
                if _SPAN_BREAK.search(gap) or not self._is_candidate_span(toks):
                    continue
                name = gap.rstrip(".")
                if _HYPHEN_NEXT.match(text, toks[0].start + len(name)) or (
                    toks[0].start and text[toks[0].start - 1] == "-"
                ):
                    continue  # part of a longer hyphenated name: "Qala" of "Qala-e Gaz"
                if self.gz.has_name(name) or (len(toks) <= 2 and _country_demonym(name)):
                    found = (toks[0].start, toks[0].start + len(name), toks, i, j)
                    break
            if found is None:
                i += 1
                continue
            s, e, toks, i0, j0 = found
            if self._is_not_a_place(text[s:e], text, e, lower_words):
                i = j0 + 1
                continue
            if self._is_person_or_org(text, tokens, i0, j0, persons):
                if i0 == j0 and self._small_town(text[s:e]):
                    persons.add(tokens[i0].low)  # "Steve Ripley" ... later "Ripley said"
                i = j0 + 1
                continue
            spans.append(found)
            i = j0 + 1
        return spans

    def _surnames(self, text: str, tokens: list[_Token]) -> set[str]:
        """Surnames of the people a text names by given name and surname ("Dan Kinney" ... "Kinney said"):
        the word after a common given name, unless it names a country, a province or a big city."""
        out: set[str] = set()
        for a, b in zip(tokens, tokens[1:], strict=False):
            if (
                a.cap
                and b.cap
                and a.low in GIVEN_NAMES
                and text[a.end : b.start] == " "
                and b.low not in GIVEN_NAMES
                and not self.gz.has_name(f"{a.text} {b.text}")
                and not self._big_or_unit(b.text)
            ):
                out.add(b.low)
        return out

    def _big_or_unit(self, name: str, big: int = 100_000, counties: bool = False) -> bool:
        """A country, province or region of this name, a city of ``big``+ people, or (``counties``) a
        county or district of exactly this name ("Laurel County")."""
        return self._big_or_unit_cached(name, big, counties)

    def _big_or_unit_uncached(self, name: str, big: int, counties: bool) -> bool:
        key = normalize(name)
        return any(
            c.place.kind in UNIT_KINDS
            or c.place.population >= big
            or (counties and c.place.kind == ADMIN2 and normalize(c.place.name) == key)
            for c in self.gz.search(name, limit=10, fuzzy=False)
        )

    def _small_town(self, name: str, below: int = 50_000) -> bool:
        best = self.gz.search(name, limit=1, fuzzy=False)
        return bool(best) and best[0].place.kind == PLACE and best[0].place.population < below

    def _is_not_a_place(self, name: str, text: str, end: int, lower_words: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
        """Names that match the index but are words, institutions or people here."""
        key = normalize(name)
        if key in NOT_PLACE_NAMES or _CONTRACTION.search(name):
            return True
        single = " " not in key
        if single and key in GENERIC_WORDS:
            return True  # "Creek", "Parkway", "Farms": the word of a longer name, not a place alone
        if single and name.isupper() and len(name) > 3 and not text[max(0, end - 200) : end + 200].isupper():
            # "NICE", "CAF" in ordinary text: an acronym unless a country, province or big city is meant
            return not self._big_or_unit(name)
        if single and len(key) <= 2 or (name.isupper() and len(name) <= 3 and "." not in name):
            # "AP", "BA", "R": only country codes ("US", "UK", "UAE") are places
            return not any(c.place.kind == COUNTRY for c in self.gz.search(name, limit=5, fuzzy=False))
        if single and (key in PERSON_NAMES or key in lower_words) and not _QUALIFIED.match(text, end):
            return self._small_town(name, 100_000 if key in lower_words else 50_000)
        return False

    def _is_person_or_org(self, text: str, tokens: list[_Token], i: int, j: int, persons: set[str]) -> bool:
        span = tokens[i : j + 1]
        if len(span) == 1 and span[0].low in persons:
            return True
        if (
            len(span) == 1
            and span[0].low in GIVEN_NAMES
            and j + 1 < len(tokens)
            and tokens[j + 1].cap
            and text[span[0].end : tokens[j + 1].start] == " "
        ):
            return True  # "Tanya Hailey": a given name before a capitalised word is a person's
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        joined = lambda a, b: text[a.end : b.start] in (" ", "-")  # noqa: E731
        # part of a longer proper name: "Scott Miller", "Zabihullah Mujahid" (unknown capitalised neighbours)
        if (
            prev
            and prev.cap
            and joined(prev, span[0])
            and prev.low not in NOT_PLACES
            and prev.low not in DEMONYMS
            and not self._sentence_start(text, prev.start)
            and not self.gz.has_name(prev.text)
        ):
            return True
        if (
            nxt
            and nxt.cap
            and joined(span[-1], nxt)
            and nxt.low not in NOT_PLACES
            and nxt.low not in QUALIFIERS_ADMIN1 | QUALIFIERS_ADMIN2 | QUALIFIERS_PLACE
            and not self.gz.has_name(nxt.text)
            # "the Texas Fire Service", "Laurel County Clerk": a province, county or city opening the
            # name of a local institution is still a place mention; a small town's name is a person's
            and not self._big_or_unit(text[span[0].start : span[-1].end], counties=True)
        ):
            return True
        # "Leggett said": a single unknown-ish word followed by a speech verb
        if nxt and nxt.low in _PERSON_VERBS and len(span) == 1:
            best = self.gz.search(span[0].text, limit=1, fuzzy=False)
            if best and best[0].place.kind == PLACE and best[0].place.population < 100_000:
                return True
        return False

    @staticmethod
    def _sentence_start(text: str, pos: int) -> bool:
        before = text[max(0, pos - 200) : pos].rstrip()
        return not before or before[-1] in '.!?\n"“'

    # -- resolution ---------------------------------------------------------------------------
    def parse(self, text: str, country_hint: str | None = None) -> list[Mention]:
        """All place mentions in ``text`` with their chosen records, in text order."""
        tokens = _tokens(text)
        spans = self.recognise(text, tokens)
        prepared: list[tuple[int, int, str, list[Candidate], str, str | None]] = []
        for s, e, _toks, i, j in spans:
            name = text[s:e]
            if cc := _country_demonym(name):  # never the town of that spelling (Canadian, Texas)
                country = self.gz.country(cc) if self.demonyms else None
                if country is not None:
                    prepared.append((s, e, name, [Candidate(country, 1.0, "demonym")], DEMONYM, None))
                continue
            cands = self.gz.search(name, limit=30, fuzzy=False)
            if not cands:
                continue
            after = _word_after(tokens, j)
            qualifier = (
                ADMIN1
                if after in QUALIFIERS_ADMIN1
                else ADMIN2
                if after in QUALIFIERS_ADMIN2
                else PLACE
                if after in QUALIFIERS_PLACE
                else ""
            )
            before = _words_before(tokens, i, 3)
            if not qualifier and before[-2:-1] and before[-1] == "of" and before[-2] in _PLACE_NOUNS:
                qualifier = PLACE  # "the city of Uman": the town, not Oman (whose other name it is)
            cands = _towns_outside_their_namesake_unit(cands, qualifier)
            demonym = next((DEMONYMS[w] for w in reversed(before) if w in DEMONYMS), None)
            if not qualifier and before and before[-1] in _DIRECTIONAL and any(c.place.kind == ADMIN1 for c in cands):
                qualifier = ADMIN1  # "southern Idlib": the province
            prepared.append((s, e, name, cands, qualifier, demonym))

        said, said_by, abbreviations = _what_the_text_says(self.gz, text, prepared)
        prepared.extend(abbreviations)
        prepared.sort(key=lambda m: m[0])

        # document focus: countries of the best reading of each mention, and countries named outright
        focus: Counter[str] = Counter()  # votes per country code (halves for names used as actors)
        if country_hint:
            focus[country_hint.upper()] += 3
        for cc in {d for t in tokens if t.cap and (d := _demonym(t.low))}:
            focus[cc] += 1  # "Taliban", "Dinka", "Syrian" anywhere in the text point to a country
        voted: set[str] = set()
        for _s, e, name, cands, _q, demonym in prepared:
            if demonym:
                focus[demonym] += 1
            if normalize(name) in voted or _q == DEMONYM:
                continue  # a demonym voted above, with the other words of nationality
            voted.add(normalize(name))
            vote = 1.0 if cands[0].place.kind != COUNTRY else 2.0
            if _ambiguous_unit(cands):
                vote = 0.0  # "Georgia": the country or the US state, let the rest of the text decide
            if _ACTOR_AFTER.match(text, e):
                vote = 0.5  # "US service members", "Russian troops": who acted, not where the story is
            focus[cands[0].place.country_code] += vote  # type: ignore[assignment]
        total = sum(focus.values()) or 1

        which = SentenceIndex(text)
        admin1_in_sentence: dict[int, list[tuple[int, tuple[str, str]]]] = {}
        admin1_at: list[tuple[int, tuple[str, str]]] = []  # start offsets of admin-1 mentions
        admin1_names: dict[tuple[str, str], set[str]] = {}  # which names point to each admin-1 unit
        for s, _e, n, cands, qualifier, _d in prepared:
            for c in cands:
                if c.place.kind == ADMIN1 and (qualifier == ADMIN1 or c is cands[0] or s in said_by):
                    key = (c.place.country_code, c.place.admin1_code)
                    admin1_in_sentence.setdefault(which(s), []).append((s, key))
                    admin1_at.append((s, key))
                    admin1_names.setdefault(key, set()).add(normalize(n))

        top_share = max(focus.values()) / total if focus else 0.0
        admin1_count = Counter(k for _pos, k in admin1_at)
        admin1_by_pos: dict[int, set[tuple[str, str]]] = {}
        for pos, k in admin1_at:
            admin1_by_pos.setdefault(pos, set()).add(k)
        admin1_starts = [pos for pos, _k in admin1_at]  # in text order
        out = []
        contradicted: set[tuple[str, str]] = set()  # (name, place_id) ruled out by "X in Y province"
        for s, e, name, cands, qualifier, demonym in prepared:
            key_name = normalize(name)
            # no self-support: "Minnesota" named twice does not make Minneota, Minnesota likelier
            near = {
                k for pos, k in admin1_in_sentence.get(which(s), []) if pos != s and admin1_names.get(k) != {key_name}
            }
            units = said.get(s)
            if (
                _bare_admin2(name, cands, qualifier)
                and not units
                and not any(admin1_count[(c.place.country_code, c.place.admin1_code)] for c in cands)
            ):
                continue  # "Grant", "Lake" as counties only: the text must say "County" or name the state
            lo = bisect.bisect_right(admin1_starts, e)
            hi = bisect.bisect_right(admin1_starts, e + 40, lo)
            container = {
                k
                for pos, k in admin1_at[lo:hi]
                if re.match(r"\s*(?:(?:district|city|town|village)\s+)?(?:,|in|of)\s", text[e:pos] + " ")
            }
            for c in cands:
                if (
                    c.place.kind in (PLACE, ADMIN2)
                    and container
                    and (c.place.country_code, c.place.admin1_code) not in container
                ):
                    contradicted.add((normalize(name), c.place.place_id))
            scored = []
            for c in cands:
                p = c.place
                share = focus.get(p.country_code, 0) / total
                sc = c.score + FOCUS_WEIGHT * share
                if p.kind in (PLACE, ADMIN2) and near and (p.country_code, p.admin1_code) not in near:
                    sc -= OUTSIDE_NEARBY_PENALTY
                if (
                    p.kind == PLACE
                    and top_share >= 0.5
                    and share < top_share
                    and share <= 1 / total + 1e-9
                    and not demonym
                ):
                    sc -= FOREIGN_PENALTY
                if qualifier and p.kind == qualifier:
                    sc += QUALIFIER_WEIGHT
                elif qualifier == ADMIN2 and p.kind == PLACE:
                    sc += QUALIFIER_WEIGHT / 2  # districts are usually named after their main town
                if demonym and p.country_code == demonym:
                    sc += DEMONYM_WEIGHT
                if units:  # "Paris, Texas": the text says where
                    if _inside(p, units):
                        sc += SAID_WEIGHT
                    elif p.kind not in UNIT_KINDS:
                        sc -= SAID_WEIGHT
                if s in said_by and any(_inside(h.place, {(p.country_code, p.admin1_code)}) for h in said_by[s]):
                    sc += SAID_WEIGHT  # "Athens, Georgia": Georgia is the state Athens lies in
                if p.kind != ADMIN1 and (p.country_code, p.admin1_code) in near:
                    sc += ADMIN1_NEARBY_WEIGHT
                elif (
                    p.kind != ADMIN1
                    and admin1_count[(p.country_code, p.admin1_code)]
                    > ((p.country_code, p.admin1_code) in admin1_by_pos.get(s, ()))
                    and admin1_names.get((p.country_code, p.admin1_code)) != {key_name}
                ):
                    sc += ADMIN1_IN_TEXT_WEIGHT
                scored.append(Candidate(p, sc, c.matched))
            scored.sort(key=lambda c: (-c.score, -c.place.population, c.place.place_id))
            out.append((s, e, name, qualifier, scored))
        for _s, _e, name, _q, scored in out:
            scored[:] = [c for c in scored if (normalize(name), c.place.place_id) not in contradicted] or [
                Candidate(c.place, -1.0, c.matched) for c in scored[:1]
            ]
        _prefer_places_near_the_others(out)
        return self._one_sense_per_text(out)

    @staticmethod
    def _one_sense_per_text(readings) -> list[Mention]:
        """A name read the same way throughout a text: the reading that scored best anywhere wins,
        unless a mention's own qualifier asks for another kind ("Kandahar province" vs "Kandahar")."""
        best_by_name: dict[tuple[str, str], Candidate] = {}
        for _s, _e, name, qualifier, scored in readings:
            key = (normalize(name), qualifier)
            if key not in best_by_name or scored[0].score > best_by_name[key].score:
                best_by_name[key] = scored[0]
        out = []
        for s, e, name, qualifier, scored in readings:
            best = best_by_name[(normalize(name), qualifier)]
            mine = next((c for c in scored if c.place.place_id == best.place.place_id), scored[0])
            place = best.place if best.score >= MIN_SCORE else None
            rest = tuple(
                Candidate(c.place, max(0.0, min(1.0, c.score)), c.matched)
                for c in scored
                if c.place.place_id != best.place.place_id
            )[:5]
            out.append(Mention(s, e, name, place, min(1.0, max(mine.score, 0.0)), qualifier, rest))
        return out


SAID_WEIGHT = 0.6  # "Town, State": what the text says beats population


def _ambiguous_unit(cands: list[Candidate], margin: float = 0.15) -> bool:
    """The best reading is a unit and another country's unit of the same name is close behind."""
    top = cands[0].place
    return top.kind in (COUNTRY, ADMIN1) and any(
        c.place.kind in (COUNTRY, ADMIN1) and c.place.country_code != top.country_code
        for c in cands[1:]
        if cands[0].score - c.score < margin
    )


def _what_the_text_says(gz: Gazetteer, text: str, prepared: list) -> tuple[dict, dict, list]:
    """ "Paris, Texas", "Portland, ME", "Aleppo, Syria": the units written after a name.

    Returns ({start of name: units}, {start of qualifier mention: candidates of the name it qualifies},
    [new mentions for abbreviations like "Va.", "W.Va.", "NSW", resolved to their admin-1 unit])."""
    starts = {m[0]: m for m in prepared}
    said: dict[int, frozenset] = {}
    said_by: dict[int, list[Candidate]] = {}
    extra = []
    replaced: set[int] = set()
    for s, e, _name, cands, _q, _d in prepared:
        dotted = abbreviation_at(text, s) if text[e : e + 1] == "." else None
        if dotted and len(dotted[1]) == 1 and cands[0].place.kind == PLACE and cands[0].place.population < 100_000:
            # "Ill.", "Mass." written with their dot: the state, not Il (Kenya) or Mas (Italy)
            (cc, a1), end = next(iter(dotted[1])), dotted[0]
            unit = gz.admin1(cc, a1)
            if unit is not None:
                replaced.add(s)
                extra.append((s, end, text[s:end], [Candidate(unit, 1.0, "abbreviation")], ADMIN1, None))
                continue
        m = _COMMA.match(text, e)
        if not m:
            continue
        q = starts.get(m.end())
        if q is not None:
            units = units_of(q[3])
            if units and any(_inside(c.place, units) for c in cands):
                said[s] = units
                said_by[q[0]] = cands
                continue
        found = abbreviation_at(text, m.end())
        if found is None:
            continue
        end, units = found
        within = [c for c in cands if _inside(c.place, units)]
        if not within:
            continue
        said[s] = units
        unit = next(
            (
                u
                for cc, a1 in sorted(units)
                if (u := gz.admin1(cc, a1)) and any(_inside(c.place, {(cc, a1)}) for c in within)
            ),
            None,
        )
        if unit is not None:
            if q is not None:
                replaced.add(q[0])  # "S.D." read as a country on its own: here it is South Dakota
            abbr = text[m.end() : end]
            extra.append((m.end(), end, abbr, [Candidate(unit, 1.0, "abbreviation")], ADMIN1, None))
    prepared[:] = [m for m in prepared if m[0] not in replaced]
    return said, said_by, list({m[0]: m for m in extra}.values())  # one mention per abbreviation


_COMMA = re.compile(r",\s*")


@lru_cache(maxsize=20_000)
def _country_demonym(name: str) -> str | None:
    """The country of a word of nationality, singular or plural ("Canadian", "Egyptians"), or None."""
    w = " ".join(name.lower().split())
    return COUNTRY_DEMONYMS.get(w) or (COUNTRY_DEMONYMS.get(w[:-1]) if w.endswith("s") else None)


_PLACE_NOUNS = {"city", "town", "village", "port", "hamlet", "settlement", "suburb", "township"}


def _demonym(word: str) -> str | None:
    """The country of a people's name, singular or plural ("Afghan", "Afghans")."""
    return DEMONYMS.get(word) or (DEMONYMS.get(word[:-1]) if word.endswith("s") else None)


UNIT_KINDS = (CONTINENT, REGION, COUNTRY, ADMIN1)
NAMESAKE_PENALTY = 0.5


def _towns_outside_their_namesake_unit(cands: list[Candidate], qualifier: str) -> list[Candidate]:
    """ "China", "Oregon", "Africa": when a name is a country's, province's or continent's own name,
    towns of that name lying outside that unit (China, Texas; Oregon, Wisconsin) are unlikely readings.
    Big cities (500,000+) and an explicit "city"/"town" after the name keep their chance."""
    units = [c.place for c in cands if c.place.kind in UNIT_KINDS and c.matched == "name"]
    if not units or qualifier == PLACE:
        return cands

    def unlikely(p: Place) -> bool:
        for u in units:
            if u.kind == COUNTRY and p.country_code == u.country_code:
                return False
            # a province's name only speaks against towns elsewhere in its own country (Oregon, WI);
            # Bor (Serbia's district) says nothing about Bor, South Sudan
            if u.kind == ADMIN1 and p.country_code == u.country_code and p.admin1_code == u.admin1_code:
                return False
        return any(u.kind != ADMIN1 or u.country_code == p.country_code for u in units)

    return [
        Candidate(c.place, c.score - NAMESAKE_PENALTY, c.matched)
        if c.place.kind == PLACE and c.place.population < 500_000 and unlikely(c.place)
        else c
        for c in cands
    ]


def geoparse(text: str, gazetteer: Gazetteer | None = None, country_hint: str | None = None) -> list[Mention]:
    """Place mentions in a text (see :class:`Geoparser`)."""
    return Geoparser(gazetteer).parse(text, country_hint=country_hint)


__all__ = ["Geoparser", "Mention", "geoparse", "normalize"]
