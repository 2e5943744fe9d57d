"""Events from report text: what happened, when, who, how many, and where (pure over text + gazetteer).

One pass over the sentences of a report:
1. triggers say what happened (per category the most specific reading wins within a sentence);
2. the geoparser's mentions in the sentence, filtered by their role (talks, speakers, organisations,
   destinations of flight are not event places), say where; "the provincial capital" and "the province"
   refer to the province in focus; an event with no place of its own stands on that province (precision 3);
3. actors, figures and the time expression are read from the same sentence;
4. sentences that tell more of an earlier event (same category, compatible actor, no new place, or the same
   place and day) are merged into it, keeping every source sentence.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
import time
from dataclasses import dataclass, field

from gazetteer import ADMIN1, ADMIN2, CONTINENT, COUNTRY, PLACE, REGION, Gazetteer, Place, normalize
from gazetteer.geoparse import Geoparser, Mention
from gazetteer.words import (
    DAYS,
    DEMONYMS,
    FUNCTION_WORDS,
    MONTHS,
    NOT_PLACES,
    QUALIFIERS_ADMIN1,
    QUALIFIERS_ADMIN2,
    QUALIFIERS_PLACE,
    TITLES,
)

from . import ids
from . import lexicon as lx
from .errors import LimitError
from .households import household_size
from .numbers import ANY_NUMBER, parse_number
from .schema import FIELDS, Report
from .text import Sentence, sentences
from .timex import resolve

QUALIFIER_WORDS = QUALIFIERS_ADMIN1 | QUALIFIERS_ADMIN2 | QUALIFIERS_PLACE
KIND_RANK = {PLACE: 0, ADMIN2: 1, ADMIN1: 2, COUNTRY: 3, REGION: 4, CONTINENT: 5}
WIDE_KINDS = (COUNTRY, REGION, CONTINENT)
VIOLENT = ("strike", "attack", "clash", "unrest")  # events whose sentences may give a death toll
_ANAPHOR = re.compile(
    r"^(?:The|These|Those|Such)\s+(?:\w+\s+)?(strikes|air ?strikes|raids|attacks?|clashes|"
    r"bombings?|shelling|fighting|explosions?|blasts?)\b"
)
_ANAPHOR_CATEGORY = dict(row.split("\t") for row in lx.word_list("anaphors.tsv"))


@dataclass
class _Draft:
    category: str
    event_type: str
    sub_event_type: str
    rank: int
    place: Place | None
    geo_precision: int | None
    location_text: str
    own_place: bool
    actor1: str | None
    actor2: str | None
    event_date: str
    time_precision: int
    fatalities: int | None = None
    fatalities_text: str | None = None
    families: int | None = None
    people: int | None = None
    destination: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    weak: bool = False
    review: str | None = None  # why an analyst should check the place, if anything


@dataclass
class _Focus:
    admin1: Place | None = None
    country: Place | None = None
    place: Place | None = None  # the last town an event stood on, for "the city"


def _object_kind(head: str) -> str | None:
    """What a noun phrase names: 'armed' (soldiers, a base, a named group), 'civilian' (villagers, a market),
    'place' (a capitalised name, "the town of X") or None. The head noun is the last one."""
    a = [m.end() for m in lx.ARMED_TARGET.finditer(head)]
    c = [m.end() for m in lx.CIVILIAN_TARGET.finditer(head)]
    if a or c:
        return "armed" if max(a, default=-1) > max(c, default=-1) else "civilian"
    if lx.ACTOR_RX.match(head.strip()) or lx.ACTOR_RX.match(re.sub(r"^the\s+", "", head.strip(), flags=re.I)):
        return "armed"
    if lx.PLACE_NOUN_OF.match(head.strip()) and re.search(r"\b[A-Z]", head):
        return "place"
    return None


def _noun_phrase_after(text: str, pos: int) -> str:
    return _noun_phrase_span(text, pos)[0]


def _noun_phrase_span(text: str, pos: int) -> tuple[str, int]:
    """The noun phrase that starts after ``pos`` (up to a preposition, clause break or participle) and the
    offset where it ends."""
    window = text[pos : pos + 90]
    rest = window.lstrip()
    end = lx.OBJECT_END.search(rest)
    head = rest[: end.start()] if end else rest
    return head, pos + len(window) - len(rest) + len(head)


def _toll_victims(text: str) -> str | None:
    """'armed' when the sentence's dead include fighters, 'civilian' when they are only civilians."""
    armed = civilian = False
    for m in lx.KILL_VERB.finditer(text):
        head = _noun_phrase_after(text, m.end())
        armed = armed or bool(lx.ARMED_VICTIM.search(head))
        civilian = civilian or bool(lx.CIVILIAN_TARGET.search(head))
    for m in re.finditer(r"\b(?:were|was|been)\s+(?:\w+\s+)?(?:killed|shot dead|executed)|\bdied\b", text):
        before = text[max(0, m.start() - 60) : m.start()]
        armed = armed or bool(lx.ARMED_VICTIM.search(before))
        civilian = civilian or bool(lx.CIVILIAN_TARGET.search(before))
    return "armed" if armed else "civilian" if civilian else None


