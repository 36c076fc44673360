"""People and organisations named in an article, found without an actor list (pure, no Django).

:func:`find_cast` reads an article (paragraphs) and returns its :class:`Cast`: the entities
with the names the text uses for them, and every mention in article order. The rules are
those of news writing:

* A name is a run of capitalised words (``Phil Goff``, ``Department of Revenue Services``).
  Words that merely start a sentence (``Today``, ``However``) are not names: neither are
  capitalised words the text also uses in lower case.
* Titles (``Mr``, ``Mrs``, ``Dr``) and role words (``Labour leader``, ``Prime Minister``,
  ``Te Atatu MP``) before a name are not part of it: they become the entity's aliases and its
  role. ``Phil Goff, the Labour leader,`` gives a role too.
* A later surname (``Goff``), title + surname (``Mr Goff``) or first name (``Chris``) is the
  entity whose full name ends (or starts) with it; when two full names share it, the one
  named more often wins, as readers assume.
* A name with an organisation word (``Party``, ``Council``, ``Times``) or in capitals (``NZPA``)
  is an organisation; its first word alone (``Labour``) is an alias when the text uses it.
* Names mostly seen after ``in``/``from``/``at`` are places and are left out.
* The pronoun of a person comes from titles (``Mr`` -> he) and from ``he``/``she`` opening the
  sentence after the person is named.

:func:`discover` adds the number of attributions each entity is credited with, for proposing a
story's actors.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from stance import lexicons as lx

__all__ = ["Cast", "Entity", "Mention", "discover", "find_cast", "join_paragraphs"]

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Entity:
    name: str  # canonical: the fullest name the text gives, without title or role
    kind: str  # "person" | "organisation"
    aliases: tuple[
        str, ...
    ] = ()  # other surface forms seen: "Goff", "Mr Goff", "Labour leader Phil Goff"
    role: str = ""  # "Labour leader", when the text gives one
    pronoun: str = ""  # "he" | "she" | "it" | "they" | "" (unknown)
    mentions: int = 0
    quotes: int = 0  # attributions credited to the entity (filled by discover())


@dataclass(frozen=True)
class Mention:
    start: int  # article offsets (paragraphs joined by a blank line)
    end: int
    entity: str  # Entity.name
    via: str  # "name" | "surname" | "title" | "first name" | "alias" | "role"


@dataclass
class Cast:
    """The entities of one article and where they are mentioned."""

    entities: list[Entity]
    mentions: list[Mention]
    _by_name: dict[str, Entity] = field(default_factory=dict, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {e.name: e for e in self.entities}
        self._starts = [m.start for m in self.mentions]

    def get(self, name: str | None) -> Entity | None:
        return self._by_name.get(name) if name else None

    def mentions_before(self, pos: int) -> list[Mention]:
        """Mentions that start before ``pos``, nearest last."""
        return self.mentions[: bisect.bisect_left(self._starts, pos)]

    def mentions_within(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def by_description(self, words: Sequence[str]) -> Entity | None:
        """The one entity whose role or aliases share most of ``words`` (lower-case content
        words of a description such as "the Te Atatu MP"), or None when none or two fit."""
        wanted = {w for w in words if w not in lx.NOT_NAMES}
        if not wanted:
            return None
        scored = []
        for e in self.entities:
            have = set(_lower_words(" ".join((e.role, *e.aliases))))
            score = len(wanted & have)
            if score:
                scored.append((score, e))
        if not scored:
            return None
        scored.sort(key=lambda s: -s[0])
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None
        return scored[0][1]


def join_paragraphs(paragraphs: Sequence[str]) -> tuple[str, list[int]]:
    """The article as one text (paragraphs joined by a blank line) and each paragraph's start."""
    starts, pos = [], 0
    for p in paragraphs:
        starts.append(pos)
        pos += len(p) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(paragraphs), starts


# ---------------------------------------------------------------------------------------------
# Finding names

