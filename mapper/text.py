"""Sentences with their character offsets (pure): the gazetteer's splitter (``gazetteer.sentences``),
which the geoparser uses too, so both read the same sentences of a text."""

from __future__ import annotations

from gazetteer.sentences import Sentence, sentences

__all__ = ["Sentence", "sentences"]
