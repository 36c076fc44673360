"""Sentence boundaries for news text, with NLTK's Punkt (pure, no Django, no download).

Punkt is used untrained, with the abbreviations news writing uses given as parameters, so
that ``Mr. Goff``, ``U.S. officials`` and ``Sept. 11`` do not end a sentence; a quotation
that runs over several sentences is kept whole. Its cost is linear in the length of the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from stance.text import quoted_spans

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


def sentence_spans(text: str, *, whole_quotes: bool = True) -> list[Span]:
    """(start, end) of each sentence of ``text``; a text without a boundary is one sentence.

    Spans cover the text without the whitespace between sentences. With ``whole_quotes`` a
    quotation that runs over several sentences stays in one (with the text around it), so
    that whose words a sentence holds is never split.
    """
    return list(_sentence_spans(text, whole_quotes))


# One analysis splits each paragraph four times (voice, attribution, framing, treatment), and
# Punkt is the costliest step of the four: a 300,000-character import spent 1.8 s of its 6 s
# in it. The paragraphs of the articles being analysed stay cached: 1,024 covers five such
# imports (about 200 paragraphs each) and holds at most 1,024 x MAX_BLOCK_CHARS (4,000)
# characters in a worker.
@lru_cache(maxsize=1024)
def _sentence_spans(text: str, whole_quotes: bool) -> tuple[Span, ...]:
    if not text.strip():
        return ()
    spans = [_trim(text, s, e) for s, e in _tokenizer().span_tokenize(text)]
    spans = _rejoin_abbreviations(text, spans) or [_trim(text, 0, len(text))]
    if whole_quotes and len(spans) > 1:
        spans = _keep_quotes_whole(spans, quoted_spans(text))
    return tuple(spans)


def _trim(text: str, s: int, e: int) -> Span:
    """The span without the whitespace at either end."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _keep_quotes_whole(spans: list[Span], quotes: list[Span]) -> list[Span]:
    """Join the sentences a quotation runs across (``"We lost. We will be back," he said.``
    is one sentence: the quotation and its tag). One pass over both sorted lists."""
    if not quotes:
        return spans
    out: list[Span] = []
    q = 0
    for s, e in spans:
        # the quotations that end at or before this sentence's start are behind us
        while q < len(quotes) and quotes[q][1] <= s:
            q += 1
        if out and q < len(quotes) and quotes[q][0] < s:
            out[-1] = (out[-1][0], e)  # this sentence starts inside a quotation
        else:
            out.append((s, e))
    return out


_ABBREVIATION_END_RE = re.compile(r"(?:^|[\s\"\u201c\u201d'(])([A-Za-z][A-Za-z.]{0,4})\.$")


_INITIALISM_END_RE = re.compile(r"(?:^|[\s(])(?:[A-Za-z]\.){2,}$")


def _rejoin_abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """Punkt misses an abbreviation glued to a quotation mark (``\u201dMr. Trump``) and an
    initialism it does not know before a lower-case word (``the F.B.I. has said``): join the
    pieces back."""
    out: list[Span] = []
    for s, e in spans:
        if out:
            m = _ABBREVIATION_END_RE.search(text, max(out[-1][0], out[-1][1] - 8), out[-1][1])
            initialism = text[s : s + 1].islower() and _INITIALISM_END_RE.search(
                text, max(out[-1][0], out[-1][1] - 16), out[-1][1]
            )
            if (m and m.group(1).lower() in _ABBREVIATIONS) or initialism:
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out
