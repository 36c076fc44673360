"""Speakers: the entity an attribution's source names. A name resolves through the cast; a
pronoun to the subject of the nearest sentence naming a compatible entity (or the current
speaker); a description to the one entity whose role fits, else nobody."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from stance import lexicons as lx
from stance.attribution.model import Found, Span, inside
from stance.entities import Cast, Entity, Mention


@dataclass
class SpeakerContext:
    """What speaker resolution needs to know of the whole article."""

    text: str
    cast: Cast
    sentence_starts: list[int]
    quotes: list[Span]
    resolved: list[Mention] = field(default_factory=list)  # pronoun sources, in text order


_CONTRACTION_RE = re.compile(r"['\u2019](?:s|re|d|ll|ve)$")


def source_words(source: str) -> list[str]:
    """Lower-case words of a source, a pronoun without its contraction (``He's`` -> ``he``)."""
    words = [w.lower() for w in re.findall(r"[\w'\u2019]+", source)]
    return [
        _CONTRACTION_RE.sub("", w) if _CONTRACTION_RE.sub("", w) in lx.SUBJECT_PRONOUNS else w
        for w in words
    ]


def resolve(ctx: SpeakerContext, f: Found, current: str | None) -> str | None:
    """The speaker ``f``'s source names (its head, before any apposition)."""
    if f.source is None:
        return None
    s, e = f.head or f.source
    named = ctx.cast.mentions_within(s, e)
    if named:
        return named[-1].entity
    if f.head is not None:  # "the mayor, Jane Doe, said": the name in apposition
        aside = ctx.cast.mentions_within(e, f.source[1])
        if aside and re.fullmatch(r"\s*,\s*", ctx.text[e : aside[0].start]):
            return aside[0].entity
    words = source_words(ctx.text[s:e])
    if not words:
        return None
    head = words[-1]
    wanted = lx.SUBJECT_PRONOUNS.get(head) if len(words) == 1 else None
    if wanted in ("he", "she", "it", "they"):
        cue = ctx.text[f.cue[0] : f.cue[1]].lower() if f.cue else ""
        # a document or a group only for verbs of saying, showing or believing: "it states"
        speaker = _resolve_pronoun(ctx, s, current, wanted, things=cue in lx.TAG_VERBS)
        if ctx.cast.get(speaker) is not None:  # "He said ... He had rejected": chains
            ctx.resolved.append(Mention(s, e, speaker, f"pronoun {wanted}"))
        return speaker
    if wanted in ("who", "which") or words == ["that"]:
        return _antecedent(ctx, s)  # "the police department, which reported"
    if wanted is not None:
        return None  # "I", "we", "you": the writer, a group, or unknown
    if head in lx.ROLE_NOUNS or head in lx.ORG_WORDS or len(words) <= 5:
        entity = ctx.cast.by_description(words)
        if entity is not None:
            return entity.name
    if head in lx.ROLE_NOUNS or head in lx.ORG_WORDS:
        # "John Key could not resist. The Prime Minister told reporters ...": the nearest
        # entity of the right kind that no other role is known for
        kind = "organisation" if head in lx.ORG_WORDS else "person"
        nearest = _resolve_pronoun(ctx, s, None, "", lambda e: e.kind == kind and not e.role)
        if nearest is not None:
            return nearest
    return _name_as_written(ctx.text[s:e])


_POSSESSIVE_END_RE = re.compile(r"(?<=\w)['\u2019]s?$")


def _name_as_written(source: str) -> str | None:
    """A source that is a name the cast does not know (``HOST:``, a one-off ``Jane Doe``)
    is its own speaker (``Jane Doe's``: without the possessive); a description (``the
    mayor``) is nobody in particular."""
    tokens = _POSSESSIVE_END_RE.sub("", source.strip()).split()
    if 0 < len(tokens) <= 4 and all(t[:1].isupper() for t in tokens):
        first = tokens[0].lower().rstrip(".")
        if first not in lx.NOT_NAMES and not (len(tokens) == 1 and first in lx.COLLECTIVE_SOURCES):
            return " ".join(tokens)
    return None


def _antecedent(ctx: SpeakerContext, pos: int) -> str | None:
    """The name a relative pronoun follows: ``Sen. Warren, who said`` -> Warren."""
    before = ctx.cast.mentions_before(pos)
    if before and re.fullmatch(r"[\s,]*", ctx.text[before[-1].end : pos]):
        return before[-1].entity
    return None


def compatible(pronoun: str, entity: Entity) -> bool:
    """Whether ``pronoun`` (he, she, it, they) can point to ``entity``."""
    return _compatible(pronoun, entity.pronoun, entity.kind)


def _compatible(pronoun: str, entity_pronoun: str, kind: str) -> bool:
    if pronoun in ("it", "they"):
        return kind == "organisation" or entity_pronoun == pronoun
    return kind == "person" and entity_pronoun in (pronoun, "")


_LOOK_BACK_SENTENCES = 4


def _resolve_pronoun(
    ctx: SpeakerContext,
    pos: int,
    current: str | None,
    pronoun: str,
    accept: Callable[[Entity], bool] | None = None,
    *,
    things: bool = False,
) -> str | None:
    """The subject (first compatible mention outside quotations) of the nearest earlier
    sentence that names a compatible entity; None when two are named side by side there
    (``Goff and Carter met. He said``); the current speaker when nobody is named nearby.
    ``accept`` replaces the pronoun's test (descriptions: "the mayor"). With ``things``,
    ``it`` and ``they`` may also point to a document, an organisation or a group named by a
    common noun (:func:`_first_thing`, its own sentence first): the phrase as written when
    no entity fits in that sentence or when the phrase opens it (``The auditor's report
    reached the Herald. It says`` -> the auditor's report)."""
    if accept is None:
        accept = lambda e: _compatible(pronoun, e.pronoun, e.kind)  # noqa: E731
    si = bisect.bisect_right(ctx.sentence_starts, pos) - 1
    heads = {"they": _THEY_THINGS, "it": _IT_THINGS}.get(pronoun) if things else None
    if heads is not None and si >= 0:  # "Given the report, it says": its own sentence
        thing = _first_thing(ctx, ctx.sentence_starts[si], pos, heads)
        if thing is not None:
            return thing[1]
    for k in range(si - 1, max(-1, si - 1 - _LOOK_BACK_SENTENCES), -1):
        end = ctx.sentence_starts[k + 1] if k + 1 < len(ctx.sentence_starts) else pos
        lo, hi = ctx.sentence_starts[k], min(end, pos)
        near = heads is not None and si - k <= _THING_LOOK_BACK
        thing = _first_thing(ctx, lo, hi, heads) if near else None
        named = ctx.cast.mentions_within(lo, hi) + [
            m for m in ctx.resolved[-8:] if lo <= m.start < hi
        ]
        fits = sorted(
            (
                m
                for m in named
                if inside(m.start, ctx.quotes) is None
                and (e := ctx.cast.get(m.entity)) is not None
                and accept(e)
                and (m.via in _NAMED_VIA or m.via == f"pronoun {pronoun}")
            ),
            key=lambda m: m.start,
        )
        if thing is not None and (not fits or not ctx.text[lo : thing[0]].strip()):
            return thing[1]  # "The auditor's report reached the Herald. It says": its subject
        if not fits:
            continue
        first = fits[0]
        rivals = [m for m in fits[1:] if m.entity != first.entity]
        if rivals and re.fullmatch(r"\s*(?:and|or|,)\s*", ctx.text[first.end : rivals[0].start]):
            return None
        return first.entity
    cur = ctx.cast.get(current)
    if cur is not None and _compatible(pronoun, cur.pronoun, cur.kind):
        return current
    return None


_NAMED_VIA = ("name", "surname", "title", "first name", "alias")
_THING_LOOK_BACK = 2  # sentences: a common noun is weaker evidence than a name


# What "it" and "they" may point to when no person or organisation the cast knows fits: a
# document or an organisation named by a common noun ("the leaked testimony ... it states",
# "the committee ... it said"); "they" also a group ("officials ... they said").
_THINGS = lx.words(
    "statement letter email e-mail post tweet release speech report memo filing complaint "
    "lawsuit ruling decision announcement testimony affidavit transcript message note blog "
    "column editorial essay book survey poll study analysis document ad advertisement "
    "bill law policy manifesto website video motion resolution verdict judgment indictment "
    "article story newspaper paper record draft proposal agreement contract platform"
)
_PLURAL_THINGS = lx.words(
    "statements letters emails posts tweets releases reports memos filings documents records "
    "surveys polls studies analyses ads papers"
)
# ... and groups of people, for "they" only when they open their sentence ("Her advisers think
# ...": elsewhere, "a rope line with voters ... they say", they are seldom who speaks)
_GROUPS = lx.words(
    "officials critics sources experts analysts aides advisers lawmakers residents witnesses "
    "investigators prosecutors authorities voters economists scientists researchers activists "
    "campaigners leaders"
)
_ORG_NOUNS = frozenset(w for w in lx.ORG_WORDS if w.isalpha() and len(w) > 3) - lx.words(
    "times post news herald journal radio television press mail review gallery house capital "
    "partners holdings industries motors airways airlines channel magazine group"
)
_IT_THINGS = _THINGS | _ORG_NOUNS
_THEY_THINGS = _PLURAL_THINGS | _GROUPS
_THING_DETERMINERS = lx.words("the a an this that these those his her its their our")
_THING_WORD_RE = re.compile(r"[\w'\u2019-]+")


def _first_thing(ctx: SpeakerContext, lo: int, hi: int, heads: frozenset[str]):
    """(start, noun phrase as written) of the first document, organisation or group noun in
    ``heads`` outside quotations in text[lo:hi] (``Carter's written testimony``), or None."""
    words = list(_THING_WORD_RE.finditer(ctx.text, lo, hi))
    for j, m in enumerate(words):
        w = m.group()
        if not w.islower() or w not in heads or inside(m.start(), ctx.quotes) is not None:
            continue
        if w in _ORG_NOUNS and j + 1 < len(words) and _modified(ctx.text, m, words[j + 1]):
            continue  # "party elites", "campaign officials": the noun modifies another
        phrase = _noun_phrase(ctx.text, words, j)
        start = m.end() - len(phrase)
        if w in _GROUPS and not _opens(ctx.text[lo:start]):
            continue
        return start, phrase
    return None


def _opens(before: str) -> bool:
    """Whether a phrase after ``before`` opens its sentence: at most two words before it,
    names or adjectives (``Senior officials``, ``Labour party officials``)."""
    words = before.split()
    return len(words) <= 2 and not any(w.lower().strip("\"'\u201c") in lx.NOT_NAMES for w in words)


def _modified(text: str, word: re.Match, nxt: re.Match) -> bool:
    """Whether the next word is a plural noun that ``word`` modifies (``party elites``; not
    ``committee met``, ``party says``)."""
    w = nxt.group()
    return (
        _joined(text, word, nxt)
        and w.isalpha()
        and w.islower()
        and w.endswith("s")
        and not w.endswith("ss")
        and w not in lx.NOT_NAMES
        and w not in lx.AUXILIARIES
        and w not in lx.CUE_VERBS
    )


def _noun_phrase(text: str, words: list[re.Match], j: int) -> str:
    """The head ``words[j]`` with what stands before it in its noun phrase: up to two
    adjectives, then a determiner or a possessor (``the leaked``, ``Carter's written``)."""
    a = j
    while a > 0 and j - a < 2 and _adjective_before(text, words[a - 1], words[a]):
        a -= 1
    if a > 0 and _joined(text, words[a - 1], words[a]):
        w = words[a - 1].group()
        if w.lower() in _THING_DETERMINERS:
            a -= 1
        elif w.lower().endswith(("'s", "\u2019s")):
            a -= 1
            while (
                a > 0
                and words[a - 1].group()[:1].isupper()
                and words[a - 1].group().lower() not in lx.NOT_NAMES
                and _joined(text, words[a - 1], words[a])
            ):
                a -= 1  # "Chris Carter's", not "But Rubio's"
            before = words[a - 1].group().lower() if a > 0 else ""
            if before in _THING_DETERMINERS and _joined(text, words[a - 1], words[a]):
                a -= 1  # "the auditor's"
    return text[words[a].start() : words[j].end()]


def _joined(text: str, left: re.Match, right: re.Match) -> bool:
    return text[left.end() : right.start()] == " "


def _adjective_before(text: str, left: re.Match, right: re.Match) -> bool:
    w = left.group()
    return (
        _joined(text, left, right)
        and w.islower()
        and w not in lx.NOT_NAMES
        and w not in lx.AUXILIARIES
        and w not in _THING_DETERMINERS
        and not w.endswith(("'s", "\u2019s"))
    )
