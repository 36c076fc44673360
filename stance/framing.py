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
* **Quotes** (:class:`Quote`): ``direct`` ones come from :func:`stance.text.quoted_spans`;
  ``reported`` ones are the clauses :func:`stance.text.reported_spans` finds for each
  attribution (``X said the party had...``). The speaker is found from the tag after the quote
  (``"...," he said`` / ``said X`` / ``according to X``), an attribution before it (``X said:``),
  the enclosing reported clause, the previous quote in the same paragraph (``continuing
  quote``), a quotation continued from the previous paragraph, a colon ending the previous
  paragraph, or the speaker of the previous paragraph (``previous sentence``) when the
  quotation opens its paragraph. Quotes may nest: a single-quoted quotation inside a double-
  quoted one is reported as its own quote (whose speaker is whoever the outer speaker says is
  talking, or ``None``), so share-of-voice counts should use :func:`voice_share`.
* **Sentiment toward an actor** (:class:`ActorSentiment`) is the *author's* treatment of the
  actor, not what the actor says. Decided rules: words inside direct quotations never count
  (they are the speaker's); a reported clause is masked for everybody except actors mentioned
  inside it, for whom it counts at half weight (``He said Mr Carter had never shown any
  contrition`` is something the article says about Carter), and never for the actor who is
  speaking (their own reported words are what they say, not what is said about them).
  Scoring is :func:`target_sentiment`'s: VADER valences (plus a small news lexicon) in the
  sentence around each mention, weighted by distance, with negation, boosters, clause breaks,
  action verbs next to the mention and a little irony. Per paragraph the contributions of all
  of an actor's mentions are pooled (each word counted once).
* **Loaded terms** (:class:`LoadedTerm`): strongly valenced or evaluative words (and a few
  idioms) in the author's own voice, outside quotations and reported clauses.
* **Frames**: cue terms of the Media Frames Corpus dimensions (Boydstun et al. 2014).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SentimentIntensityAnalyzer

from stance.attribution import Attribution, attribute
from stance.entities import Cast, find_cast, join_paragraphs
from stance.text import quoted_spans, sentence_spans

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

POLARITIES = ("negative", "neutral", "positive")


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# ============================================================================================
# Data
# ============================================================================================


def _as_tuple(value) -> tuple[str, ...]:
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
        object.__setattr__(self, "aliases", _as_tuple(self.aliases))
        object.__setattr__(self, "pronoun", (self.pronoun or "").strip().lower())


@dataclass(frozen=True)
class FrameSpec:
    """A framing dimension and its cue terms (case-insensitive, whole words, simple plural /
    -ing / -ed variants of the last word allowed)."""

    key: str
    name: str
    cues: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "cues", _as_tuple(self.cues))


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
class ActorSentiment:
    actor: str
    score: float  # -1..1, the author's treatment of the actor
    polarity: str  # "negative" | "neutral" | "positive"
    mentions: int  # mentions of the actor in the paragraph (inside quotations too)
    evidence: tuple[str, ...] = ()  # the words that drove the score, strongest first


@dataclass(frozen=True)
class LoadedTerm:
    start: int
    end: int
    text: str
    valence: float  # VADER-scale valence; 0.0 for intensifiers / certainty markers


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
            "sentiment": [{**asdict(s), "evidence": list(s.evidence)} for s in self.sentiment],
            "loaded": [asdict(t) for t in self.loaded],
            "frames": list(self.frames),
        }

    @classmethod
    def from_dict(cls, d) -> ParagraphFraming:
        d = d or {}
        return cls(
            mentions=tuple(Mention(**m) for m in d.get("mentions", ())),
            quotes=tuple(Quote(**q) for q in d.get("quotes", ())),
            sentiment=tuple(
                ActorSentiment(**{**s, "evidence": tuple(s.get("evidence", ()))})
                for s in d.get("sentiment", ())
            ),
            loaded=tuple(LoadedTerm(**t) for t in d.get("loaded", ())),
            frames=tuple(d.get("frames", ())),
        )

    def quote_at(self, pos: int) -> Quote | None:
        """The innermost quotation (direct or reported) containing character ``pos``."""
        best = None
        for q in self.quotes:
            if q.start <= pos < q.end and (best is None or q.end - q.start < best.end - best.start):
                best = q
        return best

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
# Lexicons
# ============================================================================================

_VADER: dict[str, float] = SentimentIntensityAnalyzer().lexicon

# Words VADER scores that, in news, name a topic or an event rather than judge anyone (checked
# against NewsMTSC *train*: sentences holding them are as often neutral toward the target).
_TOPICAL = _words(
    "party parties united justice security intelligence special supreme like well want yes no "
    "please kind number top defense defence share shared hand interest interests grand care "
    "free freedom death deaths war wars crisis killed died dead victims victim fighting "
    "agreement true play played clean ready safety secure super l god lol growth reach "
    "help helps helping join clear clearly certainly surely obviously definitely indeed truly "
    "really effective"
)

