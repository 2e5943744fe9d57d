"""Sentences with their character offsets (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazetteer.words import MONTH_ABBREVIATIONS

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "st",
    "no",
    "vs",
    "etc",
    "gov",
    "sen",
    "rep",
    "prof",
    "approx",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "a.m",
    "p.m",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "est",
    "fig",
    "mt",
} | set(MONTH_ABBREVIATIONS)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    heading: bool  # a line with no closing punctuation, e.g. a sub-heading


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences; every line block is split separately, headings kept apart."""
    out: list[Sentence] = []
    for block in re.finditer(r"[^\n]+", text):
        bstart, chunk = block.start(), block.group(0)
        pos = 0
        for m in _BOUNDARY.finditer(chunk):
            before = chunk[max(0, m.start() - 40) : m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            _add(out, text, bstart + pos, bstart + m.end())
            pos = m.end()
        _add(out, text, bstart + pos, bstart + len(chunk))
    return out


def _add(out: list[Sentence], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s:
        return
    t = text[s:e]
    heading = t[-1] not in ".!?\"”’')" and len(t.split()) <= 14
    out.append(Sentence(s, e, t, heading))