def _clause_triggers(text: str, others: bool) -> list[tuple[lx.Trigger, int, int]]:
    """Events read from a clause: an attack verb and what it was done to (its object, or its subject in the
    passive); a verb of killing and who was killed when nothing else in the sentence names an event."""
    out: list[tuple[lx.Trigger, int, int]] = []
    for m in lx.ATTACK_VERB.finditer(text):
        before = text[: m.start()]
        if lx.ONGOING_BEFORE.search(before) and m.group(0).lower().endswith("ing"):
            continue  # "was targeting civilians": a characterisation, not one act at one time
        if lx.WEAPON_SUBJECT.search(before[-50:]):
            out.append((lx.CLAUSE_STRIKE, m.start(), m.end()))
            continue
        if lx.PROTESTERS_BEFORE.search(before):
            out.append((lx.RIOT, m.start(), m.end()))  # "protesters attacked the embassies": a riot
            continue
        head, head_end = _noun_phrase_span(text, m.end())
        if not head.strip() and "fire" in m.group(0).lower():  # "opened fire inside a camp", "... at a market"
            prep = re.compile(r"\s*(?:inside|in|at|into|near|outside)\s+").match(text, m.end())
            if prep:
                head, head_end = _noun_phrase_span(text, prep.end())
        if lx.PROTESTING_AFTER.match(text, head_end) or lx.PROTEST_OBJECT.search(head):
            out.append((lx.CLAUSE_FORCE, m.start(), m.end()))  # "opened fire on people protesting ..."
            continue
        if head.lower().startswith("by ") or (lx.PASSIVE_BEFORE.search(before) and m.group(0).lower().endswith("ed")):
            if re.match(r"by\s+(?:\w+\s+){0,2}(?:drones?|warplanes?|jets?|aircraft|missiles?|rockets?)\b", head, re.I):
                out.append((lx.CLAUSE_STRIKE, m.start(), m.end()))
                continue
            head = re.split(r"[,;:]", before)[-1]  # "a police convoy was attacked": the subject was the target
        kind = _object_kind(head)
        if kind == "place":
            kind = "civilian" if _toll_victims(text) == "civilian" else "armed"
        if kind == "armed":
            out.append((lx.CLAUSE_CLASH, m.start(), m.end()))
        elif kind == "civilian":
            out.append((lx.CLAUSE_ATTACK, m.start(), m.end()))
    if not out:
        # "he then shot dead 69 people at a camp": a deliberate killing of civilians, even beside other events
        for m in lx.KILL_VERB.finditer(text):
            before = text[max(0, m.start() - 60) : m.start()]
            if (lx.ACTOR_RX.search(before) or lx.KILLER_BEFORE.search(before)) and _object_kind(
                _noun_phrase_after(text, m.end())
            ) == "civilian":
                if not others:
                    out.append((lx.KILL_ATTACK, m.start(), m.end()))
                elif m.group(0).lower() not in ("killing", "killed", "kills"):
                    out.append((lx.DELIBERATE_KILL, m.start(), m.end()))
                break
    if not others and not out:
        passive = lx.PASSIVE_KILL.search(text)
        if passive and _object_kind(text[max(0, passive.start() - 60) : passive.start()]) == "civilian":
            return [(lx.CLAUSE_ATTACK, passive.start(), passive.end())]  # "600 civilians were killed in X"
        for m in lx.KILL_VERB.finditer(text):
            if not lx.ACTOR_RX.search(text[: m.start()]):
                continue  # no one named as killer: a toll of something told elsewhere
            kind = _object_kind(_noun_phrase_after(text, m.end()))
            if kind == "armed":
                out.append((lx.KILL_CLASH, m.start(), m.end()))
            elif kind == "civilian":
                out.append((lx.CLAUSE_ATTACK, m.start(), m.end()))
            break
    return out


def _background(text: str, start: int, end: int, year: int | None) -> bool:
    """An event word told as the background of the story: a year before the report's ("captured in 2012",
    "the 2010 bombings") or "years ago" in the same clause."""
    after = lx.BACKGROUND_AFTER.match(text, end)
    if after and (after.group("year") is None or year is None or int(after.group("year")) < year):
        return True
    before = lx.BACKGROUND_BEFORE.search(text[max(0, start - 30) : start])
    return bool(before and year is not None and int(before.group("year")) < year)