# News-specific valences (VADER scale): words VADER lacks or scores against news usage.
NEWS_LEXICON: dict[str, float] = {
    # accusation, scandal, sanction
    "allegation": -1.2,
    "allegations": -1.2,
    "alleged": -0.8,
    "allegedly": -0.8,
    "misconduct": -2.0,
    "scrutiny": -0.8,
    "controversy": -1.2,
    "investigation": -0.8,
    "investigated": -1.0,
    "probe": -0.8,
    "indicted": -2.0,
    "indictment": -1.8,
    "impeachment": -1.5,
    "impeach": -1.5,
    "impeached": -1.8,
    "ousted": -1.5,
    "oust": -1.2,
    "expulsion": -1.0,
    "divided": -1.2,
    "unprepared": -1.2,
    "sacked": -1.5,
    "demoted": -1.5,
    "convicted": -2.2,
    "fined": -1.2,
    "sued": -1.0,
    "barred": -1.0,
    "untenable": -1.5,
    "deceptive": -2.0,
    "vindictive": -2.0,
    "subterfuge": -1.8,
    "discontent": -1.3,
    "disharmony": -1.3,
    "malcontents": -1.8,
    "malcontent": -1.8,
    "outcast": -1.8,
    "inappropriate": -1.6,
    "partisan": -0.8,
    "corrupt": -2.5,
    "corruption": -2.3,
    "rift": -1.2,
    "infighting": -1.5,
    "ructions": -1.3,
    "backlash": -1.3,
    "embattled": -1.5,
    "beleaguered": -1.5,
    "scathing": -1.5,
    "slammed": -1.5,
    "blasted": -1.5,
    "lashed": -1.2,
    "denounced": -1.8,
    "rebuked": -1.6,
    "hypocrite": -2.2,
    "sexist": -2.3,
    "bigot": -2.5,
    "extremist": -2.0,
    "unpopular": -1.5,
    "treachery": -2.5,
    "traitor": -2.5,
    "plotting": -1.2,
    "scheming": -1.8,
    "rogue": -1.3,
    "debacle": -2.0,
    "shambles": -2.0,
    "disgraceful": -2.5,
    "infamous": -1.8,
    "phoniness": -1.8,
    "contrition": 0.0,
    "foment": -1.2,
    "dynamite": -0.5,
    "coup": -1.5,
    "impoverished": -1.5,
    "propitious": 1.2,
    "apologize": -0.8,
    "apologise": -0.8,
    "apologized": -1.0,
    "apologised": -1.0,
    "apology": -0.8,
    "apologies": -0.8,
    "admitted": -0.5,
    "criticised": -1.5,
    # recognition, endorsement
    "lauded": 2.0,
    "congratulated": 1.8,
    "hailed": 1.5,
    "credible": 1.2,
    "defended": 0.6,
    "endorsed": 1.2,
    "backed": 0.6,
}


def _build_lexicon() -> dict[str, float]:
    lex = {w: v for w, v in _VADER.items() if w.replace("'", "").replace("-", "").isalpha()}
    for w in _TOPICAL:
        lex.pop(w, None)
    lex.update(NEWS_LEXICON)
    # British spellings VADER lacks: criticised, apologised, ...
    for w, v in list(lex.items()):
        if "iz" in w:
            lex.setdefault(w.replace("iz", "is"), v)
    return lex


_LEXICON: dict[str, float] = _build_lexicon()

_NEGATORS = frozenset(NEGATE) | _words(
    "not never no nobody nothing none hardly barely scarcely unlikely unable"
)
_BOOSTERS: dict[str, float] = {w: v for w, v in BOOSTER_DICT.items() if " " not in w}
_CLAUSE_BREAKS = _words("; : but however although though whereas while yet — – -")
_IRONY_OPENERS = _words("funny strange odd curious peculiar weird")
_SCARE = _words("so-called supposed supposedly self-styled")

# Verbs of attack or sanction, and of praise or support: next to a mention (as its verb or
# with the mention as object) they carry sentiment toward it whatever VADER says.
_NEG_ACTIONS = _words(
    "accuse accused accuses accusing blame blamed blames blaming criticize criticized "
    "criticizes criticizing criticise criticised criticises criticising attack attacked "
    "attacks attacking slam slammed slams slamming condemn condemned condemns denounce "
    "denounced denounces rebuke rebuked mock mocked mocks ridicule ridiculed insult insulted "
    "fire fired sack sacked expel expelled expels dump dumped oust ousted reject rejected "
    "rejects sue sued charge charged arrest arrested indict indicted convict convicted "
    "suspend suspended punish punished sanction sanctioned censure censured impeach "
    "impeached investigate investigated threaten threatened demote demoted"
)
_POS_ACTIONS = _words(
    "praise praised praises praising thank thanked thanks thanking applaud applauded "
    "congratulate congratulated commend commended endorse endorsed endorses hail hailed "
    "honour honoured honor honored reward rewarded celebrate celebrated welcome welcomed "
    "champion championed defend defended admire admired elect elected"
)
_PASSIVE_AUX = _words("was were been being is are be got get gets had has")
_SKIP_BETWEEN = _words(
    "has have had also was were is are been being be would will could may might then later "
    "again repeatedly publicly angrily bitterly just already not never reportedly once "
    "today yesterday quickly swiftly"
)
_OBJECT_DETS = _words("the a an his her their its")

