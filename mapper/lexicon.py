"""What the extractor looks for: event triggers, actor names, figures and place roles (our own lists)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from .numbers import NUMBER, QUALIFIER


def word_list(name: str) -> list[str]:
    """The entries of ``mapper/data/lexicon/<name>``: one a line, blank lines and ``#`` comments skipped."""
    text = resources.files("mapper").joinpath("data", "lexicon", name).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def alternation(name: str) -> str:
    """A word list as one regex group, longest entries first so that a longer reading wins."""
    return "(?:" + "|".join(sorted(word_list(name), key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern
    category: str
    event_type: str
    sub_event_type: str
    rank: int  # within a category, the higher rank is the more specific reading of one event
    weak: bool = False  # a weak trigger alone makes an event only with a precise own place
    mutual: bool = False  # fighting between two sides: civilians killed in it are its toll, not an attack
    toll: bool = False  # a toll phrase ("killing 9 civilians"): the kind of event only when nothing else says it


def _t(rx: str, category: str, event_type: str, sub: str, rank: int, weak: bool = False, **flags: bool) -> Trigger:
    return Trigger(re.compile(rx, re.I), category, event_type, sub, rank, weak, **flags)


EXPLOSIONS = "Explosions/Remote violence"


def _read_triggers(name: str) -> list[Trigger]:
    """Triggers from a TSV: category, event type, sub-event type, rank, flags (weak/mutual/toll or -), regex."""
    out = []
    for row in word_list(name):
        category, event_type, sub, rank, flags, rx = row.split("\t")
        marks = {f: True for f in flags.split(",") if f != "-"}
        if not set(marks) <= {"weak", "mutual", "toll"}:
            raise ValueError(f"{name}: unknown flag in {flags!r}")
        out.append(_t(rx, category, event_type, sub, int(rank), **marks))
    return out


TRIGGERS: list[Trigger] = _read_triggers("triggers.tsv")

# -- the clause reader: verb + object ---------------------------------------------------------------
# "X attacked/raided/opened fire on Y": what Y is (soldiers, a market, a town) decides the kind of event
ATTACK_VERB = re.compile(rf"\b{alternation('attack_verbs.txt')}\b", re.I)
KILL_VERB = re.compile(rf"\b{alternation('kill_verbs.txt')}\b", re.I)
CIVILIAN_TARGET = re.compile(rf"\b{alternation('civilian_targets.txt')}\b", re.I)
ARMED_TARGET = re.compile(rf"\b{alternation('armed_targets.txt')}\b", re.I)
ARMED_VICTIM = re.compile(rf"\b{alternation('victims_armed.txt')}\b", re.I)
# the object noun phrase ends at a preposition, a clause break or a participle
OBJECT_END = re.compile(
    r"[,;:.()]|\s(?:in|near|on|at|outside|around|inside|from|with|during|after|before|while|when|as|and|but|"
    r"across|along|between|last|early|late|overnight|yesterday|today|this|who|that|which|whose|\w+ed\s+by|"
    r"(?!(?:wedding|building|housing|evening|morning|meeting|gathering|boarding|crossing|clothing|dwelling|landing|"
    r"shipping|fishing|mining|farming|trading|parking|training|shopping|bombing|shelling)\b)\w+ing)\b",
    re.I,
)
# "the town of", "the village of": the noun names the place that follows
PLACE_NOUN_OF = re.compile(
    r"^(?:the\s+)?(?:(?:\w+\s+)?(?:town|city|port|capital|district|province|region|area|locality|commune|"
    r"municipality)\s+of\s+)?(?=[A-Z])"
)
CLAUSE_CLASH = Trigger(re.compile(r"$^"), "clash", "Battles", "Armed clash", 2)
CLAUSE_ATTACK = Trigger(re.compile(r"$^"), "attack", "Violence against civilians", "Attack", 3)
KILL_CLASH = Trigger(re.compile(r"$^"), "clash", "Battles", "Armed clash", 1)
CLAUSE_FORCE = Trigger(re.compile(r"$^"), "unrest", "Protests", "Excessive force against protesters", 3)
# the object of the attack verb is a protest: "opened fire on a march", "fired on demonstrators"
PROTEST_OBJECT = re.compile(
    r"\b(?:protests?|protesters|demonstrations?|demonstrators|march(?:es)?|marchers|rall(?:y|ies)|sit-ins?|"
    r"strikers|striking \w+)\b",
    re.I,
)
# the people shot at were protesting: "opened fire on crowds demonstrating against ..."
PROTESTING_AFTER = re.compile(
    r"\s*(?:(?:who|that)\s+(?:were|was)\s+)?(?:protesting|demonstrating|marching|rallying)\b", re.I
)
# the clause after these words gives the cause or the background of the event before them
# told as what an event came after: everything after it is background ("the shootings came a day after ...")
CAME_AFTER = re.compile(
    r"\b(?:came|comes|coming)\s+(?:\w+\s+){0,3}(?:after|as|amid)\b|\bin (?:retaliation|response|reprisal) for\b", re.I
)
EARLIER_EVENT_WORD = re.compile(r"\b(?:attacks|killings|massacres?|raids)\b", re.I)
# the attackers fled: their escape, not people displaced
ARMED_FLED = re.compile(
    r"\b(?:attackers|gunmen|militants|assailants|insurgents|bandits|kidnappers|suspects|raiders)\b"
    r"(?:(?!\b(?:forced|made|caused|people|residents|civilians|families|villagers)\b)[^.;]){0,60}?\b(?:fled|escaped)$",
    re.I,
)
# a drawn-out earlier activity told as what led to the event: "stormed the camp after days of shelling"
AFTER_DAYS_OF = re.compile(
    r"\b(?:after|following|amid)\s+(?:\w+\s+){0,2}(?:hours|days|weeks|months|years|nights)\s+of\s+(?:\w+\s+){0,2}$",
    re.I,
)
# "X in Y province", "X, Y state": the unit that contains the place just named
CONTAINER_GAP = re.compile(r"[\s\w'’-]{0,25}?(?:,|\bin\b|\bof\b)\s+(?:the\s+)?(?:[a-z]+\s+)?$")
# crowds fighting each other: a riot, not a battle
CROWDS_FIGHTING = re.compile(
    r"\bbetween\s+(?:[\w-]+\s+){0,4}?(?:crowds|supporters|protesters|demonstrators|rioters|mobs|youths|fans|students|"
    r"activists)\b|\b(?:crowds|supporters|protesters|demonstrators|rioters|mobs|youths|fans|students|activists)\s+"
    r"(?:\w+\s+)?(?:clashed|fought)\b",
    re.I,
)
# the state's forces as the ones who fired: "police opened fire on a march"
STATE_FORCE_BEFORE = re.compile(
    r"\b(?:police|policem[ae]n|troops|soldiers|security forces|army|riot police|gendarmes|officers)\b[^,;]{0,30}$", re.I
)
# a building named with a city: "beside the education ministry in X" is a place, not a speaker
BUILDING_IN_BEFORE = re.compile(
    r"\b(?:beside|outside|near|at|inside|in front of|opposite|next to|behind|into|stormed|attacked|hit|struck|"
    r"targeted|bombed)\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}(?:ministry|embassy|consulate|headquarters|offices?|"
    r"building|compound|parliament)\s+(?:in|of)\s+$",
    re.I,
)
# who killed: a named actor, or a person or force told by a common noun or a pronoun
KILLER_BEFORE = re.compile(
    r"\b(?:he|she|they|police(?:m[ae]n| officers?)?|soldiers?|officers?|troops|guards?|gunm[ae]n|attackers?|"
    r"assailants?|militiam[ae]n|fighters|militants|rebels|bandits|jihadists|forces)\b[^.;]{0,40}$",
    re.I,
)
CAUSE_BEFORE = re.compile(
    r"\b(?:after|following|amid|as|because of|due to|in retaliation for|in response to|in reprisal for|since|"
    r"to escape|escaping|fleeing|(?:came|comes|coming)\s+(?:\w+\s+){0,3}after)\s+(?:\w+\s+){0,4}$",
    re.I,
)
# a datelined report: "SANAA —", "KATSINA, Nigeria —", "GOMA (Reuters) -": where the reporter filed from
DATELINE = re.compile(r"^\s*[A-Z][\w'’ .-]{1,40}?(?:,\s*[A-Z][\w'’ .-]{1,30}?)?\s*(?:\([^)]{1,30}\)\s*)?(?:—|–|--|-)\s")
CLAUSE_STRIKE = Trigger(re.compile(r"$^"), "strike", EXPLOSIONS, "Air/drone strike", 2)
# the subject of an attack verb is a weapon: "drones attacked the port" is a strike
WEAPON_SUBJECT = re.compile(
    r"\b(?:drones?|warplanes?|jets?|aircraft|helicopters?|missiles?|rockets?|artillery|gunships?|bombers?|"
    r"(?:air ?)?strikes?|airstrikes?|bombs?|shells?|shelling)"
    r"(?:\s+\w+){0,2}\s*(?:(?:was|were|have|has|had)\s+)?$",
    re.I,
)
# "was targeting", "have been attacking", "keep raiding": an ongoing or habitual activity
ONGOING_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|be|keeps?|kept|continues? to|continued|accused (?:\w+ ){0,3}of|of)\s+(?:\w+ly\s+)?$",
    re.I,
)
KILL_ATTACK = Trigger(re.compile(r"$^"), "attack", "Violence against civilians", "Attack", 3, toll=True)
# a deliberate killing by a named killer told beside another event ("he then shot dead 69 people"): an act of
# its own, not the toll of the other event
DELIBERATE_KILL = Trigger(re.compile(r"$\^"), "attack", "Violence against civilians", "Attack", 3)
RIOT = Trigger(re.compile(r"$^"), "unrest", "Riots", "Violent demonstration", 2)
CLAUSE_TRIGGERS = (
    CLAUSE_CLASH,
    CLAUSE_ATTACK,
    KILL_CLASH,
    CLAUSE_STRIKE,
    CLAUSE_FORCE,
    KILL_ATTACK,
    RIOT,
    DELIBERATE_KILL,
)
PASSIVE_KILL = re.compile(
    r"\b(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:killed|massacred|executed|shot dead|slaughtered|murdered)\b",
    re.I,
)
# a protest as the setting of another event: "a crowd gathering for a rally", "during a protest"
SETTING_BEFORE = re.compile(
    r"\b(?:gathering|gathered|attending|attended|at|during|for|near|joined|joining|outside)\s+(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
# a passive ("a convoy was attacked by ..."): the target stands before the verb
PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+\s+)?$", re.I)