def _triggers(text: str, year: int | None = None) -> dict[str, tuple[lx.Trigger, int]]:
    """Per category, the most specific trigger in a sentence and its position."""
    if not lx.ANY_TRIGGER.search(text):
        return {}
    ignored = [m.span() for m in lx.IGNORE_MATCH.finditer(text)] + lx.IGNORE_PHRASES.spans(text)
    bg = re.search(r"\b(?:ago|earlier|before|last\s+(?:month|year)|(?:19|20)\d\d)\b", text) is not None
    best: dict[str, tuple[lx.Trigger, int, int]] = {}
    for t in lx.TRIGGERS:
        for m in t.pattern.finditer(text):
            if any(a <= m.start() < b for a, b in ignored) or (bg and _background(text, m.start(), m.end(), year)):
                continue
            cur = best.get(t.category)
            if cur is None or t.rank > cur[0].rank:
                best[t.category] = (t, m.start(), m.end())
            break
    for t, s, e in _clause_triggers(text, bool(best)):
        if any(a <= s < b for a, b in ignored) or (bg and _background(text, s, e, year)):
            continue
        cur = best.get(t.category)
        if cur is None or t.rank > cur[0].rank or (cur[0].toll and t.category == "attack"):
            best[t.category] = (t, s, e)
    # "gunmen stormed a school": the attack on civilians, not also a battle for the school
    for civil in ("attack", "unrest"):
        if civil in best and "clash" in best and best[civil][1] <= best["clash"][1] < best[civil][2]:
            del best["clash"]
    # "launched a drone attack on": one strike, not also a battle
    if "strike" in best and "clash" in best:
        (_t1, s1, e1), (_t2, s2, e2) = best["strike"], best["clash"]
        if s1 < e2 and s2 < e1:
            del best["clash"]
    # the cause or background of the first event told in a clause after it: "fled as fighting closed in",
    # "shot in reprisal attacks after clashes", "came a day after demonstrators set fire to ..."
    came = lx.CAME_AFTER.search(text)
    earlier = lx.EARLIER_EVENT_WORD.search(text)
    first = min([start for _t, start, _e in best.values()] + ([earlier.start()] if earlier else []), default=0)
    for c, (t, start, _e) in list(best.items()):
        if came and start > came.start():
            del best[c]
        elif (t.mutual or t.weak) and start > first and lx.CAUSE_BEFORE.search(text[first:start]):
            del best[c]
        elif start > first and lx.AFTER_DAYS_OF.search(text[first:start]):
            del best[c]
    if "displacement" in best and lx.ARMED_FLED.search(text[: best["displacement"][2]]):
        del best["displacement"]  # "the gunmen ... fled into the forest"
    # "raided a school, exchanging fire with police": the fire exchanged is part of the attack
    if "attack" in best and "clash" in best and best["clash"][1] > best["attack"][1]:
        told = text[best["clash"][1] : best["clash"][2]].lower()
        if told != "fighting" and re.match(r"\w+ing\b", told):
            del best["clash"]
    # crowds fighting each other: a riot
    if "clash" in best and best["clash"][0].mutual and lx.CROWDS_FIGHTING.search(text):
        _t, cs, ce = best.pop("clash")
        best.setdefault("unrest", (lx.RIOT, cs, ce))
    # "troops opened fire on a march": force against protesters, not a second, civilian event
    if (
        "attack" in best
        and "unrest" in best
        and best["unrest"][0].rank != lx.RIOT.rank
        and lx.STATE_FORCE_BEFORE.search(text[: best["attack"][1]])
    ):
        _t, s_, e_ = best.pop("attack")
        if best["unrest"][0].rank < lx.CLAUSE_FORCE.rank:
            best["unrest"] = (lx.CLAUSE_FORCE, s_, e_)
    # "explosions ripped through a crowd gathering for a peace rally": the rally is the setting of the blast
    if "unrest" in best and best["unrest"][0].rank == 1 and ("strike" in best or "attack" in best):
        if lx.SETTING_BEFORE.search(text[: best["unrest"][1]]):
            del best["unrest"]
    # "armed men stormed the consulate and set it on fire": the arson is part of the armed act, no riot
    if (
        "unrest" in best
        and best["unrest"][0].sub_event_type == "Violent demonstration"
        and ({"attack", "clash", "strike"} & set(best))
        and not re.search(r"\b(?:protest|demonstrat|riot|mob|crowd|youths)", text, re.I)
    ):
        del best["unrest"]
    if "clash" in best and best["clash"][0].mutual:
        if "attack" in best and best["attack"][0].toll:
            del best["attack"]  # "fighting killed four civilians": the fighting's toll, not a second event
        if "unrest" in best:
            del best["clash"]  # "protesters clashed with police": the protest, not a battle
    if "clash" in best and best["clash"][0].weak:
        t, s, e = best["clash"]
        if not re.search(r"\bthe\s+(?:\w+\s+)?$", text[:s]) and _fatalities(text)[1]:
            best["clash"] = (dataclasses.replace(t, weak=False), s, e)  # "fighting in X killed four": an event
    return {c: (t, start) for c, (t, start, _end) in best.items()}


