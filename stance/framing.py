"""Framing analysis: who is named, who gets to speak, and how the author treats each actor.

Pure module (no Django). Everything is regex and lexicon based, compiled once at import (the
actor patterns once per actor set, cached), so that a 60-paragraph article takes milliseconds.

:func:`analyse_article` works on a whole article (a list of paragraphs) because news writing
spreads one act of speech over several paragraphs: a quotation left open at the end of a
paragraph continues in the next, a paragraph that is nothing but a quotation belongs to the
speaker of the paragraph before, ``he said:`` introduces the next paragraph, and ``He`` at the
start of a paragraph points back to someone named earlier.

What each part means
--------------------
* **Mentions** (:class:`Mention`): full names, ``Mr/Mrs/Ms/Dr + surname``, role titles and other
  aliases from the :class:`ActorSpec`, possessives (``Goff's``) and resolved pronouns. Longest
  match wins and mentions never overlap: ``Labour Party President Andrew Little`` and ``leader
  Phil Goff`` are one mention each. Common-word aliases are matched conservatively: a single
  lower-case word (``leader``) only ever prefixes a name; a bare surname that is also an
  English word (``Little``, ``Key``) is not taken at the start of a sentence unless a verb of
  saying or ``'s`` follows; a bare surname glued to another capitalised word (``Jimmy Carter``,
  ``Carter Center``) is somebody or something else. Pronouns resolve to the most recent
  compatible actor (``ActorSpec.pronoun``; actors without one are never pronoun targets): within
  the sentence the nearest one wins; otherwise the nearest earlier sentence with candidates
  decides, and two different main-clause candidates there make the pronoun ambiguous (left
  unresolved). Possessives and names inside someone's reported clause count as less salient
  (``Mike Williams backed Mr Little's handling. He told...`` -> Williams). Object pronouns skip
  the subject of their own clause (``Carter is not finished with him`` -> not Carter). Inside a
  quotation, third-person pronouns never point at the speaker. Only ``its``/``itself`` resolve
  to ``it`` actors (bare ``it`` is too often pleonastic).
* **Quotes** (:class:`Quote`) are the article's attributions (:mod:`stance.attribution`), cut
  at paragraph boundaries: ``direct`` when mostly quotation, else ``reported`` (statements and
  documents included). Their speaker is the attribution's entity mapped to a story actor by
  name or alias, else the actor a curated alias in the source names (``the party's
  president``); ``cue`` is the cue as written, or ``continued`` for a quotation that carries
  on the speaker before it. A quotation inside reported speech (``the row had become "a side
  show"``) is also a direct quote of the same speaker, so share-of-voice counts should use
  :func:`voice_share`.
* **Treatment of an actor** (:class:`ActorSentiment`, :mod:`stance.treatment`) is the
  *author's*, scored only in the author's own voice: the content of every attribution
  (quotes, reported speech, statements, continuations), its cue verb and anything in
  quotation marks are masked, and a mention inside them is counted but not scored (``He said
  Mr Carter had never shown any contrition`` is Goff's claim, not the article's). The scorer
  is the active actor-sentiment model when one is given, else the rules of
  :func:`stance.treatment.target_sentiment`; evidence spans are kept per paragraph.
* **Loaded terms** (:class:`LoadedTerm`): evaluative words and idioms in the author's own
  voice (:func:`stance.treatment.loaded_terms`); :func:`headline_loaded` for the headline.
* **Frames**: cue terms of the Media Frames Corpus dimensions (Boydstun et al. 2014).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from stance.attribution import Attribution, attribute, by_others
from stance.entities import Cast, find_cast, join_paragraphs
from stance.mentions import (
    _OBJECT_PRONOUNS,
    _POSSESSIVE_PRONOUNS,
    _PRONOUN_CLASS,
    _PRONOUN_RE,
    ActorSpec,
    actor_patterns,
    as_tuple,
    find_names,
)
from stance.spans import NESTING_LOOK_BACK, containing, disjoint
from stance.text import quoted_spans, sentence_spans
from stance.treatment import (
    LOADED_WORDS,
    NEWS_LEXICON,
    POLARITIES,
    ActorSentiment,
    LoadedTerm,
    Scorer,
    loaded_terms,
    paragraph_treatment,
    polarity_of,
    target_sentiment,
)

__all__ = [
    "DEFAULT_FRAMES",
    "LOADED_WORDS",
    "NEWS_LEXICON",
    "POLARITIES",
    "ActorSentiment",
    "ActorSpec",
    "FrameSpec",
    "LoadedTerm",
    "Mention",
    "ParagraphFraming",
    "Quote",
    "analyse_article",
    "frame_counts",
    "polarity_of",
    "target_sentiment",
    "voice_share",
]


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# ============================================================================================
# Data
# ============================================================================================


@dataclass(frozen=True)
class FrameSpec:
    """A framing dimension and its cue terms (case-insensitive, whole words, simple plural /
    -ing / -ed variants of the last word allowed)."""

    key: str
    name: str
    cues: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "cues", as_tuple(self.cues))


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    actor: str
    via: str  # "name" | "alias" | "surname" | "title" | "possessive" | "pronoun"


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # "direct" | "reported"
    speaker: str | None  # actor key, or None when unknown / not a tracked actor
    speaker_text: str  # the words naming the speaker, as written ("" when unknown)
    cue: str  # how it was attributed ("X said", "said X", "colon", ...; "" when unattributed)
    words: int


@dataclass(frozen=True)
class ParagraphFraming:
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    sentiment: tuple[ActorSentiment, ...] = ()
    loaded: tuple[LoadedTerm, ...] = ()
    frames: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "mentions": [asdict(m) for m in self.mentions],
            "quotes": [asdict(q) for q in self.quotes],
            "sentiment": [asdict(s) for s in self.sentiment],
            "loaded": [asdict(t) for t in self.loaded],
            "frames": list(self.frames),
        }

    @classmethod
    def from_dict(cls, d) -> ParagraphFraming:
        d = d or {}
        return cls(
            mentions=tuple(Mention(**m) for m in d.get("mentions", ())),
            quotes=tuple(Quote(**q) for q in d.get("quotes", ())),
            sentiment=tuple(ActorSentiment.from_dict(s) for s in d.get("sentiment", ())),
            loaded=tuple(LoadedTerm(**t) for t in d.get("loaded", ())),
            frames=tuple(d.get("frames", ())),
        )

    def sentiment_for(self, actor: str) -> ActorSentiment | None:
        return next((s for s in self.sentiment if s.actor == actor), None)


# ============================================================================================
# Frames (Media Frames Corpus dimensions, Boydstun et al. 2014)
# ============================================================================================


def _frame(key: str, name: str, cues: str) -> FrameSpec:
    return FrameSpec(key, name, tuple(c.strip() for c in cues.split(",") if c.strip()))


DEFAULT_FRAMES: tuple[FrameSpec, ...] = (
    _frame(
        "economic",
        "Economic",
        "economy, economic, cost, budget, spending, tax, funding, money, financial, finances, "
        "jobs, unemployment, wage, income, price, debt, deficit, business, investment, profit, "
        "broke, bankrupt, revenue, inflation, trade, fiscal, taxpayer, donor, fundraising",
    ),
    _frame(
        "capacity",
        "Capacity and resources",
        "resources, capacity, staff, staffing, shortage, infrastructure, supply, equipment, "
        "facilities, overstretched, manpower, workload, backlog, logistics, personnel, "
        "volunteer, under-resourced, understaffed, oxygen, stretched thin, lack of",
    ),
    _frame(
        "morality",
        "Morality",
        "moral, morality, ethical, ethics, loyalty, loyal, honest, honesty, dishonest, "
        "deceptive, deceit, betrayal, betray, integrity, contrition, remorse, sincere, "
        "sincerity, shame, conscience, principle, values, hypocrisy, decency, apology, "
        "phoniness, lie, right thing, wrong, sin",
    ),
    _frame(
        "fairness",
        "Fairness and equality",
        "fair, fairness, unfair, equality, inequality, equal, discrimination, rights, bias, "
        "biased, scapegoat, double standard, treated, treatment, even-handed, injustice, "
        "inequity, privilege, marginalised, vindictive, victimised, persecuted, witch hunt",
    ),
    _frame(
        "legality",
        "Legality, constitutionality and procedure",
        "constitution, constitutional, law, legal, illegal, court, appeal, rules, breach, "
        "disciplinary, council, hearing, procedure, procedural, due process, ruling, lawsuit, "
        "judge, statute, tribunal, proceedings, notice of motion, jurisdiction, expulsion, "
        "expel, resolution, by-law, inquisition, disrepute, regulation",
    ),
    _frame(
        "policy",
        "Policy prescription and evaluation",
        "policy, policies, reform, proposal, plan, legislation, bill, strategy, programme, "
        "program, initiative, measure, agenda, manifesto, implement, scheme, big issues, "
        "solution, recommendation, platform",
    ),
    _frame(
        "crime",
        "Crime and punishment",
        "crime, criminal, police, arrest, charged, prosecution, prosecutor, convicted, "
        "conviction, sentence, jail, prison, punishment, punish, offence, offender, fraud, "
        "theft, assault, investigation, guilty, penalty, sanction, accountable",
    ),
    _frame(
        "security",
        "Security and defence",
        "security, defence force, defence minister, national defence, defense department, "
        "military, army, war, terrorism, terrorist, troops, "
        "weapon, border, national security, armed forces, missile, soldier, invasion, "
        "attack, threat",
    ),
    _frame(
        "health",
        "Health and safety",
        "health, healthcare, hospital, disease, illness, safety, danger, injury, medical, "
        "doctor, patient, pandemic, virus, vaccine, mental health, wellbeing, accident, "
        "stress",
    ),
    _frame(
        "quality_of_life",
        "Quality of life",
        "quality of life, family, families, lifestyle, housing, home, community, happiness, "
        "poverty, living standards, daily life, hardship, children, friends, his life, "
        "her life, their lives, future",
    ),
    _frame(
        "cultural_identity",
        "Cultural identity",
        "culture, cultural, identity, tradition, heritage, religion, religious, ethnic, "
        "language, national identity, customs, indigenous, immigrant, diversity, "
        "gay, institution",
    ),
    _frame(
        "public_opinion",
        "Public opinion",
        "public, voters, poll, poll ratings, opinion poll, survey, popularity, approval, "
        "public opinion, constituents, electorate, grassroots, backlash, outcry, protest, "
        "petition, supporters, members, public impression, perception, media",
    ),
    _frame(
        "political",
        "Political",
        "political, politics, politician, caucus, leadership, leader, poll, election, coup, "
        "faction, party, campaign, MP, parliament, government, opposition, minister, cabinet, "
        "vote, conference, candidate, by-election, rival, ally, partisan, infighting, "
        "undermining, leadership change, side show, sideshow",
    ),
    _frame(
        "reputation",
        "External regulation and reputation",
        "reputation, image, international, foreign, overseas, abroad, diplomatic, "
        "embarrassment, credibility, standing, relations, world, global, disrepute, "
        "ridicule, external, damage to, perception",
    ),
)


def _variants(word: str) -> set[str]:
    """Simple inflections of a cue's last word: plural, -ed, -ing (and their e/y forms)."""
    w = word.lower()
    out = {w}
    if not w.isalpha():
        return out
    out |= {w + "s", w + "es", w + "ed", w + "ing"}
    if w.endswith("e"):
        out |= {w + "d", w[:-1] + "ing"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        out |= {w[:-1] + "ies", w[:-1] + "ied"}
    return out


@lru_cache(maxsize=32)
def _frame_table(frames: tuple[FrameSpec, ...]) -> tuple[dict[str, tuple[str, ...]], int]:
    """Lower-cased cue forms (words space-joined) -> frame keys, and the longest cue in words."""
    table: dict[str, set[str]] = {}
    longest = 0
    for f in frames:
        for cue in f.cues:
            parts = cue.lower().replace("\u2019", "'").split()
            if not parts:
                continue
            longest = max(longest, len(parts))
            for last in _variants(parts[-1]):
                table.setdefault(" ".join(parts[:-1] + [last]), set()).add(f.key)
    order = {f.key: i for i, f in enumerate(frames)}
    return {k: tuple(sorted(v, key=order.get)) for k, v in table.items()}, longest


_FRAME_WORD_RE = re.compile(r"[a-z\u00e0-\u024f0-9]+(?:['-][a-z\u00e0-\u024f0-9]+)*")


def frame_counts(text: str, frames: Sequence[FrameSpec] = DEFAULT_FRAMES) -> dict[str, int]:
    """Cue hits per frame key in ``text`` (frames with no hit are left out). Longest cue wins
    where cues overlap ("poll ratings" once, not also "poll")."""
    table, longest = _frame_table(tuple(frames))
    counts: dict[str, int] = {}
    if not table or not text:
        return counts
    words = _FRAME_WORD_RE.findall(text.lower().replace("\u2019", "'"))
    i, n = 0, len(words)
    while i < n:
        for k in range(min(longest, n - i), 0, -1):
            keys = table.get(words[i] if k == 1 else " ".join(words[i : i + k]))
            if keys:
                for key in keys:
                    counts[key] = counts.get(key, 0) + 1
                i += k
                break
        else:
            i += 1
    return counts


def _frames_of(text: str, frames: tuple[FrameSpec, ...]) -> tuple[str, ...]:
    counts = frame_counts(text, frames)
    order = {f.key: i for i, f in enumerate(frames)}
    return tuple(sorted(counts, key=lambda k: (-counts[k], order[k])))


# ============================================================================================
# Article analysis
# ============================================================================================


def _inside(pos: int, spans) -> int:
    """Index of a span of ``spans`` (sorted by start, possibly nested) containing pos, or -1."""
    return containing(pos, spans, NESTING_LOOK_BACK)


class _M:
    """A mention being built (mutable while pronouns and speakers are resolved)."""

    __slots__ = ("actor", "end", "in_quote", "poss", "pron", "sent", "start", "tier", "via")

    def __init__(self, start, end, actor, via, poss, sent, in_quote, tier, pron=""):
        self.start = start
        self.end = end
        self.actor = actor
        self.via = via
        self.poss = poss
        self.sent = sent  # global sentence index
        self.in_quote = in_quote  # index of the direct quote containing it, or -1
        self.tier = tier  # 1: main clause, 2: possessive or inside a reported clause
        self.pron = pron  # pronoun class when a pronoun


class _Q:
    """A quotation being built."""

    __slots__ = ("cue", "end", "kind", "nested", "speaker", "speaker_text", "start")

    def __init__(self, start, end, kind):
        self.start = start
        self.end = end
        self.kind = kind
        self.speaker: str | None = None
        self.speaker_text = ""
        self.cue = ""
        self.nested = False

    def attribute(self, speaker, speaker_text, cue):
        self.speaker = speaker
        self.speaker_text = speaker_text
        self.cue = cue


class _Para:
    __slots__ = (
        "colon_speaker",
        "direct",
        "last_speaker",
        "mentions",
        "pron_spans",
        "quotes",
        "reported",
        "rep_spans",
        "sent_base",
        "sent_ends",
        "sents",
        "text",
    )

    def __init__(self, text: str, sent_base: int):
        self.text = text
        self.sents = sentence_spans(text) if text else [(0, 0)]
        self.sent_base = sent_base
        self.sent_ends = [e for _s, e in self.sents]
        self.mentions: list[_M] = []
        self.direct: list[_Q] = []
        self.reported: list[_Q] = []
        self.quotes: list[tuple[int, int]] = []
        self.rep_spans: list[tuple[int, int]] = []
        self.pron_spans: list[tuple[int, int, str]] = []
        self.last_speaker: tuple | None = None  # (actor, speaker_text)
        self.colon_speaker: tuple | None = None

    def sent_index(self, pos: int) -> int:
        i = bisect.bisect_right(self.sent_ends, pos)
        return self.sent_base + min(i, len(self.sents) - 1)


# --- pronoun resolution ----------------------------------------------------------------------

_CLAUSE_LINK_RE = re.compile(
    r"[,;:\u2014\u2013]|\b(?:that|who|whom|which|because|if|when|while|after|before|although|"
    r"and|but|said|says|told|claims|believes|thinks|saying|admitted)\b",
    re.I,
)


def _same_clause(text: str, a_end: int, b_start: int) -> bool:
    return not _CLAUSE_LINK_RE.search(text, a_end, b_start)


class _Antecedents:
    """Pronoun antecedents in article order: (global sentence, (para, offset), actor, tier,
    pron class of the actor). Kept with the running maximum of their sentence numbers, so
    that the candidates of the last few sentences are found by bisection: resolving a
    pronoun reads only them, not every antecedent before it (linear in the article)."""

    __slots__ = ("items", "top")

    def __init__(self):
        self.items: list[tuple] = []
        self.top: list[int] = []  # top[i]: the highest sentence of items[: i + 1]

    def append(self, cand: tuple) -> None:
        self.items.append(cand)
        self.top.append(max(cand[0], self.top[-1]) if self.top else cand[0])

    def sort_from(self, start: int) -> None:
        """Sort the items from ``start`` on by position (those before it precede them)."""
        tail = sorted(self.items[start:], key=lambda c: c[1])
        del self.items[start:], self.top[start:]
        for cand in tail:
            self.append(cand)

    def since(self, sent: int) -> list[tuple]:
        """The items from the first one whose sentence is ``sent`` or later, in order."""
        return self.items[bisect.bisect_left(self.top, sent) :]


def _resolve(
    antecedents: _Antecedents,
    sent: int,
    pron_class: str,
    pos_key: tuple[int, int],
    exclude: str | None,
    object_check=None,
    max_back: int = 4,
) -> str | None:
    """Resolve a pronoun from the antecedents before it."""
    cands = antecedents.since(sent - max_back)
    same = [
        c
        for c in cands
        if c[0] == sent and c[4] == pron_class and c[2] != exclude and c[1] < pos_key
    ]
    if object_check is not None:
        same = [c for c in same if not object_check(c)]
    if same:
        return same[-1][2]
    by_sent: dict[int, list[tuple]] = {}
    for c in cands:
        if sent - max_back <= c[0] < sent and c[4] == pron_class and c[2] != exclude:
            by_sent.setdefault(c[0], []).append(c)
    for s in range(sent - 1, sent - max_back - 1, -1):
        group = by_sent.get(s)
        if not group:
            continue
        tier1 = {c[2] for c in group if c[3] == 1}
        if len(tier1) == 1:
            return next(iter(tier1))
        if len(tier1) > 1:
            return None
        tier2 = {c[2] for c in group}
        return next(iter(tier2)) if len(tier2) == 1 else None
    return None


# --- speakers -----------------------------------------------------------------------------

_WORDS_RE = re.compile(r"[A-Za-z\u00C0-\u024F0-9]+(?:['\u2019][A-Za-z]+)*")


def _count_words(s: str) -> int:
    return len(_WORDS_RE.findall(s))


# ============================================================================================


def _quote_words(text: str) -> int:
    return _count_words(text)


def analyse_article(
    paragraphs: Sequence[str],
    actors: Sequence[ActorSpec],
    frames: Sequence[FrameSpec] = DEFAULT_FRAMES,
    scorer: Scorer | None = None,
) -> list[ParagraphFraming]:
    """Mentions, quotations (with speakers), the author's treatment of each actor, loaded
    language and frames for every paragraph of one article. Offsets are per paragraph.

    ``scorer`` scores each mention in the author's voice (a trained actor-sentiment model);
    without one the rule-based default of :mod:`stance.treatment` does."""
    actors = tuple(a for a in actors if isinstance(a, ActorSpec))
    frames = tuple(frames)
    patterns = actor_patterns(actors)
    pron_of = {a.key: a.pronoun for a in actors if a.pronoun in ("he", "she", "it", "they")}
    wanted_prons = set(pron_of.values())
    paras: list[_Para] = []
    base = 0
    texts = [r if isinstance(r, str) else ("" if r is None else str(r)) for r in paragraphs]
    for text in texts:
        p = _Para(text, base)
        base += len(p.sents)
        paras.append(p)
    said = _Said.of(texts, actors)

    cands = _Antecedents()  # outside-quote antecedents, article order
    for pi, p in enumerate(paras):
        text = p.text
        if not text.strip():
            continue
        first_cand = len(cands.items)
        p.quotes = quoted_spans(text)
        p.rep_spans = sorted(span for a, span in said.items[pi] if a.kind != "direct")
        _find_mentions(p, patterns, wanted_prons)
        _resolve_pronouns(p, pi, cands, pron_of)
        p.mentions.sort(key=lambda m: m.start)
        # speakers
        said.quotes_of(p, pi)
        # the speakers of this paragraph's quotations are antecedents for what follows
        for q in p.direct:
            if q.speaker and q.cue == "continued":
                sent = p.sent_index(max(q.start, q.end - 2))
                cands.append((sent, (pi, q.end - 1), q.speaker, 1, pron_of.get(q.speaker)))
        cands.sort_from(first_cand)

    # pronouns inside quotations: never the speaker; any earlier mention is a candidate
    if wanted_prons:
        _resolve_quoted_pronouns(paras, pron_of)

    return [_finish(p, frames, said.masked(pi), scorer) for pi, p in enumerate(paras)]


def _find_mentions(p: _Para, patterns, wanted_prons: set[str]) -> None:
    """The paragraph's names of actors, and its pronouns of a class some actor takes that
    are not part of a name."""
    text = p.text
    for s, e, actor, via, poss in find_names(text, patterns):
        qi = _inside(s, p.quotes)
        tier = 2 if poss or _inside(s, p.rep_spans) >= 0 else 1
        p.mentions.append(
            _M(s, e, actor, "possessive" if poss else via, poss, p.sent_index(s), qi, tier)
        )
    if not wanted_prons:
        return
    taken = disjoint([(m.start, m.end) for m in p.mentions])
    taken_starts = [s for s, _e in taken]
    for m in _PRONOUN_RE.finditer(text):
        cls = _PRONOUN_CLASS[m.group().lower()]
        if cls not in wanted_prons:
            continue
        last = bisect.bisect_left(taken_starts, m.end()) - 1  # the last to start before
        if last >= 0 and taken[last][1] > m.start():
            continue
        p.pron_spans.append((m.start(), m.end(), cls))


def _resolve_pronouns(p: _Para, pi: int, cands: _Antecedents, pron_of: dict) -> None:
    """Resolve the paragraph's pronouns outside quotations, left to right; its names and
    resolved pronouns become antecedents for what follows."""
    text = p.text
    pos_sorted = sorted(
        [("n", m) for m in p.mentions] + [("p", ps) for ps in p.pron_spans],
        key=lambda x: x[1].start if x[0] == "n" else x[1][0],
    )
    for kind, item in pos_sorted:
        if kind == "n":
            if item.in_quote < 0:
                cands.append(
                    (item.sent, (pi, item.start), item.actor, item.tier, pron_of.get(item.actor))
                )
            continue
        s, e, cls = item
        if _inside(s, p.quotes) >= 0:
            continue
        sent = p.sent_index(s)
        word = text[s:e].lower()
        check = None
        if word in _OBJECT_PRONOUNS:

            def check(c, _pi=pi, _s=s, _text=text):
                return c[1][0] == _pi and _same_clause(_text, c[1][1], _s)

        back = 0 if word.endswith(("self", "selves")) else 4
        actor = _resolve(cands, sent, cls, (pi, s), None, check, back)
        if actor is None:
            continue
        tier = 2 if (word in _POSSESSIVE_PRONOUNS or _inside(s, p.rep_spans) >= 0) else 1
        mm = _M(s, e, actor, "pronoun", word in _POSSESSIVE_PRONOUNS, sent, -1, tier, cls)
        p.mentions.append(mm)
        cands.append((sent, (pi, s), actor, tier, cls))


class _Said:
    """The article's attributions (:mod:`stance.attribution`), by paragraph, with each
    speaker entity mapped to a story actor: by name or alias, curated aliases winning."""

    def __init__(self, text: str, starts: list[int], items, entity_actor: dict[str, str]):
        self.text = text
        self.starts = starts
        self.items: list[list[tuple[Attribution, tuple[int, int]]]] = items
        self.entity_actor = entity_actor
        self.cues: dict[int, list[tuple[int, int]]] = {}

    @classmethod
    def of(cls, paragraphs: list[str], actors: tuple[ActorSpec, ...]) -> _Said:
        cast = find_cast(paragraphs)
        text, starts = join_paragraphs(paragraphs)
        items: list[list] = [[] for _ in paragraphs]
        said = cls(text, starts, items, _entity_actors(cast, actors))
        for a in by_others(text, attribute(paragraphs, cast=cast)):
            for s, e in a.content:
                pi = bisect.bisect_right(starts, s) - 1
                items[pi].append((a, (s - starts[pi], e - starts[pi])))
            for s, e in a.cue:
                pi = bisect.bisect_right(starts, s) - 1
                said.cues.setdefault(pi, []).append((s - starts[pi], e - starts[pi]))
        return said

    def masked(self, pi: int) -> list[tuple[int, int]]:
        """What in paragraph ``pi`` is not the author's voice: attributed content and cues."""
        return [span for _a, span in self.items[pi]] + self.cues.get(pi, [])

    def quotes_of(self, p: _Para, pi: int) -> None:
        """Direct and reported quotations of paragraph ``pi`` with their speakers."""
        mention_starts = [m.start for m in p.mentions]
        for a, (s, e) in self.items[pi]:
            q = _Q(s, e, "direct" if a.kind == "direct" else "reported")
            speaker = self.entity_actor.get(a.speaker) if a.speaker else None
            source = " ".join(self.text[ss:se] for ss, se in a.source)
            if speaker is None and a.source:
                speaker = self._named_in_source(p, pi, a.source[0], mention_starts)
            if speaker is None and _PRONOUN_SOURCE_RE.fullmatch(source):
                source = a.speaker or ""  # "it states": what "it" is, never "it" as a name
            cue = " ".join(self.text[cs:ce] for cs, ce in a.cue) or "continued"
            q.attribute(speaker, source, cue)
            if q.kind == "direct":
                p.direct.append(q)
                continue
            p.reported.append(q)
            first = bisect.bisect_left(p.quotes, (s, 0))
            for qs, qe in p.quotes[first:]:  # "the row had become "a side show"": their words
                if qs >= e:
                    break
                if qe <= e:
                    inner = _Q(qs, qe, "direct")
                    inner.attribute(speaker, source, cue)
                    p.direct.append(inner)

    def _named_in_source(
        self, p: _Para, pi: int, source: tuple[int, int], mention_starts: list[int]
    ) -> str | None:
        """The actor a curated alias in the source names ("the party's president")."""
        lo, hi = source[0] - self.starts[pi], source[1] - self.starts[pi]
        for m in p.mentions[bisect.bisect_left(mention_starts, lo) :]:
            if m.start >= hi:
                break
            if m.end <= hi and m.via != "pronoun":
                return m.actor
        return None


_PRONOUN_SOURCE_RE = re.compile(
    r"(?i)(?:he|she|it|they|his|her|its|their|who|which|that)(?:['\u2019]s)?"
)


def _entity_actors(cast: Cast, actors: tuple[ActorSpec, ...]) -> dict[str, str]:
    """Entity name -> actor key, when a name the text uses for the entity is one of the
    actor's names or aliases (the actor's own name first)."""
    by_name: dict[str, str] = {}
    for a in actors:
        by_name.setdefault(a.name.lower(), a.key)
    for a in actors:
        for alias in a.aliases:
            by_name.setdefault(alias.lower(), a.key)
    out = {}
    for e in cast.entities:
        for name in (e.name, *e.aliases):
            key = by_name.get(name.lower())
            if key is not None:
                out[e.name] = key
                break
    return out


def _resolve_quoted_pronouns(paras: list[_Para], pron_of: dict[str, str]) -> None:
    allc = _Antecedents()
    for pi, p in enumerate(paras):
        text = p.text
        events: list[tuple] = [(m.start, "m", m) for m in p.mentions]
        events += [(s, "p", (s, e, c)) for s, e, c in p.pron_spans if _inside(s, p.quotes) >= 0]
        for q in p.direct:
            if q.speaker:
                events.append((q.end - 1, "s", q))
        events.sort(key=lambda x: (x[0], x[1]))
        for pos, kind, item in events:
            if kind == "m":
                allc.append(
                    (
                        item.sent,
                        (pi, item.start),
                        item.actor,
                        2 if item.poss else 1,
                        pron_of.get(item.actor),
                    )
                )
                continue
            if kind == "s":
                sent = p.sent_index(max(item.start, item.end - 2))
                allc.append((sent, (pi, pos), item.speaker, 1, pron_of.get(item.speaker)))
                continue
            s, e, cls = item
            qi = _inside(s, p.quotes)
            speaker = p.direct[qi].speaker if 0 <= qi < len(p.direct) else None
            if speaker is None:
                continue  # without knowing who talks, "he" could be anyone
            sent = p.sent_index(s)
            word = text[s:e].lower()
            back = 0 if word.endswith(("self", "selves")) else 3
            actor = _resolve(allc, sent, cls, (pi, s), speaker, None, max_back=back)
            if actor is None:
                continue
            mm = _M(
                s,
                e,
                actor,
                "pronoun",
                word in _POSSESSIVE_PRONOUNS,
                sent,
                qi,
                2 if word in _POSSESSIVE_PRONOUNS else 1,
                cls,
            )
            p.mentions.append(mm)
            allc.append((sent, (pi, s), actor, mm.tier, cls))
        p.mentions.sort(key=lambda m: m.start)


def _finish(
    p: _Para, frames: tuple[FrameSpec, ...], masked: list[tuple[int, int]], scorer: Scorer | None
) -> ParagraphFraming:
    text = p.text
    if not text.strip():
        return ParagraphFraming()
    mentions = tuple(
        Mention(m.start, m.end, text[m.start : m.end], m.actor, m.via) for m in p.mentions
    )
    quotes = tuple(
        Quote(
            q.start,
            q.end,
            text[q.start : q.end],
            q.kind,
            q.speaker,
            q.speaker_text,
            q.cue,
            _quote_words(text[q.start : q.end]),
        )
        for q in sorted(p.direct + p.reported, key=lambda q: (q.start, -q.end))
    )
    # not the author's voice: attributed content and cues, and anything in quotation marks
    masked = sorted([*masked, *p.quotes])
    named = [(m.start, m.end, m.actor) for m in p.mentions]
    sentiment = paragraph_treatment(text, named, masked, scorer)
    loaded = loaded_terms(text, [*masked, *((m.start, m.end) for m in p.mentions)])
    return ParagraphFraming(mentions, quotes, sentiment, loaded, _frames_of(text, frames))


# ============================================================================================
# Share of voice
# ============================================================================================


def voice_share(framings: Sequence[ParagraphFraming]) -> dict[str | None, dict[str, int]]:
    """Quoted words per speaker over an article: ``{speaker: {"direct": n, "reported": n}}``
    (speaker None: unattributed or not a tracked actor). Each word counts once, for the
    innermost attribution that holds it, except that a quotation inside a quotation counts for
    the outer speaker, who voices it. A direct quotation inside a reported clause counts as
    direct, not also as reported; a report nested in someone's reported speech (``Goff
    rejected Carter's claims that the party was petty``) counts for its own speaker."""
    out: dict[str | None, dict[str, int]] = {}
    for f in framings:
        quotes = sorted(f.quotes, key=lambda q: (q.start, -q.end))
        counted, reach = [], -1  # reach: the furthest end of a direct quotation so far
        for q in quotes:
            if q.kind == "direct":
                if reach >= q.end:
                    continue  # inside an earlier quotation: its speaker voices it
                reach = q.end
            counted.append(q)
        starts = [q.start for q in counted]
        for i, q in enumerate(counted):
            own, inner_reach = q.words, -1
            for o in counted[i + 1 : bisect.bisect_left(starts, q.end, i + 1)]:
                if o.end <= q.end and o.end - o.start < q.end - q.start and o.end > inner_reach:
                    own -= o.words  # the outermost of what q holds counts for its own speaker
                    inner_reach = o.end
            d = out.setdefault(q.speaker, {"direct": 0, "reported": 0})
            d["direct" if q.kind == "direct" else "reported"] += max(0, own)
    return out


def headline_loaded(headline: str) -> tuple[LoadedTerm, ...]:
    """Loaded language in a headline, outside what it attributes ("Expulsion 'petty' - Carter")."""
    if not (headline or "").strip():
        return ()
    masked = [
        span for a in by_others(headline, attribute([headline])) for span in (*a.content, *a.cue)
    ]
    return loaded_terms(headline, [*masked, *quoted_spans(headline)])