# Loaded language: evaluative, emotive and intensifying words common in political writing
# (valence from VADER when it has one). 0.0 marks certainty markers and intensifiers.
LOADED_WORDS: dict[str, float] = {
    w: _LEXICON.get(w, v)
    for w, v in {
        "petty": -0.8,
        "vindictive": -2.0,
        "ridiculous": -1.5,
        "malcontents": -1.8,
        "dynamite": -0.5,
        "bitterness": -1.7,
        "bitter": -1.8,
        "coup": -1.5,
        "weird": -0.7,
        "mischief": -1.5,
        "impoverished": -1.5,
        "certainly": 0.0,
        "clearly": 0.0,
        "hardly": 0.0,
        "surely": 0.0,
        "obviously": 0.0,
        "undoubtedly": 0.0,
        "simply": 0.0,
        "merely": 0.0,
        "utterly": 0.0,
        "angrily": -1.8,
        "furious": -2.7,
        "fuming": -2.0,
        "outcast": -1.8,
        "untenable": -1.5,
        "subterfuge": -1.8,
        "scapegoat": -1.7,
        "farce": -1.7,
        "fiasco": -2.3,
        "debacle": -2.0,
        "shambles": -2.0,
        "chaos": -2.7,
        "turmoil": -1.5,
        "ructions": -1.3,
        "infighting": -1.5,
        "feud": -1.4,
        "rift": -1.2,
        "saga": -0.5,
        "rogue": -1.3,
        "maverick": -0.5,
        "disgraced": -2.0,
        "embattled": -1.5,
        "beleaguered": -1.5,
        "dumped": -1.7,
        "axed": -1.3,
        "ousted": -1.5,
        "sacked": -1.5,
        "slammed": -1.5,
        "blasted": -1.5,
        "savaged": -2.0,
        "bizarre": -1.3,
        "extraordinary": 0.0,
        "astonishing": 0.0,
        "shocking": -1.7,
        "notorious": -1.9,
        "infamous": -1.8,
        "absurd": -1.5,
        "laughable": -1.5,
        "pathetic": -2.7,
        "shameful": -2.2,
        "disgraceful": -2.5,
        "hapless": -1.4,
        "hopeless": -2.0,
        "desperate": -1.3,
        "brazen": -1.2,
        "blatant": -1.2,
        "cynical": -1.6,
        "scheming": -1.8,
        "plotting": -1.2,
        "treachery": -2.5,
        "betrayal": -2.8,
        "propitious": 1.2,
        "malicious": -2.5,
    }.items()
}
LOADED_PHRASES: dict[str, float] = {
    "political dynamite": -1.0,
    "moment of madness": -1.9,
    "witch hunt": -2.0,
    "kangaroo court": -2.0,
    "sour grapes": -1.5,
    "own goal": -1.5,
    "war of words": -1.2,
    "slap in the face": -2.0,
    "last straw": -1.2,
    "gang of": -1.0,
    "funny way": -1.0,
    "bad planning": -2.5,
    "bad luck": -2.5,
    "knives out": -1.5,
    "open warfare": -2.0,
    "damage control": -1.2,
    "dirty laundry": -1.5,
}
_LOADED_PHRASE_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(LOADED_PHRASES, key=len)[::-1])
    + r")(?![\w-])",
    re.I,
)
_LOADED_MIN = 1.5  # |VADER valence| from which a word counts as loaded on its own


# ============================================================================================
# Tokens and the target-sentiment scorer
# ============================================================================================

_TOKEN_RE = re.compile(
    r"[A-Za-z\u00C0-\u024F]+(?:['\u2019-][A-Za-z\u00C0-\u024F]+)*|\d+(?:[.,:]\d+)*%?|[^\w\s]"
)

# Tuned on NewsMTSC train.jsonl only (bench/actor_sentiment.py --tune), never on dev.
PARAMS: dict[str, float] = {
    "scale": 4.0,  # distance weight 1 / (1 + (d - 1) / scale), d in tokens from the mention
    "cross": 1.0,  # weight factor per clause break between word and mention (1: none)
    "right": 1.3,  # factor for words after the mention
    "action": 1.5,  # factor for an attack / praise verb next to the mention
    "action_subject": 1.0,  # ... when the mention is its subject (agent)
    "own_speech": 0.0,  # factor for the target's own quoted / reported words
    "irony": -0.6,  # factor for positive words after an irony marker ("a funny way of")
    "alpha": 15.0,  # VADER's normalisation: s / sqrt(s^2 + alpha)
    "pos": 0.1,  # positive when score >= pos
    "neg": 0.05,  # negative when score <= -neg
}