def _actors(text: str, pos: int) -> tuple[str | None, str | None]:
    """actor1: the actor named before the trigger (or after 'by'); actor2: after against/on/targeting."""
    found = [(m.start(), m.end(), m.group(0)) for m in lx.ACTOR_RX.finditer(text)]
    actor1 = actor2 = None
    before = [a for a in found if a[1] <= pos + 1]
    if before:
        actor1 = lx.normalise_actor(before[-1][2])
    after = [a for a in found if a[0] > pos]
    for s, _e, raw in after:
        gap = text[pos:s]
        if actor1 is None and re.search(r"\bby\s+(?:the\s+)?(?:\w+\s+){0,2}$", gap):
            actor1 = lx.normalise_actor(raw)
        elif actor2 is None and re.search(r"\b(?:against|on|targeting|at|with)\s+(?:the\s+)?(?:\w+\s+){0,2}$", gap):
            actor2 = lx.normalise_actor(raw)
    if actor1 and actor2 == actor1:
        actor2 = None
    return actor1, actor2


def _first_number(patterns: list[re.Pattern], text: str) -> tuple[int | None, str | None]:
    if not ANY_NUMBER.search(text):  # one cheap scan spares the figure patterns most sentences
        return None, None
    low = text.lower()
    for rx in patterns:
        gate = lx.GATES.get(rx)
        if gate is not None and not any(g in low for g in gate):
            continue
        m = rx.search(text)
        if m:
            value, words = parse_number(m.group("n"))
            return value, words
    return None, None


def _fatalities(text: str) -> tuple[int | None, str | None]:
    """The toll a sentence gives: a sum of kinds of people ("a soldier and two police officers died" = 3) or
    the first figure of the toll patterns."""
    if not ANY_NUMBER.search(text) and not re.search(r"\b(?:a|an)\s", text):
        return None, None
    low = text.lower()
    sums = " and " in low and any(w in low for w in ("kill", "died", "dead", "slain", "executed"))
    for rx in lx.TOLL_SUM if sums else ():
        m = rx.search(text)
        if m:
            parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("list"))
            values = [parse_number(n.group("n"))[0] for p in parts if (n := lx.ONE_KIND.match(p))]
            if len(values) == len(parts) and all(v is not None for v in values):
                return sum(v for v in values if v is not None), m.group("list")
    value, words = _first_number(lx.FATALITIES, text)
    more = lx.TOLL_MORE.search(text) if value is not None and words else None
    if more and value is not None and words and more.start() > text.find(words):
        extra = parse_number(more.group("n"))[0]
        if extra is not None:
            return value + extra, f"{words} {more.group(0)}"
    return value, words


def _place_role(text: str, sent: Sentence, m: Mention) -> str:
    """'event', 'destination' or 'other' (talks, speakers, organisations, actors)."""
    before = text[sent.start : m.start][-80:]
    after = text[m.end : m.end + 30]
    if lx.NAME_OF_THING_BEFORE.search(before) or lx.NAME_OF_THING_AFTER.match(after) or lx.SITE_AFTER.match(after):
        return "other"
    if lx.BUILDING_IN_BEFORE.search(before):
        return "event"  # "beside the education ministry in X"
    if lx.NOT_EVENT_AFTER.match(after) and not lx.ORIGIN_BEFORE.search(before):
        return "other"
    m_before = lx.NOT_EVENT_BEFORE.search(before)
    if m_before and not lx.GAP_VERB.search(m_before.group("gap")):
        return "other"
    if lx.DESTINATION_BEFORE.search(before[-60:]):
        return "destination"
    return "event"


def _unit_named_after(town: Place, gz: Gazetteer) -> Place | None:
    """The province a town gives its name to (it is the province's capital or bears the same name)."""
    unit = gz.admin1_of(town)
    if unit is None or unit.kind != ADMIN1:
        return None
    if unit.capital_id == town.place_id or normalize(unit.name) == normalize(town.name):
        return unit
    return None


def _precision(place: Place, vague: bool) -> int:
    if place.kind == PLACE:
        return 2 if vague else 1
    if place.kind == ADMIN2:
        return 2
    if place.kind == ADMIN1 or place.kind in WIDE_KINDS:
        return 3
    return 2 if vague else 1


