"""Numbers as reports write them: "1,500", "170", "two thousand", "a dozen", "dozens" (pure)."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "a dozen": 12,
    "half a dozen": 6,
    "a couple": 2,
    "couple": 2,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
VAGUE = {
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "tens of thousands",
    "hundreds of thousands",
    "millions",
    "several",
    "many",
    "numerous",
    "some",
    "a few",
    "few",
}

_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen|"
    r"hundred|thousand|million|billion)"
)
# a number as written: digits (with separators, decimals, million), or number words, or a vague quantity
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:million|thousand|m\b|k\b))?"
    r"|(?:half a dozen|a dozen|a couple(?: of)?)"
    r"|" + _WORD + r"(?:[\s-]+(?:and\s+)?" + _WORD + r")*"
    r"|tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands|millions"
)
# every NUMBER starts with a digit or holds one of these words: a cheap test before the figure patterns
ANY_NUMBER = re.compile(rf"\d|\b{_WORD}|\b(?:couple|scores)", re.I)
QUALIFIER = (
    r"(?:at least|more than|over|about|around|some|nearly|almost|up to|approximately|roughly|an estimated|"
    r"as many as|close to|fewer than|less than)"
)


def parse_number(text: str) -> tuple[int | None, str]:
    """(value, the words as written). Vague quantities ("dozens") give (None, word)."""
    t = text.strip().lower().replace("-", " ")
    t = re.sub(r"\s+", " ", t)
    if t in VAGUE:
        return None, text.strip()
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(million|thousand|m|k)?", t)
    if m:
        v = float(m.group(1).replace(",", ""))
        scale = {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}.get(m.group(2) or "", 1)
        return int(round(v * scale)), text.strip()
    if t in UNITS:
        return UNITS[t], text.strip()
    total, current = 0, 0
    for w in t.replace(" of", "").split():
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            return None, text.strip()
    value = total + current
    return (value if value > 0 else None), text.strip()