# one pass to skip the many sentences that hold no trigger at all
ANY_TRIGGER = re.compile(
    "|".join(f"(?:{t.pattern.pattern})" for t in TRIGGERS) + f"|(?:{ATTACK_VERB.pattern})|(?:{KILL_VERB.pattern})",
    re.I,
)

# sentence-level contexts in which trigger words do not report an event
NON_EVENT = re.compile(
    r"\b(?:fighting (?:has |had )?continu\w*|continu\w* (?:fighting|clashes)|peace talks|ceasefire talks|"
    r"(?:halt|stop|end|cease) (?:the |their |its )?(?:offensive|fighting|attacks|strikes)|hunger strikes?|"
    r"general strike|labou?r strike|strike action|(?:no|never) (?:new )?(?:attacks?|strikes?|clashes)|"
    r"threaten(?:ed|s)? to|could (?:launch|attack)|would (?:launch|attack)|plans? to (?:attack|strike))\b",
    re.I,
)
# trigger matches to ignore wherever they stand
IGNORE_MATCH = re.compile(
    r"\b(?:under attack|took place|took part|took office|took power|taking part|took note|"
    r"took (?:a |the )?(?:decision|step|steps|measures)|took to (?:the )?streets|"
    r"captured (?:on|in) (?:video|camera|film)|(?:gunfire|shots|explosions?|blasts?)(?: and \w+)? (?:(?:were|was|could be) )?"
    r"heard|heard (?:\w+ ){0,3}(?:explosions?|blasts?)|(?:troops|forces|fighters|soldiers|militants|rebels|tanks|"
    r"convoys?) (?:\w+ ){0,2}crossed)\b",
    re.I,
)