def _locate(
    text: str, sent: Sentence, mentions: list[Mention], pos: int, focus: _Focus, gz: Gazetteer, category: str = ""
):
    """(place, geo_precision, location_text, own, destination) for an event in a sentence."""
    eligible = []
    destination = None
    for m in mentions:
        place = m.place
        if place is None:
            continue
        role = _place_role(text, sent, m)
        if role == "destination":
            destination = destination or place.name
            continue
        if role != "event":
            continue
        before = text[sent.start : m.start]
        if lx.PROVINCIAL_CAPITAL_OF.search(before) and place.kind == ADMIN1:
            place = gz.capital_of(place) or place
        elif m.qualifier == ADMIN1 and place.kind == PLACE:
            place = _unit_named_after(place, gz) or place  # "Hodeidah governorate": the unit, not its capital
        vague_m = lx.VAGUE_BEFORE.search(before[-70:])
        start = sent.start + vague_m.start() + len(before) - len(before[-70:]) if vague_m else m.start
        end = m.end
        vague_after = lx.VAGUE_AFTER.match(text, m.end)  # "Beirut's southern suburbs", "the Goma area"
        if vague_after:
            end = vague_after.end()
        q = re.match(r"\s+(\w+)", text[m.end : m.end + 40])
        if q and q.group(1).lower() in QUALIFIER_WORDS:
            end = m.end + q.end()
        eligible.append(
            (
                KIND_RANK.get(place.kind, 0),
                abs(m.start - pos),
                place,
                vague_m is not None or vague_after is not None,
                text[start:end],
                m,
            )
        )
    if eligible:
        eligible.sort(key=lambda e: (e[0], e[1]))
        _r, _d, place, is_vague, words, chosen = eligible[0]
        prec = _precision(place, is_vague)
        review = _ambiguity(chosen, place)
        if review is None and prec == 3:
            review = _unknown_place(text, sent, mentions) or "province only"
        elif review is None and place.kind == ADMIN2:
            review = _unknown_place(text, sent, mentions)  # "the village of X in Y district": Y, and X to add
        return place, prec, words, True, destination, review
    # "the provincial capital", "the province": the province in focus
    local = text[sent.start : sent.end]
    cap = lx.PROVINCIAL_CAPITAL.search(local)
    if cap and re.search(r"\w,\s*$", local[: cap.start()]):
        cap = None  # "Pemba, the provincial capital": an apposition naming another place
    if cap and focus.admin1 is not None:
        capital = gz.capital_of(focus.admin1)
        if capital is not None:
            near = lx.VAGUE_BEFORE.search(local[: cap.start()][-70:])
            start = cap.start() - len(local[: cap.start()][-70:]) + near.start() if near else cap.start()
            return capital, _precision(capital, near is not None), local[start : cap.end()], True, destination, None
    city = lx.THE_CITY.search(local)
    if city and focus.place is not None:
        near = lx.VAGUE_BEFORE.search(local[: city.end()][-70:])
        return focus.place, 2 if near else 1, city.group(0), True, destination, None
    unknown = _unknown_place(text, sent, mentions)
    if category == "displacement" and focus.place is not None and unknown is None:
        # "thousands of residents fled": the people of the town where the story stands
        return focus.place, 2, "", False, destination, None
    if focus.admin1 is not None:
        prov = lx.THE_PROVINCE.search(local)
        return focus.admin1, 3, prov.group(0) if prov else "", bool(prov), destination, unknown or "province only"
    if focus.country is not None:
        return focus.country, 3, "", False, destination, unknown or "country only"
    return None, None, "", False, destination, unknown


AMBIGUITY_MARGIN = 0.1
# first words of capitalised runs that are not unknown place names ("in March", "of the Taliban")
_NOT_NAME_START = MONTHS | DAYS | FUNCTION_WORDS | NOT_PLACES | TITLES | frozenset(lx.word_list("not_name_start.txt"))


def _ambiguity(m: Mention, place: Place) -> str | None:
    """A runner-up reading nearly as good as the chosen one, somewhere else."""
    if m.place is None or place.place_id != m.place.place_id or not m.alternatives:
        return None
    alt = m.alternatives[0]
    if alt.score < m.score - AMBIGUITY_MARGIN or alt.place.kind != place.kind:
        return None
    if abs(alt.place.lat - place.lat) + abs(alt.place.lon - place.lon) < 0.5:
        return None
    return (
        f"ambiguous: {m.name} ({place.admin1 or place.country_code}) or ({alt.place.admin1}, {alt.place.country_code})"
    )


def _unknown_place(text: str, sent: Sentence, mentions: list[Mention]) -> str | None:
    """'not found: NAME' for a place-like name in the sentence that the gazetteer does not know."""
    local = text[sent.start : sent.end]
    known = [(m.start - sent.start, m.end - sent.start) for m in mentions]
    for u in lx.UNKNOWN_PLACE.finditer(local):
        s, e = u.span(1)
        name = u.group(1)
        first = name.split()[0].split("-")[0].lower()
        if any(a < e and s < b for a, b in known) or first in _NOT_NAME_START or first in DEMONYMS:
            continue
        return f"not found: {name}"  # unknown, or known only far away (Palma, Spain for Palma, Mozambique)
    return None


def _update_focus(focus: _Focus, mentions: list[Mention], gz: Gazetteer, chosen: Place | None = None) -> None:
    if chosen is not None and chosen.kind not in WIDE_KINDS:
        if chosen.kind == PLACE:
            focus.place = chosen
        focus.admin1 = gz.admin1_of(chosen) or focus.admin1
        focus.country = gz.country(chosen.country_code) or focus.country
        return
    for m in mentions:
        if m.place is None:
            continue
        if m.place.kind == ADMIN1:
            focus.admin1 = m.place
        elif m.place.kind == COUNTRY and focus.country is None:
            focus.country = m.place


# descriptions that fit any named force: "security forces" may be the RSF of the next sentence
GENERIC_ACTORS = frozenset(lx.word_list("generic_actors.txt"))


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b or a.lower() in GENERIC_ACTORS or b.lower() in GENERIC_ACTORS