_CAP = (
    r"(?:(?:[A-Z]\.){2,}|[A-Z]{2,}s?\b|(?:Mc|Mac|O['\u2019]|D['\u2019])?[A-Z][a-z\u00e0-\u00ff]*"
    r"(?:[A-Z][a-z\u00e0-\u00ff]+)*(?:[-'\u2019][A-Z][a-z\u00e0-\u00ff]+)*\.?)"
)
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")
_CONNECT = r"(?:of|for|de|del|van|von|der|al|bin|la|le|du|da|dos)"
_RUN_RE = re.compile(rf"\b(?:{_CAP})(?:[ \t]+(?:{_CONNECT}[ \t]+)?(?:{_CAP}))*")
_POSSESSIVE_RE = re.compile(r"['\u2019]s?\b")
_WORD_RE = re.compile(r"[a-z\u00e0-\u00ff]+(?:['\u2019][a-z]+)?")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;)\"\u201c\u201d]\s+|\n\s*|[-\u2013\u2014]\s+)$")
_LOWER_WORD_RE = re.compile(r"\b[a-z][a-z'\u2019-]+\b")
_PRONOUN_RE = re.compile(r"\b(?:He|She|he|she)\b")
_LOWER_ROLE_BEFORE_RE = re.compile(
    r"((?:(?:former|then|acting|deputy|dumped|expelled|outgoing|new|the|party|national|"
    r"vice|assistant|[A-Z][\w'\u2019-]*)[ \t]+){0,4}?)"
    r"([a-z][a-z-]*)[ \t]+$"
)
_APPOSITION_RE = re.compile(
    r"^,[ \t]+(?:the|a|an|who is the|who is)[ \t]+((?:[\w'\u2019-]+[ \t]+){0,5}?([A-Za-z][a-z-]*)),"
)


def _lower_words(s: str) -> list[str]:
    return _WORD_RE.findall(s.lower())


@dataclass
class _Run:
    """One capitalised run of the text, split into title, role and name."""

    start: int
    end: int
    name: str  # without title and role; "" when the run is only a role ("Prime Minister")
    title: str = ""
    role: str = ""
    possessive: bool = False
    kind: str = ""  # "organisation" when an organisation word or acronym shows it
    place_votes: int = 0
    headline: bool = False  # in a Title Case paragraph


def _is_org(tokens: Sequence[str]) -> bool:
    low = [t.lower().rstrip(".") for t in tokens]
    if any(t in lx.ORG_WORDS for t in low):
        return True
    return len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) >= 2


def _raw_runs(text: str) -> list[tuple[list[str], list[int], bool]]:
    """Capitalised runs as (tokens, offsets, at sentence start), cut after a full stop that
    ends a word rather than an abbreviation."""
    out = []
    for m in _RUN_RE.finditer(text):
        tokens, offsets = [], []
        for o in re.finditer(r"\S+", m.group()):
            tok = o.group()
            tokens.append(tok)
            offsets.append(m.start() + o.start())
            if tok.endswith(".") and not _is_abbreviation(tok):
                tokens[-1] = tok[:-1]  # "Tuesday. John D. Podesta": two runs
                out.append(_raw_run(text, tokens, offsets))
                tokens, offsets = [], []
        if tokens:
            out.append(_raw_run(text, tokens, offsets))
    return out


def _raw_run(text: str, tokens: list[str], offsets: list[int]) -> tuple[list[str], list[int], bool]:
    at_start = bool(_SENTENCE_START_RE.search(text, max(0, offsets[0] - 3), offsets[0]))
    return tokens, offsets, at_start


def _is_abbreviation(token: str) -> bool:
    low = token.lower()
    if _INITIALS_RE.fullmatch(token):  # "John D. Podesta", "U.S."
        return True
    return low in lx.TITLES or len(token) == 2 or low.rstrip(".") in ("jr", "sr", "st", "mt")


_TITLE_CASE_WORD_RE = re.compile(r"\b[A-Za-z][a-z'\u2019]{2,}")
_TITLE_CASE_SMALL = lx.words("the and for but nor with from into over via per")


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs in Title Case (``Obama Joins Forces With China``): capitals there are
    typography, not names, so they name nobody the body does not."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        words = [w for w in _TITLE_CASE_WORD_RE.findall(m.group()) if w not in _TITLE_CASE_SMALL]
        short = len(m.group().split()) <= 20
        if short and len(words) >= 3 and all(w[0].isupper() for w in words):
            out.append(m.span())
    return out