class GatedPatterns:
    """Regexes read from a TSV (gate, regex), each tried only when one of its gate words is in the text: a
    long list of phrases costs a few substring tests per sentence, not a scan per phrase."""

    def __init__(self, name: str):
        self.entries: list[tuple[frozenset[str], re.Pattern]] = []
        for row in word_list(name):
            gate, rx = row.split("\t")
            self.entries.append((frozenset(gate.split("|")), re.compile(rf"\b(?:{rx})\b", re.I)))
        self.gates = sorted({g for gates, _rx in self.entries for g in gates})

    def _live(self, text: str) -> list[re.Pattern]:
        low = text.lower()
        present = {g for g in self.gates if g in low}
        return [rx for gates, rx in self.entries if not gates.isdisjoint(present)] if present else []

    def search(self, text: str) -> bool:
        return any(rx.search(text) for rx in self._live(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for rx in self._live(text) for m in rx.finditer(text)]


NON_EVENT_PHRASES = GatedPatterns("non_event.tsv")
IGNORE_PHRASES = GatedPatterns("ignore.tsv")

# -- actors -----------------------------------------------------------------------------------
# armed groups by name: (regex, the name events give them)
ACTOR_GROUPS: list[tuple[str, str]] = [
    (rx, name) for rx, name in (row.split("\t") for row in word_list("actor_groups.tsv"))
]
_ARMED_NOUN = (
    r"(?:forces|troops|army|military|air force|police|soldiers|security forces|navy|militias?|"
    r"coalition|fighters|militants|insurgents|rebels|gunmen|jihadists|paramilitaries|gendarmes|"
    r"protesters|demonstrators|rioters|mob|drones?|warplanes?|jets|aircraft)"
)
_STATE_ADJ = {"american": "US", "us": "US", "u.s.": "US", "united states": "US", "u.s": "US"}
ACTOR_RX = re.compile(
    r"\b(?:(?P<group>(?i:" + "|".join(p for p, _ in ACTOR_GROUPS) + r"))(?:\s+(?:fighters|militants|insurgents|"
    r"forces|group|militia|members))?"
    r"|(?P<named>(?:(?:[A-Z][\w.'-]*|al|of|the)\s+){0,4}?(?:[A-Z][\w.'-]*\s+)(?:(?:government|pro-government|"
    r"regime|rebel|opposition|allied|special|state|federal|national|military)\s+)?(?i:security forces|armed forces|"
    r"air force|forces|troops|army|military|police|navy|soldiers|militias?|coalition|jets|warplanes|drones))"
    r"|(?P<generic>(?i:(?:unidentified |unknown |armed |suspected )*(?:gunmen|militants|insurgents|rebels|"
    r"jihadists|protesters|demonstrators|rioters|attackers|assailants|armed men|bandits))))\b"
)
_GROUP_RX = [(re.compile(rf"^(?:{p})\b", re.I), name) for p, name in ACTOR_GROUPS]


def normalise_actor(raw: str) -> str:
    """'the Taliban', 'Taliban fighters' -> 'Taliban'; 'American forces' -> 'US forces'."""
    s = re.sub(r"^(?:the|a|an|hundreds of|dozens of|thousands of)\s+", "", raw.strip(), flags=re.I)
    for rx, name in _GROUP_RX:
        if rx.match(s):
            return name
    words = s.split()
    if not words:
        return raw
    lead = " ".join(words[:-1]).lower().rstrip(".")
    if lead in _STATE_ADJ or words[0].lower().rstrip(".") in ("american", "us", "u.s"):
        rest = " ".join(w for w in words[1:] if w.lower() not in ("military",)) or "forces"
        return f"US {rest}" if rest != "forces" else "US forces"
    if words[-1].lower() in ("military",):
        return " ".join(words[:-1] + ["forces"])
    return s[0].upper() + s[1:]


# -- figures ------------------------------------------------------------------------------------
_N = rf"(?:{QUALIFIER}\s+)?(?P<n>{NUMBER})"
_VICTIMS = (
    r"(?:people|persons|civilians|insurgents|militants|fighters|soldiers|troops|policemen|police officers|"
    r"officers|children|women|men|members|rebels|gunmen|attackers|jihadists|terrorists|villagers|"
    r"residents|worshippers|protesters|demonstrators|security personnel|personnel|guards|others|"
    r"[a-z]+ (?:soldiers|fighters|militants|civilians|troops|policemen|members|insurgents))"
)
CIVILIAN_FATALITIES = [
    re.compile(
        rf"\b(?:death )?toll\b[^.;]{{0,120}}?\b(?:rose|risen|climbed|reached|increased|jumped|stands|stood|is|was)\s+"
        rf"(?:to|at)\s+{_N}",
        re.I,
    ),
    re.compile(
        rf"\b(?:killed|killing|kills)\s+{_N}\s+(?:civilians|villagers|residents|worshippers|students|children|"
        r"women|passengers|people)\b",
        re.I,
    ),
]
FATALITIES = [
    re.compile(
        rf"\b(?:death )?toll\b[^.;]{{0,120}}?\b(?:rose|risen|climbed|reached|increased|jumped|stands|stood|is|was)\s+"
        rf"(?:to|at)\s+{_N}",
        re.I,
    ),
    re.compile(
        rf"\b(?:killed|killing|kills|left|leaving|executed|executing|massacred|massacring|shot dead|shooting dead|"
        rf"gunned down|murdered|beheaded|slaughtered|slit (?:the )?throats of)\s+{_N}\b(?:\s+(?:{_VICTIMS}\s+)?(?:dead)?)?",
        re.I,
    ),
    re.compile(rf"\bshot\s+{_N}\s+(?:{_VICTIMS}\s+)?dead\b", re.I),
    re.compile(rf"\bto death\s+{_N}", re.I),
    re.compile(rf"\b(?:found|recovered)\s+(?:the\s+)?{_N}\s+bodies\b", re.I),
    re.compile(rf"\b{_N}\s+bodies\s+(?:were\s+|had been\s+)?(?:found|recovered)", re.I),
    re.compile(rf"\b{_N}\s+(?:{_VICTIMS}\s+)?(?:were|was|had been|have been)\s+(?:[\w,]+\s+){{1,4}}to death\b", re.I),
    re.compile(
        rf"\b{_N}\s+(?!of\s+the\s+(?:dead|killed|victims)\b)(?:{_VICTIMS}\s*)?(?:,[^,.;]{{1,40}},\s*)?(?:\w+\s+){{0,2}}(?:were|have been|had been|was|are|"
        rf"being)?\s*"
        rf"(?:killed|dead|died|slain|lost their lives|perished|executed|massacred|shot dead|gunned down|murdered|"
        rf"beheaded|shot and killed)\b",
        re.I,
    ),
    re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,4}}?(?:to|of|at|reached|rose to|climbed to|stands at)\s+{_N}", re.I),
    re.compile(rf"\b{_N}\s+(?:deaths|fatalities|dead)\b", re.I),
]
# words one of which a figure pattern needs: the pattern is skipped on a sentence without any of them
GATES: dict[re.Pattern, tuple[str, ...]] = {
    FATALITIES[0]: ("toll",),
    FATALITIES[2]: ("shot",),
    FATALITIES[3]: ("to death",),
    FATALITIES[4]: ("bodies",),
    FATALITIES[5]: ("bodies",),
    FATALITIES[6]: ("to death",),
    FATALITIES[8]: ("toll",),
    FATALITIES[9]: ("death", "fatalit", "dead"),
}
# more dead told after the first toll: "six were shot dead ... and 42 more died"
TOLL_MORE = re.compile(
    rf"\band\s+(?:another\s+)?(?P<n>{NUMBER})\s+(?:more|others|other people)\s+(?:\w+\s+){{0,2}}?"
    r"(?:died|were killed|dead)\b",
    re.I,
)
SPORT = re.compile(rf"\b{alternation('sport.txt')}\b", re.I)
CASUALTY = re.compile(r"\b(?:killed|killing|dead|died|wounded|injured|bomb\w*|explosions?|blasts?|gunmen|shot)\b", re.I)
# the ones who attacked were protesters: a riot
PROTESTERS_BEFORE = re.compile(
    r"\b(?:protesters|demonstrators|rioters|mobs?|crowds?|youths|students|supporters)\b[^.;]{0,60}$", re.I
)
# a toll given as a sum of people: "a soldier and two police officers died", "killing a teacher, two pupils and a guard"
_ONE_KIND = rf"(?:a|an|one|{NUMBER})\s+(?:[a-z-]+\s+){{0,2}}[a-z-]+"
TOLL_SUM = [
    re.compile(
        rf"\b(?P<list>{_ONE_KIND}(?:\s*,\s*{_ONE_KIND})*,?\s+and\s+{_ONE_KIND})\s+(?:(?:were|was|have been|had been)\s+)?"
        r"(?:killed|died|dead|slain|shot dead|executed)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?:killed|killing|kills|executed|shot dead)\s+(?P<list>{_ONE_KIND}(?:\s*,\s*{_ONE_KIND})*,?\s+and\s+"
        rf"{_ONE_KIND})\b",
        re.I,
    ),
]
ONE_KIND = re.compile(rf"(?P<n>a|an|one|{NUMBER})\s+", re.I)
_DISPLACED_VERB = (
    r"(?:fled|flee|fleeing|displaced|uprooted|forced|left|abandoned|evacuated|sought|sheltering|arrived|crossed|"
    r"took|relocated|moved|escaped)"
)
FAMILIES = [
    re.compile(rf"\b{_N}\s+(?:\w+\s+){{0,2}}(?:families|households)\b", re.I),
]
PEOPLE_DISPLACED = [
    re.compile(
        rf"\b(?:to|at|reached)\s+{_N}\s+the (?:total )?number of (?:\w+\s+){{0,2}}(?:evacuated|displaced|who (?:have |had )?fled)",
        re.I,
    ),
    re.compile(rf"\bbetween\s+{_N}\s+and\s+(?:{NUMBER})\s+(?:people|persons|individuals|residents|civilians)", re.I),
    re.compile(
        rf"\b{_N}\s+(?:\w+\s+){{0,2}}(?:people|persons|individuals|residents|civilians|villagers|idps|refugees|"
        rf"internally displaced(?: people| persons)?)\s+(?:\w+\s+){{0,3}}{_DISPLACED_VERB}",
        re.I,
    ),
    re.compile(
        rf"\b(?:displaced|displacing|uprooted|forced out)\s+{_N}\s+(?:people|persons|individuals|residents|"
        rf"civilians)?",
        re.I,
    ),
    re.compile(
        rf"\b{_N}\s+(?:idps|internally displaced people|internally displaced persons|displaced people|"
        rf"displaced persons)\b",
        re.I,
    ),
]