def _merge(into: _Draft, d: _Draft) -> None:
    into.sentences.extend(d.sentences)
    if d.rank > into.rank:
        into.sub_event_type, into.event_type, into.rank = d.sub_event_type, d.event_type, d.rank
    for f in ("fatalities", "fatalities_text", "families", "people", "destination", "actor1", "actor2"):
        if getattr(into, f) is None and getattr(d, f) is not None:
            setattr(into, f, getattr(d, f))
    if not into.own_place and d.own_place:  # a later sentence makes the place precise
        into.place, into.geo_precision, into.location_text, into.own_place, into.review = (
            d.place,
            d.geo_precision,
            d.location_text,
            True,
            d.review,
        )
    elif (
        d.own_place
        and d.place is not None
        and into.place is not None
        and d.geo_precision is not None
        and into.geo_precision is not None
        and d.geo_precision < into.geo_precision
        and d.place.country_code == into.place.country_code
    ):
        into.place, into.geo_precision, into.location_text = d.place, d.geo_precision, d.location_text
        into.review = d.review
    into.weak = into.weak and d.weak


DEFAULT_TIME_BUDGET = 60.0  # seconds per report
MERGE_LOOKBACK = 12  # events a new sentence may merge into (bounds the work on long reports)


def _find_merge_target(events: list[_Draft], d: _Draft) -> _Draft | None:
    for e in reversed(events[-MERGE_LOOKBACK:]):
        if e.category != d.category:
            continue
        if d.weak and e.place is not None and d.place is not None and e.place.place_id == d.place.place_id:
            return e  # "... after days of fighting" at the place of a battle already told
        if not _compatible(e.actor1, d.actor1):
            continue
        if not d.own_place:
            return e  # a sentence without a place of its own tells more of the last event of its kind
        if (
            e.place is not None
            and d.place is not None
            and e.place.place_id == d.place.place_id
            and e.event_date == d.event_date
        ):
            return e
        if not e.own_place and e.place is not None and d.place is not None and gz_same_admin1(e.place, d.place):
            return e  # the earlier, province-level telling made precise
    return None


def gz_same_admin1(a: Place, b: Place) -> bool:
    return a.country_code == b.country_code and (a.admin1_code == b.admin1_code or a.kind == COUNTRY)


