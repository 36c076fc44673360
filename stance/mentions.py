"""Where a story's actors are named in a paragraph (pure, no Django).

:class:`ActorSpec` is a person or organisation to track; :func:`find_names` finds its full
names, ``Mr/Mrs/Ms/Dr + surname``, role titles and other aliases, and possessives
(``Goff's``), longest match first and never overlapping. Pronoun resolution, which needs the
whole article, stays in :mod:`stance.framing`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from stance.lexicons import words
from stance.sentiment_lexicon import VADER

__all__ = ["ActorSpec", "actor_patterns", "find_names"]

_words = words
_VADER = VADER


def as_tuple(value) -> tuple[str, ...]:
    """A spec's names or cues as a tuple of strings, from None, one string or any sequence."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass(frozen=True)
class ActorSpec:
    """A person or organisation to track. ``aliases`` may be given as any sequence."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "person"  # "person" | "organisation"
    pronoun: str = ""  # "he" | "she" | "they" | "it" | "" (never resolve pronouns to it)

    def __post_init__(self):
        object.__setattr__(self, "key", str(self.key))
        object.__setattr__(self, "aliases", as_tuple(self.aliases))
        object.__setattr__(self, "pronoun", (self.pronoun or "").strip().lower())


_HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Prof", "Professor")
_HON_RE_SRC = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Prof|Professor)\.?"
_ROLE_WORDS = _words(
    "minister president mp leader chairman chairwoman chair secretary senator governor mayor "
    "chief spokesman spokeswoman spokesperson director judge ceo premier chancellor king queen "
    "prince princess general commissioner councillor deputy speaker officer commander captain "
    "coach manager editor founder member candidate ambassador envoy treasurer whip mep mla "
    "representative congressman congresswoman"
)
# Capitalised surnames that are also ordinary English words, doubted at a sentence start.
_COMMON_WORDS = (
    frozenset(w for w in _VADER if w.isalpha())
    | _ROLE_WORDS
    | _words(
        "key little young bush brown white black green grey gray may long hope rice price rich "
        "strong love king major best wise gay hall wood woods field fields hill hills stone "
        "rivers river bell bird fox wolf lamb cook baker smith taylor mason hunter fisher "
        "carpenter miller turner walker ward page lord bishop dean rose sharp swift bright "
        "moore more ford banks street park cross north south west east english french london "
        "paris sterling power powers frank earnest gill gold golden silver wall walls bond "
        "church chase cash case house lane mark marks bank will bill bills grant grants "
        "price hart heart hurt good goodman noble sharp short tall small large jordan cole "
        "coles holt waters well wells burns cane winter summer spring march june august "
        "day days knight knights fair"
    )
)
_SAY_AFTER_RE = re.compile(
    r"(?:['\u2019]s\b|,?\s+(?:said|says|told|tells|added|who|wrote|insisted|argued|claimed|"
    r"denied|admitted|announced|replied|warned))"
)
_PRONOUN_CLASS = {
    "he": "he",
    "him": "he",
    "his": "he",
    "himself": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "herself": "she",
    "its": "it",
    "itself": "it",
    "they": "they",
    "them": "they",
    "their": "they",
    "theirs": "they",
    "themselves": "they",
}
_POSSESSIVE_PRONOUNS = _words("his her hers its their theirs")
_OBJECT_PRONOUNS = _words("him them")
_PRONOUN_RE = re.compile(r"(?<![\w'\u2019-])(?:" + "|".join(_PRONOUN_CLASS) + r")(?![\w-])", re.I)
_POSSESSIVE_RE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])(?![\w])")


def _is_role_alias(alias: str) -> bool:
    return any(w.lower().strip(".,") in _ROLE_WORDS for w in alias.split())


def _alias_src(alias: str) -> str:
    """Regex source for an alias: whitespace-tolerant; a lower-case alias (``the party``) is
    case-insensitive, a capitalised one exact."""
    src = r"\s+".join(re.escape(p) for p in alias.split())
    if alias[:1].islower():
        return "(?i:" + src + ")"
    return src


def _cap_first(alias: str) -> str:
    """Regex source for an alias whose first letter may be capitalised at a sentence start."""
    parts = alias.split()
    head = parts[0]
    first = f"[{re.escape(head[0].upper())}{re.escape(head[0].lower())}]" + re.escape(head[1:])
    return r"\s+".join([first] + [re.escape(p) for p in parts[1:]])


class _ActorPattern:
    __slots__ = ("actor", "common_single", "regex")

    def __init__(self, actor: str, regex: re.Pattern, common_single: frozenset[str]):
        self.actor = actor
        self.regex = regex
        self.common_single = common_single


@lru_cache(maxsize=64)
def actor_patterns(actors: tuple[ActorSpec, ...]) -> tuple[_ActorPattern, ...]:
    """One regex per actor, with named groups name / title / surname / alias in priority
    order, optional role (and organisation) prefixes folded into the name groups."""
    org_forms: list[str] = []
    for a in actors:
        if a.kind != "person":
            forms = [a.name] + [al for al in a.aliases if al[:1].isupper()]
            org_forms += [f for f in forms if f.strip()]
    org_src = "|".join(
        r"\s+".join(re.escape(p) for p in f.split()) for f in sorted(set(org_forms), key=len)[::-1]
    )
    out = []
    for a in actors:
        name = " ".join(a.name.split())
        if not name:
            continue
        parts = name.split()
        person = a.kind == "person"
        surname = parts[-1] if person and len(parts) > 1 else ""
        groups: dict[str, list[str]] = {"name": [], "title": [], "surname": [], "alias": []}
        roles: list[str] = []
        common_single: set[str] = set()
        hon_surnames = {surname} if surname else set()
        for al in a.aliases:
            al = " ".join(al.split())
            if not al or al == name:
                continue
            words = al.split()
            if person and words[0].rstrip(".") in _HONORIFICS and len(words) >= 2:
                hon_surnames.add(" ".join(words[1:]))
                continue
            if person and _is_role_alias(al):
                roles.append(al)
                continue
            if len(words) == 1 and al.islower():
                continue  # a common noun on its own ("government"): too risky alone
            if person and len(words) == 1:
                groups["surname" if al == surname else "alias"].append(_alias_src(al))
                if al.lower() in _COMMON_WORDS:
                    common_single.add(al)
            else:
                groups["alias"].append(_alias_src(al))
        prefix = ""
        if roles:
            role_src = "|".join(
                _cap_first(r) if r[:1].islower() else _alias_src(r)
                for r in sorted(roles, key=len)[::-1]
            )
            org_part = rf"(?:(?:{org_src})\s+)?" if org_src else ""
            prefix = rf"(?:{org_part}(?:{role_src})\s+)?"
            for r in roles:
                if not (len(r.split()) == 1 and r.islower()):
                    groups["title"].append(_cap_first(r) if r[:1].islower() else _alias_src(r))
        full = r"\s+".join(re.escape(p) for p in parts)
        hon = "|".join(
            r"\s+".join(re.escape(p) for p in s.split())
            for s in sorted(hon_surnames, key=len)[::-1]
        )
        alts = [rf"(?P<name>{prefix}(?:{_HON_RE_SRC}\s+)?{full})"]
        if hon and person:
            alts.append(rf"(?P<title>{prefix}{_HON_RE_SRC}\s+(?:{hon})")
            if groups["title"]:
                alts[-1] += "|" + "|".join(groups["title"])
            alts[-1] += ")"
        elif groups["title"]:
            alts.append("(?P<title>" + "|".join(groups["title"]) + ")")
        if groups["surname"]:
            alts.append(rf"(?P<surname>{prefix}(?:" + "|".join(groups["surname"]) + "))")
        if groups["alias"]:
            als = sorted(groups["alias"], key=len)[::-1]
            alts.append("(?P<alias>" + "|".join(als) + ")")
        rx = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
        out.append(_ActorPattern(a.key, rx, frozenset(common_single)))
    return tuple(out)


_CAP_WORD_BEFORE_RE = re.compile(r"([A-Z][\w\u2019'-]*)\s+$")
_CAP_WORD_AFTER_RE = re.compile(r"\s+([A-Z][a-z][\w-]*)")
_SENT_START_RE = re.compile(r"(?:^|[.!?:;]['\"\u2019\u201d)]*\s+|^['\"\u2018\u201c(]+)$")


_FUNCTION_WORDS = _words(
    "the a an and but or so yet if as at by in on of to for from with after before when while "
    "since because although though however meanwhile today yesterday tonight this that these "
    "those his her their its our my your last next earlier later now then also even only "
    "former new old mr mrs ms dr sir"
)


def _name_like(word: str) -> bool:
    """A capitalised word that may be part of a different name (not "Today", "MP", "Labour's")."""
    w = word.rstrip(".").lower()
    if w.endswith(("'s", "\u2019s")):
        return False
    return w not in _FUNCTION_WORDS and w not in _ROLE_WORDS and w not in _COMMON_WORDS


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 6) : pos]
    if pos <= 0 or not text[:pos].strip(" \t\n'\"\u2018\u201c("):
        return True
    return bool(_SENT_START_RE.search(before))


def find_names(text: str, patterns: tuple[_ActorPattern, ...]) -> list[tuple]:
    """Non-overlapping name mentions: (start, end, actor, via, possessive)."""
    cands: list[tuple[int, int, str, str, bool]] = []
    for pat in patterns:
        for m in pat.regex.finditer(text):
            via = m.lastgroup or "name"
            s, e = m.span()
            word = m.group()
            if via in ("surname", "alias") and " " not in word:
                # a bare single word glued to another name-like capitalised word is somebody
                # (or something) else: "Jimmy Carter", "Carter Center"
                mb = _CAP_WORD_BEFORE_RE.search(text, max(0, s - 40), s)
                if mb and mb.end() == s and _name_like(mb.group(1)):
                    continue
                ma = _CAP_WORD_AFTER_RE.match(text, e)
                if ma and _name_like(ma.group(1)):
                    continue
                if (
                    word in pat.common_single
                    and _at_sentence_start(text, s)
                    and not _SAY_AFTER_RE.match(text, e)
                ):
                    continue  # "Little has changed", "Key issues"
            pm = _POSSESSIVE_RE.match(text, e)
            poss = bool(pm)
            if pm:
                e = pm.end()
            cands.append((s, e, pat.actor, via, poss))
    if len(cands) > 1:
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple] = []
        starts: list[int] = []  # the taken spans' starts and ends, in text order (disjoint)
        ends: list[int] = []
        for c in cands:
            k = bisect.bisect_left(starts, c[1])  # taken spans from k on start at or after c
            if k and ends[k - 1] > c[0]:
                continue  # overlaps the last taken span to start before c ends
            taken.append(c)
            starts.insert(k, c[0])
            ends.insert(k, c[1])
        cands = taken
    cands.sort()
    return cands