# -- place roles ----------------------------------------------------------------------------------
# the place is not where the event is: talks, statements, home of a speaker or organisation
NOT_EVENT_BEFORE = re.compile(
    r"\b(?:talks|negotiations|negotiators|summit|conference|meeting|agreement|deal|accord|embassy|visit(?:ed|ing)?|"
    r"signed|mediated|hosted|spokes(?:man|woman|person)|commander|ambassador|envoy|officials?|minister|ministry|"
    r"statement|based|headquartered|according to|government of|leaders? of|president of|speaking|spoke|"
    r"press conference|news conference|briefing|addressing)\b(?P<gap>[^.;]{0,40})$",
    re.I,
)
# a verb in the gap means the place belongs to the reported event, not to the speaker or the talks
GAP_VERB = re.compile(
    r"\b(?:said|says|told|reported|hit|struck|killed|attacked|shelled|bombed|fled|clashed|"
    r"seized|captured|stormed)\b",
    re.I,
)
NOT_EVENT_AFTER = re.compile(
    r"^(?:-[A-Z]\w+|['’]s(?!\s+(?:[\w-]+\s+){0,2}?(?:suburbs?|outskirts|districts?|neighbou?rhoods?|areas?|"
    r"quarters?|old city|centre|center|province|governorate|region|state|city|town|capital|port|villages?|camps?|"
    r"airport|border|(?:north|south|east|west)(?:ern)?|central)\b)|-based| based| administration| government| officials| authorities| spokes\w+| ministry| embassy|"
    r" forces| military| troops| army| air force| police| navy| soldiers| security forces| said| says| has said|"
    r" told| announced| agreement| deal| talks| peace| leadership| negotiators| envoy| officials|"
    r" air ?strikes?| airstrikes?| strikes?| drones?| warplanes?| jets| aircraft| bombers?| artillery| missiles?|"
    r"-led|-backed| troops| fighters| militias?| militiam[ae]n| rebels| insurgents| gunmen)\b",
    re.I,
)
# names of things after a town: "Operation Kandahar", "the Lampedusa ferry", "fighters from X" (their origin)
NAME_OF_THING_BEFORE = re.compile(
    r"(?:\b(?:Operation|MV|MS|MT|SS)\s+|\b(?i:fighters|militants|troops|soldiers|rebels|gunmen|insurgents|jihadists|"
    r"militiam[ae]n|forces|reinforcements|units?|brigades?|battalions?)\s+(?:\w+\s+)?(?i:from|based in)\s+(?:the\s+)?)$"
)
# an event told as background: "seized by rebels years ago", "captured in 2012", "since 2014"
BACKGROUND_AFTER = re.compile(
    r"[^,;.()]{0,50}?\b(?:(?:\w+\s+)?(?:years|decades)\s+ago|(?:days|weeks|months|years)\s+(?:earlier|before)|"
    r"last\s+(?:month|year)|earlier\s+this\s+(?:month|year)|(?:in|since|during)\s+(?:\w+\s+)?(?P<year>(?:19|20)\d\d))\b"
)
BACKGROUND_BEFORE = re.compile(r"\b(?:since|the|in)\s+(?P<year>(?:19|20)\d\d)\s+(?:\w+\s+)?$")
NAME_OF_THING_AFTER = re.compile(r"^\s+(?:ferry|boat|vessel|ship|tanker|freighter|trawler)\b", re.I)
# a name before a site noun names the site ("the Santa Cruz cemetery in Dili"): not a place when a place follows
SITE_AFTER = re.compile(
    r"^\s+(?:cemetery|church|mosque|cathedral|temple|hospital|school|university|college|stadium|hotel|mall|bridge|"
    r"square|street|road|avenue|prison|market|restaurant|cinema|theatre|club)\s+(?:in|at|near|of)\s+(?:the\s+)?[A-Z]",
    re.I,
)
# "residents who fled Lashio said": the name is where they fled from, not the speaker
ORIGIN_BEFORE = re.compile(r"\b(?:fled|fleeing|left|escaped|from|in|near|outside)\s+(?:the\s+)?$", re.I)
DESTINATION_BEFORE = re.compile(
    r"(?:fled|fleeing|flee|displaced|moved|went|headed|escaped|arrived|sought refuge|took refuge|sheltering|"
    r"reached|relocated|evacuated)\s+(?:\w+\s+){0,4}?(?:to|towards|into)\s+(?:the\s+)?(?:\w+\s+){0,3}$|"
    r"(?:arrived|sought refuge|took refuge|sheltering|sheltered|relocated|evacuated|settled)\s+(?:\w+\s+){0,4}?"
    r"(?:in|at)\s+(?:the\s+)?(?:\w+\s+){0,3}$|"
    r"\b(?:to|towards|into)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
VAGUE_BEFORE = re.compile(
    r"(?:outskirts|outside|near|nearby|close to|around|vicinity|suburbs?|edge|fringes|environs|areas? (?:of|around)|"
    r"villages? (?:of|near|around)|parts? of|(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)?(?: part)? of|km (?:from|of|outside)|kilomet(?:re|er)s (?:from|of|outside)|miles "
    r"(?:from|of|outside))\b[^.;]{0,45}$",
    re.I,
)
# vagueness written after the name: "Beirut's southern suburbs", "the Goma area"
VAGUE_AFTER = re.compile(
    r"(?:['’]s\s+(?:[\w-]+\s+){0,2}?(?:suburbs?|outskirts|edges?|fringes|environs|surroundings)|\s+area)\b", re.I
)
# references to a place by its role: "the provincial capital (of X)", "the province"
PROVINCIAL_CAPITAL = re.compile(r"\b(?:the\s+)?(?:provincial|regional|state|district) capital\b(?!\s+of\b)", re.I)
PROVINCIAL_CAPITAL_OF = re.compile(r"\b(?:the\s+)?(?:provincial|regional|state) capital of\s+$", re.I)
THE_CITY = re.compile(r"\b(?:of|in|near|outside|around|into|from|on|at) the (?:city|town)\b", re.I)
THE_PROVINCE = re.compile(r"\b(?:in|across|throughout|of) the (?:province|region|governorate|state)\b", re.I)

# a capitalised name after a place preposition ("in Qala-e Gaz", "near the village of Loy Bagh"): when the
# gazetteer does not know it, the event's own place is missing and goes to the review list
_NAME_WORD = r"[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
UNKNOWN_PLACE = re.compile(
    r"\b(?:in|near|outside|around|at|from|into|of|hit|struck|targeted|attacked|shelled|bombed|stormed|"
    r"captured|seized|took|entered|fled|overran|besieged)\s+(?:the\s+)?"
    r"(?:(?:village|town|city|district|area|outskirts|suburbs?|hamlet|camp)\s+of\s+)?"
    rf"({_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,3}})"
)