def extract(
    report: Report,
    geoparser: Geoparser | None = None,
    household_table: dict[str, float] | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> list[dict]:
    """Event records (dicts with the schema's fields plus ``lat``/``lon``) read from one report."""
    gp = geoparser or Geoparser()
    gz = gp.gz
    text = report.text
    budget = time_budget
    deadline = time.monotonic() + budget if budget else None
    mentions = [m for m in gp.parse(text) if m.place is not None]
    mentions = _without_datelines(text, _namesakes_guarded(text, _containers_guarded(text, mentions, gz)))
    starts = [m.start for m in mentions]
    focus = _Focus()
    events: list[_Draft] = []
    for sent in sentences(text):
        lo = bisect.bisect_left(starts, sent.start)
        ms = mentions[lo : bisect.bisect_left(starts, sent.end, lo)]
        if deadline is not None and time.monotonic() > deadline:
            raise LimitError(
                f"{report.source}: took longer than the {budget:g} s budget per report "
                f"(read {sent.start:,} of {len(text):,} characters); split it or raise --time-budget"
            )
        local = text[sent.start : sent.end]
        sport = lx.SPORT.search(local) and not lx.CASUALTY.search(local)
        if sent.heading or lx.NON_EVENT.search(local) or sport or lx.NON_EVENT_PHRASES.search(local):
            _update_focus(focus, ms, gz)
            continue
        found = _triggers(local, report.report_date.year)
        anaphor = _ANAPHOR.match(local)
        if not found and anaphor:
            cat = _ANAPHOR_CATEGORY.get(anaphor.group(1).lower())
            target = next((e for e in reversed(events[-MERGE_LOOKBACK:]) if e.category == cat), None)
            if target is not None:
                target.sentences.append(sent)
                if target.category in VIOLENT and target.fatalities_text is None:
                    target.fatalities, target.fatalities_text = _fatalities(local)
            _update_focus(focus, ms, gz)
            continue
        if not found:
            _attach_figures(events, sent)
            _update_focus(focus, ms, gz)
            continue
        if "strike" in found and "attack" in found and found["attack"][0] is not lx.DELIBERATE_KILL:
            del found["attack"]  # "air strikes killed 10 civilians": one strike with civilian deaths
        chosen_place = None
        violent_done = False
        made = 0
        for category, (trig, pos) in sorted(found.items(), key=lambda kv: kv[1][1]):
            place, prec, loc_text, own, dest, review = _locate(text, sent, ms, sent.start + pos, focus, gz, category)
            if trig.weak and (not own or prec == 3):
                continue
            if trig in lx.CLAUSE_TRIGGERS and not own:
                continue  # "the group said it had attacked army bases in the area": no act of its own to place
            made += 1
            actor1, actor2 = _actors(local, pos)
            if category == "displacement":
                actor1 = actor2 = None
            date, tprec, words = resolve(local, report.report_date)
            if not words and events:  # no time words: the story goes on at the time of the last event
                date, tprec = dt.date.fromisoformat(events[-1].event_date), events[-1].time_precision
            d = _Draft(
                category,
                trig.event_type,
                trig.sub_event_type,
                trig.rank,
                place,
                prec,
                loc_text,
                own,
                actor1,
                actor2,
                date.isoformat(),
                tprec,
                sentences=[sent],
                weak=trig.weak,
                review=review,
            )
            if category == "attack" and "clash" in found:
                # "killing 35 civilians and seven soldiers": the civilians are the attack's toll
                d.fatalities, d.fatalities_text = _first_number(lx.CIVILIAN_FATALITIES, local)
            if category in VIOLENT and not violent_done and d.fatalities_text is None:
                d.fatalities, d.fatalities_text = _fatalities(local)
                violent_done = d.fatalities_text is not None
            if category == "displacement":
                d.families, _ = _first_number(lx.FAMILIES, local)
                d.people, _ = _first_number(lx.PEOPLE_DISPLACED, local)
                d.destination = dest
            target = _find_merge_target(events, d)
            if target is not None:
                _merge(target, d)
            else:
                events.append(d)
            if own:
                chosen_place = place
        if not made:  # only weak triggers without a place of their own: "40 were killed in the fighting"
            _attach_figures(events, sent)
        _update_focus(focus, ms, gz, chosen_place)
    events = _fold_overviews(events, gz)
    return [_record(report, d, household_table) for d in events if d.place is not None]


def _without_datelines(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop the town of a dateline ("SANAA —", "KATSINA, Nigeria —"): the reporter's desk, not the event;
    a country named in it stays, as a hint of where the story is."""
    out = []
    for m in mentions:
        line_start = text.rfind("\n", 0, m.start) + 1
        d = lx.DATELINE.match(text, line_start)
        if d and m.end <= d.end() and m.place is not None and m.place.kind != COUNTRY:
            continue
        out.append(m)
    return out


NAMESAKE_MIN_VOTES = 2  # mentions of the report's main country before a lone far namesake is doubted


def _containers_guarded(text: str, mentions: list[Mention], gz: Gazetteer) -> list[Mention]:
    """ "X in Y province", "X, Country": a reading of X outside the unit named right after it is a namesake;
    take a reading inside it if the name has one, else drop X so the event stands on Y with a review note."""
    out = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        p, unit = m.place, nxt.place if nxt is not None else None
        if (
            p is None
            or unit is None
            or nxt is None
            or p.kind not in (PLACE, ADMIN2)
            or unit.kind not in (ADMIN1, COUNTRY)
            or nxt.start - m.end > 40
            or not lx.CONTAINER_GAP.match(text[m.end : nxt.start])
        ):
            out.append(m)
            continue

        def inside(q: Place, unit: Place = unit) -> bool:
            return q.country_code == unit.country_code and (unit.kind == COUNTRY or q.admin1_code == unit.admin1_code)

        if inside(p):
            out.append(m)
            continue
        alt = next((a for a in m.alternatives if inside(a.place)), None)
        if alt is not None:
            out.append(dataclasses.replace(m, place=alt.place, score=alt.score, alternatives=()))
    return out


NAMESAKE_MAX_POPULATION = 50_000  # a city larger than this is rarely a wrong reading of a village's name


def _namesakes_guarded(text: str, mentions: list[Mention]) -> list[Mention]:
    """A small town in a country named nowhere else in a report about another country (its dateline counts
    twice) is a far namesake ("Solhan", Turkey, in a story filed from Ouagadougou): take a reading in the main
    country if the name has one, else drop it so the event falls back to the unit named around it."""
    votes: dict[str, int] = {}
    for m in mentions:
        if m.place is not None:
            line_start = text.rfind("\n", 0, m.start) + 1
            d = lx.DATELINE.match(text, line_start)
            weight = 2 if d and m.end <= d.end() else 1
            votes[m.place.country_code] = votes.get(m.place.country_code, 0) + weight
    if not votes:
        return mentions
    main = max(votes, key=lambda c: votes[c])
    if votes[main] < NAMESAKE_MIN_VOTES:
        return mentions
    out = []
    for m in mentions:
        p = m.place
        if (
            p is None
            or p.kind in WIDE_KINDS
            or p.country_code == main
            or votes[p.country_code] > 1
            or p.population > NAMESAKE_MAX_POPULATION
        ):
            out.append(m)
            continue
        alt = next((a for a in m.alternatives if a.place.country_code == main), None)
        if alt is not None:
            out.append(dataclasses.replace(m, place=alt.place, score=alt.score, alternatives=()))
    return out


def _fold_overviews(events: list[_Draft], gz: Gazetteer) -> list[_Draft]:
    """ "Blasts hit churches in Sri Lanka. In Colombo, ... In Negombo, ...": a country- or province-level
    telling without a toll of its own, followed by precise events of its kind inside that unit on the same
    days, is their overview, not an event of its own; its sentence goes to the first precise one."""
    out = []
    for i, e in enumerate(events):
        if e.place is not None and e.geo_precision == 3 and e.fatalities is None and e.people is None:
            later = next(
                (
                    d
                    for d in events[i + 1 :]
                    if d.category == e.category
                    and d.place is not None
                    and d.geo_precision in (1, 2)
                    and _inside(d.place, e.place, gz)
                    and abs((dt.date.fromisoformat(d.event_date) - dt.date.fromisoformat(e.event_date)).days) <= 1
                ),
                None,
            )
            if later is not None:
                later.sentences.insert(0, e.sentences[0])
                later.sentences[1:] = [*e.sentences[1:], *later.sentences[1:]]
                continue
        out.append(e)
    return out


def _inside(place: Place, unit: Place, gz: Gazetteer) -> bool:
    if unit.kind == COUNTRY:
        return place.country_code == unit.country_code
    return unit.kind == ADMIN1 and gz_same_admin1(place, unit)


def _attach_figures(events: list[_Draft], sent: Sentence) -> None:
    """A sentence with no trigger that gives a toll ("400 people were killed in the attack") tells more of
    the last violent event."""
    violent = [e for e in events[-MERGE_LOOKBACK:] if e.category in VIOLENT]
    last_sentence = violent[-1].sentences[0].start if violent else None
    target = next((e for e in violent if e.sentences[0].start == last_sentence), None)
    if target is None or target.fatalities_text is not None:
        return
    value, words = _fatalities(sent.text)
    if words is not None:
        target.fatalities, target.fatalities_text = value, words
        target.sentences.append(sent)


def event_id(source: str, category: str, first_sentence: str, report_date: str) -> str:
    return ids.event_id(source, category, report_date, " ".join(first_sentence.split()))


def _confidence(d: _Draft) -> float:
    c = 0.45 + 0.1 * min(d.rank, 3) / 3
    if d.own_place:
        c += 0.2 if d.geo_precision in (1, 2) else 0.1
    if d.actor1:
        c += 0.1
    if d.fatalities is not None or d.families is not None or d.people is not None:
        c += 0.05
    if len(d.sentences) > 1:
        c += 0.05
    return round(min(c, 0.99), 2)


def _record(report: Report, d: _Draft, household_table: dict[str, float] | None) -> dict:
    p = d.place
    assert p is not None  # unplaced drafts never reach the output
    hh = None
    people = d.people
    if d.families is not None and people is None:
        hh = household_size(p.country_code, household_table)
        people = int(round(d.families * hh))
    rec = {
        "event_id": event_id(report.source, d.category, d.sentences[0].text, report.report_date.isoformat()),
        "category": d.category,
        "event_type": d.event_type,
        "sub_event_type": d.sub_event_type,
        "event_date": d.event_date,
        "time_precision": d.time_precision,
        "location": p.name,
        "place_id": p.place_id,
        "country_code": p.country_code,
        "admin1": p.admin1 or None,
        "admin2": p.admin2 or None,
        "geo_precision": d.geo_precision,
        "location_text": d.location_text or None,
        "actor1": d.actor1,
        "actor2": d.actor2,
        "fatalities": d.fatalities,
        "fatalities_text": d.fatalities_text,
        "displaced_families": d.families,
        "displaced_people": people,
        "household_size": hh,
        "destination": d.destination,
        "report_date": report.report_date.isoformat(),
        "source": report.source_at(d.sentences[0].start),  # a.pdf#page=2 for PDF/DOCX reports
        "source_id": None,  # a report has no row ids of its own
        "source_text": " … ".join(s.text for s in d.sentences),
        "confidence": _confidence(d),
        "review": d.review,
        "lat": p.lat,
        "lon": p.lon,
    }
    assert set(FIELDS) <= set(rec)
    return rec


_ENGLISH = frozenset(
    "the of and to in a is was were for on that by with from at as has have had said after its their "
    "this are been it which killed people".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def why_no_events(report: Report) -> str:
    """A reader's explanation for a report that gave no events (for a note on the command line)."""
    words = [w.lower() for w in _WORD.findall(report.text[:200_000])]
    if not words:
        return "no words in it"
    if len(words) >= 8 and sum(w in _ENGLISH for w in words) / len(words) < 0.08:
        return "it does not look like English text; the extractor reads English reports only"
    n = sum(1 for _ in sentences(report.text[:200_000]))
    if not any(t.pattern.search(report.text) for t in lx.TRIGGERS):
        return f"no words for an event (strike, clash, attack, fled, protest ...) in its {n:,} sentence(s)"
    names = []
    for u in lx.UNKNOWN_PLACE.finditer(report.text[:200_000]):
        name = u.group(1)
        if name.split()[0].split("-")[0].lower() not in _NOT_NAME_START and name not in names:
            names.append(name)
    hint = f" (names it does not know: {', '.join(names[:5])})" if names else ""
    return f"event words found, but no place for them in the gazetteer{hint}; add places with --overrides"