def _runs(text: str, lower_vocab: frozenset[str]) -> list[_Run]:
    raw = _raw_runs(text)
    headlines = _headline_spans(text)
    starts = [s for s, _ in headlines]

    def in_headline(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and headlines[i][0] <= pos < headlines[i][1]

    # capitalised words seen where capitals are not forced (not first in a sentence, not in
    # a headline)
    inside = {
        t
        for tokens, offsets, at_start in raw
        if not in_headline(offsets[0])
        for t in tokens[1 if at_start else 0 :]
    }
    out: list[_Run] = []
    for tokens, offsets, at_start in raw:
        first = True
        while tokens:
            low = tokens[0].lower().rstrip(".")
            if low in lx.TITLES or low in ("mr", "mrs", "ms", "dr"):
                break
            before_role = len(tokens) > 1 and tokens[1].lower().rstrip(".") in lx.ROLE_NOUNS
            place = any(" ".join(tokens[:n]).lower() in lx.PLACES for n in (2, 3))
            common = low in lx.NOT_NAMES or (
                first
                and at_start
                and not tokens[0].isupper()
                and not before_role
                and not place
                and tokens[0] not in inside
                and (low in lower_vocab or len(tokens) == 1 or low.endswith(("ly", "ing")))
            )
            if not common:
                break
            tokens, offsets, first = tokens[1:], offsets[1:], False
        while tokens and tokens[-1].lower().rstrip(".") in lx.NOT_NAMES | {"i"}:
            tokens, offsets = tokens[:-1], offsets[:-1]
        if not tokens:
            continue
        start, end = offsets[0], offsets[-1] + len(tokens[-1])
        if text[end : end + 2][:1] == "-" and text[end + 1 : end + 2].isdigit():
            continue  # "EB-5", "F-16": a product or programme
        run = _split_run(text, tokens, offsets, start, end)
        if run is not None:
            run.possessive = bool(_POSSESSIVE_RE.match(text, end))
            run.headline = in_headline(start)
            out.append(run)
    return out


def _split_run(
    text: str, tokens: list[str], offsets: list[int], start: int, end: int
) -> _Run | None:
    """Title, role and name of a capitalised run: "Labour Party President Andrew Little"."""
    title = ""
    role_upto = -1
    for i, tok in enumerate(tokens[:-1] if len(tokens) > 1 else tokens):
        low = tok.lower().rstrip(".")
        if tok.lower() in lx.TITLES or low in ("mr", "mrs", "ms", "dr"):
            title, role_upto = tok, i
        elif low in lx.ROLE_NOUNS:
            role_upto = i
        elif i == role_upto + 1 and low in lx.AFFILIATIONS and not _is_org(tokens):
            role_upto = i  # "Republican Donald Trump", "Democrat of Vermont"
    if tokens[-1].lower().rstrip(".") in lx.ROLE_NOUNS:
        role_upto = len(tokens) - 1  # "Labour MPs", "the Te Atatu MP": a description
    if tokens[-1].lower() in lx.EVENT_WORDS:
        return None
    name_tokens = tokens[role_upto + 1 :]
    if role_upto >= 0 and name_tokens and name_tokens[0].lower() in ("of", "for"):
        role_upto, name_tokens = len(tokens) - 1, []  # "MP for Te Atatu": a description
    if "of" in name_tokens[2:] and not _is_org(name_tokens):
        name_tokens = name_tokens[: name_tokens.index("of")]  # "Xi Jinping of China"
        end = offsets[role_upto + len(name_tokens)] + len(name_tokens[-1])
    role = " ".join(t for t in tokens[: role_upto + 1] if t != title)
    name = " ".join(name_tokens)
    if name.lower() in lx.PLACES or any(
        part.lower() in lx.NATIONALITIES_AND_GROUPS for part in name.split("-")[:1] if "-" in name
    ):
        return None  # "the United States", "African-American"
    if not name and not role:
        return None
    before = text[max(0, start - 60) : start]
    if name and not role:
        lower_role = _LOWER_ROLE_BEFORE_RE.search(before)
        if lower_role and lower_role.group(2) in lx.ROLE_NOUNS:
            role = (lower_role.group(1) + lower_role.group(2)).strip()
            role = re.sub(r"^(?:the|The)\s+", "", role)
    after = _APPOSITION_RE.match(text, end, min(len(text), end + 80))
    if name and not role and after and after.group(2).lower() in lx.ROLE_NOUNS:
        role = after.group(1).strip()
    run = _Run(start, end, name, title=title, role=role)
    if name and _is_org(name_tokens):
        run.kind = "organisation"
    prev_word = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    if prev_word in lx.PLACE_PREPOSITIONS or (
        name_tokens and name_tokens[-1].lower().rstrip(".") in lx.PLACE_WORDS
    ):
        run.place_votes = 1
    return run


# ---------------------------------------------------------------------------------------------
# Grouping names into entities


@dataclass
class _Group:
    name: str
    kind: str = ""
    aliases: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    pronoun_votes: Counter = field(default_factory=Counter)
    mentions: int = 0
    place_votes: int = 0
    titled: bool = False


def _canonical_groups(runs: list[_Run]) -> dict[str, _Group]:
    """One group per multi-word name (and per titled or organisation single name)."""
    groups: dict[str, _Group] = {}
    for r in runs:
        if not r.name or r.headline:
            continue
        multi = len(r.name.split()) > 1
        bare_org_word = not multi and r.name.lower() in lx.ORG_WORDS  # "Party", "Council"
        if multi or (r.kind == "organisation" and not bare_org_word):
            g = groups.setdefault(r.name, _Group(r.name))
            if r.kind:
                g.kind = r.kind
    # "Harbour Board" is the "Wellington Harbour Board" named in full elsewhere
    orgs = sorted((n for n, g in groups.items() if g.kind == "organisation"), key=len)
    for i, short in enumerate(orgs):
        longer = [n for n in orgs[i + 1 :] if n.endswith(" " + short)]
        if len(longer) == 1:
            groups[short].name = longer[0]
    # "Hillary Rodham Clinton" and "Hillary Clinton" are one person: same first and last word
    by_ends: dict[tuple[str, str], str] = {}
    for name in sorted(groups, key=lambda n: -len(n)):
        words = name.split()
        key = (words[0], words[-1])
        if key in by_ends and len(words) > 1 and not groups[name].kind:
            groups[name].name = by_ends[key]
        else:
            by_ends.setdefault(key, name)
    return groups


def _single_word_index(groups: dict[str, _Group], counts: Counter) -> dict[str, str]:
    """Surname, first name, first word of an organisation and acronym -> group name; when two
    groups share one, the more often named wins."""
    candidates: dict[str, list[str]] = defaultdict(list)
    for name, g in groups.items():
        words = name.split()
        if len(words) == 1:
            continue
        if g.kind == "organisation":
            candidates[words[0]].append(name)
            if words[-1].lower() in lx.ORG_WORDS:
                candidates[words[-1]].append(name)  # "the Party", "the Council"
            acronym = "".join(w[0] for w in words if w[0].isupper())
            if len(acronym) >= 2:
                candidates[acronym].append(name)
        else:
            candidates[words[-1]].append(name)
            candidates[words[-1].upper()].append(name)  # transcripts: "PENCE:"
            candidates[words[0]].append(name)
    index = {}
    for word, names in candidates.items():
        best = max(names, key=lambda n: (counts[n], -len(n)))
        index[word] = groups[best].name
    return index


def find_cast(paragraphs: Sequence[str]) -> Cast:
    """Entities and mentions of an article. Cost is linear in its length."""
    text, _ = join_paragraphs(paragraphs)
    lower_vocab = frozenset(_LOWER_WORD_RE.findall(text))  # words the text writes in lower case
    runs = _runs(text, lower_vocab)
    groups = _canonical_groups(runs)
    full_counts = Counter(r.name for r in runs if r.name in groups)
    single = _single_word_index(groups, full_counts)
    titled_singles = {r.name for r in runs if r.title and len(r.name.split()) == 1}

    mentions: list[Mention] = []
    for r in runs:
        target, via = _target_of(r, groups, single, titled_singles)
        if target is None or (r.headline and target not in groups):
            continue
        g = groups.setdefault(target, _Group(target))
        g = groups[g.name]  # merged names point to their canonical group
        surface = text[r.start : r.end]
        g.mentions += 1
        g.place_votes += r.place_votes
        if surface != g.name:
            g.aliases[surface] += 1
        if r.name and r.name != g.name:
            g.aliases[r.name] += 1
        if r.role:
            g.roles[r.role] += 1
        if r.title:
            g.titled = True
            implied = lx.TITLES.get(r.title.lower(), lx.TITLES.get(r.title.lower() + ".", ""))
            if implied:
                g.pronoun_votes[implied] += 3
        if r.kind == "organisation":
            g.kind = "organisation"
        mentions.append(Mention(r.start, r.end, g.name, via))
    _vote_pronouns(text, mentions, groups)
    entities = _entities(groups, mentions)
    kept = {e.name for e in entities}
    mentions = [m for m in mentions if m.entity in kept]
    return Cast(entities, mentions)


def _target_of(
    r: _Run, groups: dict[str, _Group], single: dict[str, str], titled: set[str]
) -> tuple[str | None, str]:
    if not r.name:
        return None, "role"
    if r.name in groups:
        return groups[r.name].name, "name"
    words = r.name.split()
    if len(words) == 1:
        hit = single.get(r.name)
        if hit and r.place_votes and groups[hit].kind == "organisation":
            return None, ""  # "in Wellington" is the place, not the Wellington Harbour Board
        if hit:
            if r.title:
                return hit, "title"
            return hit, "surname" if hit.split()[-1] == r.name else "first name"
        if (
            r.name.lower() in lx.NATIONALITIES_AND_GROUPS
            or r.name.lower() in lx.NOT_NAMES
            or len(r.name) < 2
        ):
            return None, ""
        return r.name, "title" if r.title else "name"
    return r.name, "name"


def _vote_pronouns(text: str, mentions: list[Mention], groups: dict[str, _Group]) -> None:
    """``He``/``she`` after a person is named, before anyone else is: a vote for that pronoun."""
    starts = [m.start for m in mentions]
    titled = {name: Counter(g.pronoun_votes) for name, g in groups.items()}  # titles only
    for p in _PRONOUN_RE.finditer(text):
        pronoun = p.group().lower()
        other = "she" if pronoun == "he" else "he"
        i = bisect.bisect_left(starts, p.start()) - 1
        while i >= 0 and p.start() - mentions[i].end <= 250:
            g = groups.get(mentions[i].entity)
            title = titled.get(mentions[i].entity, Counter())
            if g is not None and g.kind != "organisation" and title[other] == 0:
                g.pronoun_votes[pronoun] += 1  # the nearest person the title allows
                break
            i -= 1


def _entities(groups: dict[str, _Group], mentions: list[Mention]) -> list[Entity]:
    out = []
    for name, g in groups.items():
        if g.name != name or g.mentions == 0:
            continue
        person_signs = g.titled or g.roles
        if g.place_votes * 2 >= g.mentions and not person_signs and g.kind != "organisation":
            continue  # a place
        kind = g.kind or "person"
        if kind == "person" and len(name.split()) == 1 and not g.titled and name.isupper():
            kind = "organisation"
        if kind == "organisation":
            pronoun = "it"
        else:
            votes = g.pronoun_votes
            he, she = votes["he"], votes["she"]
            pronoun = "he" if he > she else "she" if she > he else ""
        role = g.roles.most_common(1)[0][0] if g.roles else ""
        aliases = tuple(a for a, _ in g.aliases.most_common() if a != name)
        out.append(Entity(name, kind, aliases, role, pronoun, g.mentions))
    out.sort(key=lambda e: (-e.mentions, e.name))
    return out


def discover(paragraphs: Sequence[str]) -> list[Entity]:
    """Entities of an article with the attributions credited to each, most mentioned first."""
    from stance.attribution import attribute  # attribution builds on this module

    cast = find_cast(paragraphs)
    credited = Counter(a.speaker for a in attribute(paragraphs, cast=cast) if a.speaker)
    return [replace(e, quotes=credited[e.name]) for e in cast.entities]
