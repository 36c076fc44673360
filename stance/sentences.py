"""Sentence boundaries for news text, with NLTK's Punkt (pure, no Django, no download).

Punkt is used untrained, with the abbreviations news writing uses given as parameters, so
that ``Mr. Goff``, ``U.S. officials`` and ``Sept. 11`` do not end a sentence. Its cost is
linear in the length of the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

Span = tuple[int, int]

# Lower-case, without the final period, as Punkt stores them.
NEWS_ABBREVIATIONS = (
    "mr mrs ms dr prof st jr sr gen sen rep gov lt col capt sgt maj cmdr adm rev hon "
    "no vs etc inc co corp ltd mt ft jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.u d.c a.m p.m n.z u.s.a i.e e.g ph.d r-ohio d-calif r-texas "
    "calif ariz fla ill mass mich minn penn tenn wash wis ore conn colo okla nev"
)


_ABBREVIATIONS = frozenset(NEWS_ABBREVIATIONS.split())


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(NEWS_ABBREVIATIONS.split())
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[Span]:
    """(start, end) of each sentence of ``text``; a text without a boundary is one sentence.

    Spans cover the text without the whitespace between sentences.
    """
    if not text.strip():
        return []
    spans = list(_tokenizer().span_tokenize(text))
    return _rejoin_abbreviations(text, spans) or [(0, len(text))]


_ABBREVIATION_END_RE = re.compile(r"(?:^|[\s\"\u201c\u201d'(])([A-Za-z][A-Za-z.]{0,4})\.$")


def _rejoin_abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """Punkt misses an abbreviation glued to a quotation mark (``\u201dMr. Trump``): join
    the pieces back."""
    out: list[Span] = []
    for s, e in spans:
        if out:
            m = _ABBREVIATION_END_RE.search(text, max(out[-1][0], out[-1][1] - 8), out[-1][1])
            if m and m.group(1).lower() in _ABBREVIATIONS:
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out
