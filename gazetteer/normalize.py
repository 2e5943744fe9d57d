"""Name keys: how a place name is folded before it is looked up.

Three keys per name, from strict to loose:

``normalize``  accents stripped, case folded, apostrophes dropped, punctuation and hyphens to spaces
               ("Ma'arrat an-Nu'man" -> "maarrat an numan")
``compact``    ``normalize`` with the spaces removed and Arabic-style articles unified
               ("Lashkar Gah", "Lashkar-Gah", "Lashkargah" -> "lashkargah";
               "Ma'arrat an-Nu'man", "Maarat al-Numan" -> "maratalnuman")
``skeleton``   a consonant skeleton of ``compact`` for transliteration variants
               ("Hodeidah", "Hudaydah" -> "hdd"); used only as a last, lower-scored tier
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘`´ʻʼʽʾʿ′"
_DROP = str.maketrans("", "", _APOSTROPHES)
# letters NFKD does not decompose
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
# Arabic definite article as transliterated before sun and moon letters: al-, el-, an-, ar-, as-, ash-, ...
_ARTICLE = re.compile(r"(?:(?<=\s)|^)(?:al|el|an|ar|as|ash|ad|adh|at|ath|az|ud|ul|ur)\s+")


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name."""
    s = name.translate(_SPECIAL)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold().translate(_DROP)
    s = _NON_WORD.sub(" ", s).replace("_", " ")
    return _SPACES.sub(" ", s).strip()


def strip_article(norm: str) -> str:
    """'al hudaydah' -> 'hudaydah' (only a leading article)."""
    m = _ARTICLE.match(norm)
    return norm[m.end() :] if m and m.end() < len(norm) else norm


@lru_cache(maxsize=200_000)
def compact(name: str) -> str:
    """Spacing- and article-insensitive form; keys the main lookup tier."""
    n = normalize(name)
    n = _ARTICLE.sub("al ", n)
    n = strip_article(n)
    s = n.replace(" ", "")
    return re.sub(r"(.)\1+", r"\1", s)


_DIGRAPHS = (
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "c"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("zh", "z"),
    ("q", "k"),
    ("ck", "k"),
    ("ou", "u"),
)
_VOWELS = re.compile(r"[aeiouyhw]")


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Consonant skeleton; empty when too short to be distinctive (fewer than 3 consonants)."""
    s = compact(name)
    if not s.isascii():
        return ""
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    if not s:
        return ""
    body = _VOWELS.sub("", s[1:])
    sk = re.sub(r"(.)\1+", r"\1", s[0] + body)
    consonants = len(_VOWELS.sub("", sk))
    return sk if consonants >= 3 and len(sk) >= 4 else ""