class _Tok:
    __slots__ = ("end", "low", "start", "text")

    def __init__(self, m: re.Match):
        self.start = m.start()
        self.end = m.end()
        self.text = m.group()
        self.low = self.text.lower().replace("\u2019", "'")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m) for m in _TOKEN_RE.finditer(text)]


def _token_range(toks: list[_Tok], start: int, end: int) -> tuple[int, int]:
    """Indices (first, last) of the tokens overlapping [start, end); (-1, -1) if none."""
    first = last = -1
    for i, t in enumerate(toks):
        if t.end <= start:
            continue
        if t.start >= end:
            break
        if first < 0:
            first = i
        last = i
    return first, last


def _valence(toks: list[_Tok], i: int) -> float:
    w = toks[i].low
    v = _LEXICON.get(w)
    if v is None and "-" in w:
        v = _LEXICON.get(w.replace("-", ""))
    return v or 0.0


def _is_negator(w: str) -> bool:
    return w in _NEGATORS or w.endswith("n't")


def _action_role(toks: list[_Tok], i: int, lo: int, hi: int) -> str:
    """Is action verb ``i`` the mention's own verb ("X accused", "X was expelled") or does it
    take the mention as object ("dumped MP Chris Carter", "accused X")? '' otherwise."""
    if i > hi:
        gap = [t.low for t in toks[hi + 1 : i]]
        if len(gap) <= 3 and all(w in _SKIP_BETWEEN for w in gap):
            passive = any(w in _PASSIVE_AUX for w in gap) and toks[i].low.endswith("ed")
            if passive and ("been" in gap or not any(w in ("has", "have", "had") for w in gap)):
                return "object"  # passive: "X was expelled"
            return "subject"
        return ""
    gap = [t.low for t in toks[i + 1 : lo]]
    if len(gap) <= 3 and all(w in _OBJECT_DETS or w[:1].isupper() or w == "mp" for w in gap):
        return "object"
    if len(gap) <= 3 and all(w in _OBJECT_DETS or w in _SKIP_BETWEEN for w in gap):
        return "object"
    return ""


def _contributions(
    toks: list[_Tok],
    lo: int,
    hi: int,
    first: int,
    last: int,
    blocked: list[bool] | None,
    own: list[bool] | None = None,
    params: dict[str, float] = PARAMS,
    others: list[int] | None = None,
) -> dict[int, float]:
    """Weighted valence of each sentiment word in toks[first:last+1] toward the mention at
    tokens lo..hi. ``blocked`` tokens are ignored; ``own`` tokens (the target's own words) are
    weighted by params['own_speech']. ``others[k]``: how many other actors' mentions start
    before token k (a word with another actor in between counts half)."""
    out: dict[int, float] = {}
    if lo < 0:
        return out
    scale = params["scale"]
    cross_f = params["cross"]
    # clause breaks between each position and the mention, and irony scopes
    breaks_left = [0] * (last - first + 2)
    n_breaks = 0
    for i in range(lo - 1, first - 1, -1):
        if toks[i].low in _CLAUSE_BREAKS:
            n_breaks += 1
        breaks_left[i - first] = n_breaks
    n_breaks = 0
    breaks_right: dict[int, int] = {}
    irony_from = -1
    for i in range(hi + 1, last + 1):
        breaks_right[i] = n_breaks
        if toks[i].low in _CLAUSE_BREAKS:
            n_breaks += 1
    for i in range(first, last + 1):
        if lo <= i <= hi:
            continue
        w = toks[i].low
        if (
            w in _IRONY_OPENERS
            and i + 2 <= last
            and toks[i + 1].low == "way"
            and toks[i + 2].low in ("of", "to")
        ):
            irony_from = i
            if not (blocked and blocked[i]):
                out[i] = -1.0 * _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first)
            continue
        if blocked and blocked[i]:
            continue
        v = _valence(toks, i)
        action = w in _NEG_ACTIONS or w in _POS_ACTIONS
        if not v and not action:
            continue
        if action:
            role = _action_role(toks, i, lo, hi)
            if role:
                base = v or (-1.5 if w in _NEG_ACTIONS else 1.5)
                if base * (-1 if w in _NEG_ACTIONS else 1) < 0:
                    base = -base
                v = base * params["action"]
                if role == "subject":
                    v *= params["action_subject"]
        if not v:
            continue
        # negation in the three words before (not across a clause break)
        for j in range(i - 1, max(first, i - 4) - 1, -1):
            wj = toks[j].low
            if wj in _CLAUSE_BREAKS or wj in (",", "."):
                break
            if _is_negator(wj):
                v *= N_SCALAR
                break
        if i > first:
            b = _BOOSTERS.get(toks[i - 1].low)
            if b:
                v += b if v > 0 else -b
        if irony_from >= 0 and i > irony_from and v > 0:
            v *= params["irony"]
        wt = _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first)
        if i > hi:
            wt *= params["right"]
        if own and own[i]:
            wt *= params["own_speech"]
        if others is not None:
            between = others[lo] - others[i + 1] if i < lo else others[i] - others[hi + 1]
            if between > 0:
                wt *= 0.5
        if wt and v:
            out[i] = v * wt
    # "so-called X", scare quotes right before the mention
    if lo > first and toks[lo - 1].low in _SCARE:
        out[lo - 1] = out.get(lo - 1, 0.0) - 1.5
    return out


