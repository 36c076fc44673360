"""Who said what: every quote, reported claim, statement and stated belief of an article, with
its source, cue and content, resolved to a speaker (pure, no Django, no actor list).

:func:`attribute_text` reads an article (paragraphs separated by blank lines);
:func:`attribute` reads it as a list of paragraphs. Both return :class:`Attribution` records
with character spans into the article. The rules follow news writing, sentence by sentence:

* ``X said (that) CONTENT.`` / ``X told reporters (that) CONTENT.`` / ``X believes CONTENT.``:
  the source is the noun phrase before the cue (auxiliaries and adverbs skipped: ``has also
  said``), the content the rest of the sentence.
* ``CONTENT, X said.`` / ``CONTENT," said X.`` / ``"CONTENT," X said, "MORE."``: a tag after
  the content; both halves of a split quotation belong to it.
* ``"CONTENT," beamed X.`` / ``"CONTENT," it read.``: in a quotation's tag any verb tells
  who spoke.
* ``Sen. Warren, who said ...``: the relative's antecedent speaks; ``Cole, who critics
  called a liability``: an object relative's own subject does.
* ``According to X, CONTENT.`` / ``CONTENT, according to X.``
* ``X said:`` or ``X's statement:`` ending a paragraph introduces the next paragraph (a
  statement heading introduces everything after it: the document it heads).
* ``X's claim that CONTENT``: statement nouns with ``that``.
* Inside someone's content (:mod:`.nested`): a quotation inside a quotation, a report
  headed by a noun with its possessor (``Goff rejected Carter's claims the party was petty``:
  Carter's claim, nested in Goff's reported speech), and a cue with a subject of its own
  (``X said that Y believes Z``, ``X said A, although he supports B``).
* A sentence's subject is read past a dateline (``ORLANDO \u2014``) and an opening phrase set
  off by a comma (``Speaking to reporters,``, ``When Trump suggested ...,``, ``Later,``).
* A quotation with no cue of its own continues the attribution next to it in its paragraph,
  or, when it opens its paragraph, the speaker of the paragraph before. Anything else quoted
  at length is someone's words with no known speaker; short scare quotes are not.

The speaker is the :mod:`stance.entities` entity the source names; a pronoun (``he``)
resolves to the current speaker when compatible, else to the subject of the nearest sentence
that names a compatible entity, and ``it``/``they`` naming none to a document or an
organisation named just before (``the leaked testimony ... it states``); a description
(``the Te Atatu MP``) to the one entity whose role fits, and stays unresolved when two could.
Cost is linear in the length of the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsroom.words import WORD_RE
from stance.attribution.cues import find_in_paragraph
from stance.attribution.model import (
    Attribution,
    Found,
    Span,
    paragraph_spans,
    read_paragraph,
    trim,
)
from stance.attribution.nested import nested_attributions
from stance.attribution.quotes import (
    continue_quotes,
    introduced_by_colon,
    open_quotes_take_the_next_speaker,
)
from stance.attribution.speakers import SpeakerContext, resolve
from stance.entities import Cast, find_cast, join_paragraphs
from stance.lexicons import words
from stance.spans import containing, disjoint

__all__ = ["Attribution", "attribute", "attribute_text", "by_others", "paragraph_spans"]


def attribute_text(text: str, *, cast: Cast | None = None) -> list[Attribution]:
    """Attributions of an article given as one text; spans index ``text``."""
    spans = paragraph_spans(text)
    if cast is None:
        cast = find_cast([text])  # runs never cross blank lines: offsets are the text's
    return _attribute(text, spans, cast)


def attribute(paragraphs: Sequence[str], *, cast: Cast | None = None) -> list[Attribution]:
    """Attributions of an article given as paragraphs; spans index the paragraphs joined by a
    blank line (:func:`stance.entities.join_paragraphs`)."""
    text, starts = join_paragraphs(paragraphs)
    spans = [(s, s + len(p)) for s, p in zip(starts, paragraphs, strict=True) if p.strip()]
    if cast is None:
        cast = find_cast(paragraphs)
    return _attribute(text, spans, cast)


def _attribute(text: str, spans: list[Span], cast: Cast) -> list[Attribution]:
    paragraphs = [read_paragraph(text, i, s, e) for i, (s, e) in enumerate(spans)]
    ctx = SpeakerContext(
        text,
        cast,
        [s for p in paragraphs for s, _ in p.sentences],
        [q for p in paragraphs for q in p.quotes],
    )
    current: str | None = None  # the speaker news writing is following
    for i, p in enumerate(paragraphs):
        find_in_paragraph(text, p, paragraphs[i - 1] if i else None)
        if p.claimed:  # inside a document: only attributions naming a source of their own
            p.found = [f for f in p.found if f.source is not None]
        for f in p.found:
            if f.speaker is None:
                f.speaker = resolve(ctx, f, current)
            if f.speaker is not None and f.source is not None:
                current = f.speaker
        continue_quotes(p, paragraphs[i - 1] if i else None, current)
        introduced_by_colon(text, paragraphs, i)
    open_quotes_take_the_next_speaker(paragraphs)
    nested = nested_attributions(text, paragraphs, ctx)
    out = []
    for p in paragraphs:
        for f in p.found:
            out.append(_record(text, f))
            out.extend(_record(text, g, nested=True) for g in nested.get(id(f), ()))
    return [a for a in out if a.content]


def _record(text: str, f: Found, *, nested: bool = False) -> Attribution:
    return Attribution(
        kind=f.kind,
        content=tuple(trim(text, s) for s in f.content if trim(text, s)[1] > s[0]),
        source=(f.source,) if f.source else (),
        cue=(f.cue,) if f.cue else (),
        speaker=f.speaker,
        nested=nested,
    )


# Sources that are the author: the author's "I" and "we", and the impersonal subjects of a
# generalisation ("everyone knows", "nobody believes", "one might argue", "you might think").
AUTHORS_OWN = words(
    "i we me us i'd i've we've we'd myself ourselves everyone everybody anyone anybody nobody "
    "one you"
)


def by_others(text: str, attributions: Sequence[Attribution]) -> list[Attribution]:
    """The attributions that give someone else's words: all but the author's own ("I think
    ...", "we believe ...") and an impersonal generalisation ("everyone knows ..."), which
    are the author's claims. The same "I" inside someone's quotation is that speaker's."""
    quoted = disjoint([span for a in attributions for span in a.content])
    return [a for a in attributions if not _authors_own(text, a, quoted)]


def _authors_own(text: str, a: Attribution, quoted: Sequence[Span]) -> bool:
    if not a.source or containing(a.source[0][0], quoted) >= 0:
        return False
    found = WORD_RE.findall(" ".join(text[s:e] for s, e in a.source).lower())
    return bool(found) and found[-1].replace("\u2019", "'") in AUTHORS_OWN
