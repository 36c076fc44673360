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
        speaker = _resolve_pronoun(ctx, s, current, wanted)
        if speaker is not None:  # "He said ... He had rejected": chains of pronouns
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
) -> str | None:
    """The subject (first compatible mention outside quotations) of the nearest earlier
    sentence that names a compatible entity; None when two are named side by side there
    (``Goff and Carter met. He said``); the current speaker when nobody is named nearby.
    ``accept`` replaces the pronoun's test (descriptions: "the mayor")."""
    if accept is None:
        accept = lambda e: _compatible(pronoun, e.pronoun, e.kind)  # noqa: E731
    si = bisect.bisect_right(ctx.sentence_starts, pos) - 1
    for k in range(si - 1, max(-1, si - 1 - _LOOK_BACK_SENTENCES), -1):
        end = ctx.sentence_starts[k + 1] if k + 1 < len(ctx.sentence_starts) else pos
        lo, hi = ctx.sentence_starts[k], min(end, pos)
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