def _weight(i, lo, hi, scale, cross_f, breaks_left, breaks_right, first) -> float:
    if i < lo:
        d = lo - i
        crosses = breaks_left[i - first]
    else:
        d = i - hi
        crosses = breaks_right.get(i, 0)
    return (1.0 / (1.0 + (d - 1) / scale)) * (cross_f**crosses)


def _normalise(total: float) -> float:
    if not total:
        return 0.0
    s = total / math.sqrt(total * total + PARAMS["alpha"])
    return max(-1.0, min(1.0, s))


def polarity_of(score: float, params: dict[str, float] = PARAMS) -> str:
    """Polarity with the neutral band tuned on NewsMTSC train."""
    if score >= params["pos"]:
        return "positive"
    if score <= -params["neg"]:
        return "negative"
    return "neutral"


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in sents:
        if s <= pos < e:
            return s, e
    return sents[-1] if sents else (0, 0)


_TAG_VERB_RE = re.compile(
    r"^\s*(?:has\s+|had\s+|also\s+|later\s+|then\s+|today\s+|yesterday\s+)*"
    r"(?:said|says|told|tells|added|adds|wrote|writes|insisted|argued|claimed|warned|stated|"
    r"explained|noted|replied|declared|admitted|tweeted|asked|complained|conceded)\b",
    re.I,
)


def _own_speech_mask(text: str, toks: list[_Tok], start: int, end: int) -> list[bool] | None:
    """Tokens of quotations / reported clauses whose speaker is the mention at [start, end)."""
    quotes = quoted_spans(text)
    after = text[end : end + 40]
    own_spans: list[tuple[int, int]] = []
    if _TAG_VERB_RE.match(after):
        verb_end = end + _TAG_VERB_RE.match(after).end()
        # "X said ..." governs the rest of the sentence; "'...,' X said" the quote before it
        sents = sentence_spans(text)
        ss, se = _sentence_of(sents, start)
        own_spans.append((verb_end, se))
        for qs, qe in quotes:
            if 0 <= start - qe <= 4:
                own_spans.append((qs, qe))
    else:
        before = text[max(0, start - 12) : start].lower()
        if re.search(r"(?:said|says|according to)\s*$", before):
            for qs, qe in quotes:
                if 0 <= start - qe <= 14:
                    own_spans.append((qs, qe))
    if not own_spans:
        return None
    return [any(s <= t.start < e for s, e in own_spans) for t in toks]


def target_sentiment(text: str, start: int, end: int) -> tuple[str, float]:
    """The rule-based sentiment the sentence around ``text[start:end]`` expresses toward that
    mention: ``(polarity, score)`` with polarity in :data:`POLARITIES` and score in [-1, 1].

    Scores the sentence holding the mention, quotations included (this is the contract of
    ``manage.py actor_sentiment``: what the *text* says about the person), except the target's
    own words (``"...," X said`` / ``X said ...``: what they say is not what is said about
    them; masking them scored better on NewsMTSC train). :func:`analyse_article` uses the same
    scorer on the author's voice only.
    """
    text = text or ""
    n = len(text)
    start = max(0, min(int(start), n))
    end = max(start, min(int(end), n))
    if not text.strip():
        return "neutral", 0.0
    toks = _tokens(text)
    if end == start:
        end = min(n, start + 1)
    lo, hi = _token_range(toks, start, end)
    if lo < 0:
        return "neutral", 0.0
    sents = sentence_spans(text)
    ss, se = _sentence_of(sents, toks[lo].start)
    first = next((i for i, t in enumerate(toks) if t.start >= ss), 0)
    last = next((i - 1 for i, t in enumerate(toks) if t.start >= se), len(toks) - 1)
    own = _own_speech_mask(text, toks, start, end) if PARAMS["own_speech"] != 1.0 else None
    contrib = _contributions(toks, lo, hi, first, last, None, own)
    score = round(_normalise(sum(contrib.values())), 4)
    return polarity_of(score), score


# ============================================================================================
# Actor matching
# ============================================================================================

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
def _actor_patterns(actors: tuple[ActorSpec, ...]) -> tuple[_ActorPattern, ...]:
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


def _find_names(text: str, patterns: tuple[_ActorPattern, ...]) -> list[tuple]:
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
        for c in cands:
            if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
                taken.append(c)
        cands = taken
    cands.sort()
    return cands


# ============================================================================================
# Article analysis
# ============================================================================================


def _inside(pos: int, spans) -> int:
    """Index of the span containing pos, or -1."""
    for i, (s, e) in enumerate(spans):
        if s <= pos < e:
            return i
    return -1


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
        "sents",
        "text",
    )

    def __init__(self, text: str, sent_base: int):
        self.text = text
        self.sents = sentence_spans(text) if text else [(0, 0)]
        self.sent_base = sent_base
        self.mentions: list[_M] = []
        self.direct: list[_Q] = []
        self.reported: list[_Q] = []
        self.quotes: list[tuple[int, int]] = []
        self.rep_spans: list[tuple[int, int]] = []
        self.pron_spans: list[tuple[int, int, str]] = []
        self.last_speaker: tuple | None = None  # (actor, speaker_text)
        self.colon_speaker: tuple | None = None

    def sent_index(self, pos: int) -> int:
        for i, (_s, e) in enumerate(self.sents):
            if pos < e:
                return self.sent_base + i
        return self.sent_base + len(self.sents) - 1


# --- pronoun resolution ----------------------------------------------------------------------

_CLAUSE_LINK_RE = re.compile(
    r"[,;:\u2014\u2013]|\b(?:that|who|whom|which|because|if|when|while|after|before|although|"
    r"and|but|said|says|told|claims|believes|thinks|saying|admitted)\b",
    re.I,
)


def _same_clause(text: str, a_end: int, b_start: int) -> bool:
    return not _CLAUSE_LINK_RE.search(text, a_end, b_start)


def _resolve(
    cands: list[tuple],
    sent: int,
    pron_class: str,
    pos_key: tuple[int, int],
    exclude: str | None,
    object_check=None,
    max_back: int = 4,
) -> str | None:
    """Resolve a pronoun. ``cands``: (global sentence, (para, offset), actor, tier, pron class
    of the actor) in article order, all before the pronoun."""
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
) -> list[ParagraphFraming]:
    """Mentions, quotations (with speakers), the author's sentiment toward each actor, loaded
    language and frames for every paragraph of one article. Offsets are per paragraph."""
    actors = tuple(a for a in actors if isinstance(a, ActorSpec))
    frames = tuple(frames)
    patterns = _actor_patterns(actors)
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

    cands: list[tuple] = []  # outside-quote antecedents, article order
    for pi, p in enumerate(paras):
        text = p.text
        if not text.strip():
            continue
        p.quotes = quoted_spans(text)
        p.rep_spans = sorted(span for a, span in said.items[pi] if a.kind != "direct")
        # names
        for s, e, actor, via, poss in _find_names(text, patterns):
            qi = _inside(s, p.quotes)
            tier = 2 if poss or _inside(s, p.rep_spans) >= 0 else 1
            p.mentions.append(
                _M(s, e, actor, "possessive" if poss else via, poss, p.sent_index(s), qi, tier)
            )
        # pronouns
        if wanted_prons:
            taken = [(m.start, m.end) for m in p.mentions]
            for m in _PRONOUN_RE.finditer(text):
                cls = _PRONOUN_CLASS[m.group().lower()]
                if cls not in wanted_prons or any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                p.pron_spans.append((m.start(), m.end(), cls))
        # resolve pronouns outside quotations, left to right
        pos_sorted = sorted(
            [("n", m) for m in p.mentions] + [("p", ps) for ps in p.pron_spans],
            key=lambda x: x[1].start if x[0] == "n" else x[1][0],
        )
        for kind, item in pos_sorted:
            if kind == "n":
                if item.in_quote < 0:
                    cands.append(
                        (
                            item.sent,
                            (pi, item.start),
                            item.actor,
                            item.tier,
                            pron_of.get(item.actor),
                        )
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
        p.mentions.sort(key=lambda m: m.start)
        # speakers
        said.quotes_of(p, pi)
        # the speakers of this paragraph's quotations are antecedents for what follows
        for q in p.direct:
            if q.speaker and q.cue == "continued":
                sent = p.sent_index(max(q.start, q.end - 2))
                cands.append((sent, (pi, q.end - 1), q.speaker, 1, pron_of.get(q.speaker)))
        cands.sort(key=lambda c: c[1])

    # pronouns inside quotations: never the speaker; any earlier mention is a candidate
    if wanted_prons:
        _resolve_quoted_pronouns(paras, pron_of)

    return [_finish(p, actors, frames) for p in paras]


class _Said:
    """The article's attributions (:mod:`stance.attribution`), by paragraph, with each
    speaker entity mapped to a story actor: by name or alias, curated aliases winning."""

    def __init__(self, text: str, starts: list[int], items, entity_actor: dict[str, str]):
        self.text = text
        self.starts = starts
        self.items: list[list[tuple[Attribution, tuple[int, int]]]] = items
        self.entity_actor = entity_actor

    @classmethod
    def of(cls, paragraphs: list[str], actors: tuple[ActorSpec, ...]) -> _Said:
        cast = find_cast(paragraphs)
        text, starts = join_paragraphs(paragraphs)
        items: list[list] = [[] for _ in paragraphs]
        for a in attribute(paragraphs, cast=cast):
            for s, e in a.content:
                pi = bisect.bisect_right(starts, s) - 1
                items[pi].append((a, (s - starts[pi], e - starts[pi])))
        return cls(text, starts, items, _entity_actors(cast, actors))

    def quotes_of(self, p: _Para, pi: int) -> None:
        """Direct and reported quotations of paragraph ``pi`` with their speakers."""
        for a, (s, e) in self.items[pi]:
            q = _Q(s, e, "direct" if a.kind == "direct" else "reported")
            speaker = self.entity_actor.get(a.speaker) if a.speaker else None
            source = " ".join(self.text[ss:se] for ss, se in a.source)
            if speaker is None and a.source:
                speaker = self._named_in_source(p, pi, a.source[0])
            cue = " ".join(self.text[cs:ce] for cs, ce in a.cue) or "continued"
            q.attribute(speaker, source, cue)
            if q.kind == "direct":
                p.direct.append(q)
                continue
            p.reported.append(q)
            for qs, qe in p.quotes:  # "the row had become "a side show"": their very words
                if s <= qs and qe <= e:
                    inner = _Q(qs, qe, "direct")
                    inner.attribute(speaker, source, cue)
                    p.direct.append(inner)

    def _named_in_source(self, p: _Para, pi: int, source: tuple[int, int]) -> str | None:
        """The actor a curated alias in the source names ("the party's president")."""
        lo, hi = source[0] - self.starts[pi], source[1] - self.starts[pi]
        for m in p.mentions:
            if lo <= m.start and m.end <= hi and m.via != "pronoun":
                return m.actor
        return None


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
    allc: list[tuple] = []
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
    p: _Para, actors: tuple[ActorSpec, ...], frames: tuple[FrameSpec, ...]
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
    toks = _tokens(text)
    direct_spans = [(q.start, q.end) for q in p.direct if not q.nested]
    rep_spans = [(q.start, q.end) for q in p.reported]
    in_direct = [_inside(t.start, direct_spans) >= 0 for t in toks]
    in_rep = [_inside(t.start, rep_spans) >= 0 for t in toks]
    in_mention = [False] * len(toks)
    mention_tok: list[tuple[int, int]] = []
    for m in p.mentions:
        lo, hi = _token_range(toks, m.start, m.end)
        mention_tok.append((lo, hi))
        if lo >= 0:
            for i in range(lo, hi + 1):
                in_mention[i] = True
    sentiment = _paragraph_sentiment(p, toks, in_direct, in_rep, in_mention, mention_tok)
    loaded = _loaded_terms(
        text, toks, [a or b or c for a, b, c in zip(in_direct, in_rep, in_mention, strict=True)]
    )
    return ParagraphFraming(mentions, quotes, sentiment, loaded, _frames_of(text, frames))


def _paragraph_sentiment(p, toks, in_direct, in_rep, in_mention, mention_tok):
    per_actor: dict[str, dict[int, float]] = {}
    other_prefix: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    order: list[str] = []
    sent_tok: list[tuple[int, int]] = []
    for ss, se in p.sents:
        first = next((i for i, t in enumerate(toks) if t.start >= ss), len(toks))
        last = next((i - 1 for i, t in enumerate(toks) if t.start >= se), len(toks) - 1)
        sent_tok.append((first, last))
    # (the mention's own tokens are skipped by _contributions whatever these say)
    blocked_author = [d or r or mt for d, r, mt in zip(in_direct, in_rep, in_mention, strict=True)]
    blocked_rep = [d or mt for d, mt in zip(in_direct, in_mention, strict=True)]
    for m, (lo, hi) in zip(p.mentions, mention_tok, strict=True):
        if m.actor not in counts:
            counts[m.actor] = 0
            order.append(m.actor)
            per_actor[m.actor] = {}
        counts[m.actor] += 1
        if lo < 0 or in_direct[lo]:
            continue  # inside a quotation: the speaker's words, not the author's
        si = next((k for k, (s, e) in enumerate(p.sents) if s <= m.start < e), len(p.sents) - 1)
        first, last = sent_tok[si]
        weight = 1.0
        rep = next((r for r in p.reported if r.start <= m.start < r.end), None)
        if rep is not None:
            if rep.speaker == m.actor:
                continue  # their own reported words
            # what someone says about the actor: the clause only, at half weight
            r_lo, r_hi = _token_range(toks, rep.start, rep.end)
            first, last = max(first, r_lo), min(last, r_hi)
            blocked = blocked_rep
            weight = 0.5
        else:
            blocked = blocked_author
        others = other_prefix.get(m.actor)
        if others is None:
            others = [0] * (len(toks) + 1)
            for (olo, _ohi), om in zip(mention_tok, p.mentions, strict=True):
                if om.actor != m.actor and olo >= 0:
                    others[olo + 1] += 1
            for k in range(1, len(others)):
                others[k] += others[k - 1]
            other_prefix[m.actor] = others
        contrib = _contributions(toks, lo, hi, first, last, blocked, None, PARAMS, others)
        acc = per_actor[m.actor]
        for i, v in contrib.items():
            v *= weight
            if abs(v) > abs(acc.get(i, 0.0)):
                acc[i] = v
    out = []
    for actor in order:
        acc = per_actor[actor]
        score = round(_normalise(sum(acc.values())), 4)
        strongest = sorted(acc.items(), key=lambda kv: -abs(kv[1]))[:4]
        evidence = tuple(_evidence_word(toks, i, v) for i, v in strongest if abs(v) >= 0.2)
        out.append(ActorSentiment(actor, score, polarity_of(score), counts[actor], evidence))
    return tuple(out)


def _evidence_word(toks: list[_Tok], i: int, v: float) -> str:
    w = toks[i].text
    for j in range(i - 1, max(0, i - 4) - 1, -1):
        if toks[j].low in _CLAUSE_BREAKS or toks[j].low in (",", "."):
            break
        if _is_negator(toks[j].low):
            return f"{toks[j].text} {w}"
    return w


def _loaded_terms(text: str, toks: list[_Tok], masked: list[bool]) -> tuple[LoadedTerm, ...]:
    out: list[LoadedTerm] = []
    covered: list[tuple[int, int]] = []
    for m in _LOADED_PHRASE_RE.finditer(text):
        lo, hi = _token_range(toks, m.start(), m.end())
        if lo < 0 or any(masked[i] for i in range(lo, hi + 1)):
            continue
        key = " ".join(m.group().lower().split())
        out.append(LoadedTerm(m.start(), m.end(), m.group(), LOADED_PHRASES.get(key, 0.0)))
        covered.append(m.span())
    for i, t in enumerate(toks):
        if masked[i] or _inside(t.start, covered) >= 0:
            continue
        w = t.low
        if w in LOADED_WORDS:
            v = LOADED_WORDS[w]
        else:
            v = _AUTHOR_VALENCE.get(w, 0.0)
            if abs(v) < _LOADED_MIN:
                continue
        out.append(LoadedTerm(t.start, t.end, t.text, float(v)))
    out.sort(key=lambda x: x.start)
    return tuple(out)


# Strongly valenced words that, in news, name an event or a procedure rather than judge it:
# never loaded language on their own (they still count for sentiment toward an actor).
_FACTUAL = _words(
    "convicted indicted indictment arrested arrest jailed charged sentenced fined sued "
    "impeachment impeached investigation investigated suspended banned expelled expulsion "
    "resigned resignation fired murder murdered assault terrorism terrorist weapons weapon "
    "prison cancer disease injured injury violence abuse rape emergency misconduct fraud "
    "corruption lawsuit guilty"
)
_AUTHOR_VALENCE: dict[str, float] = {w: v for w, v in _LEXICON.items() if w not in _FACTUAL}


# ============================================================================================
# Share of voice
# ============================================================================================


def voice_share(framings: Sequence[ParagraphFraming]) -> dict[str | None, dict[str, int]]:
    """Quoted words per speaker over an article: ``{speaker: {"direct": n, "reported": n}}``
    (speaker None: unattributed or not a tracked actor). Each word counts once: nested
    quotations count for the outer speaker, direct quotations inside a reported clause count
    as direct, not also as reported."""
    out: dict[str | None, dict[str, int]] = {}
    for f in framings:
        direct = [q for q in f.quotes if q.kind == "direct"]
        outer = [
            q
            for q in direct
            if not any(o is not q and o.start <= q.start and q.end <= o.end for o in direct)
        ]
        for q in outer:
            d = out.setdefault(q.speaker, {"direct": 0, "reported": 0})
            d["direct"] += q.words
        for q in f.quotes:
            if q.kind != "reported":
                continue
            inner = sum(d.words for d in outer if q.start <= d.start and d.end <= q.end)
            d = out.setdefault(q.speaker, {"direct": 0, "reported": 0})
            d["reported"] += max(0, q.words - inner)
    return out
