"""Where a mention stands and what its own phrase says of it (pure, no Django).

:mod:`stance.mention_features` splits the rule scorer's reading of a sentence into parts;
this module adds what a target-aware reader looks at first, dependency-free:

* **what the target is**: a place, an organisation, a date, a group, a common noun or "it",
  a titled person (shipped word lists of :mod:`stance.lexicons`). In NewsMTSC's sentences
  with several targets the person a sentence is about takes its sentiment; the place, the
  day and the institution beside them mostly do not;
* **where the mention stands**: after a preposition of place or time ("in Ohio"), after "of"
  or another preposition, as a possessor ("X's"), how far into the sentence, before a comma,
  in a headline (no closing punctuation, most words capitalised);
* **what its own phrase says of it**: the sentiment of the predicate ("X was reckless"), an
  apposition ("X, a decorated veteran,"), words right before it ("corrupt Senator X"), what
  it possesses ("X's failure"), the noun governing it ("criticism of X"), the verb phrase it
  is the subject of; and a contrast ("but", "however") with the sentiment on its far side;
* **what it does or undergoes**: verbs that concede or deny ("X admitted", "X claimed"),
  succeed or fail ("X won", "X resigned"), raise or harm it in the passive ("X was elected",
  "X was arrested");
* **what it says, and what is said of it again**: the sentiment of the target's own quoted or
  reported words ("'We will win,' X said": NewsMTSC's annotators read a speaker by what they
  say, although the rule reading leaves those words out), and of the words around "he", "his",
  "her" after a named target before another name comes.

The default scorer (:mod:`stance.default_sentiment`) calibrates them beside the rule
reading's parts; :data:`stance.mention_features.FEATURES` (the trained model's branch) does
not include them.
"""

from __future__ import annotations

import math
import re

from vaderSentiment.vaderSentiment import N_SCALAR

from stance import lexicons as lx
from stance.rule_sentiment import Reading, _is_negator, _own_speech_mask, _valence
from stance.sentiment_lexicon import CLAUSE_BREAKS

__all__ = ["TARGET_FEATURES", "target_features"]

TARGET_FEATURES = (
    "predicate_positive",  # "X is / was / seems ..." up to the clause's end (8 words)
    "predicate_negative",
    "apposition_positive",  # "X, ..." up to the next comma (8 words)
    "apposition_negative",
    "modifier_positive",  # up to three words right before the mention
    "modifier_negative",
    "possessed_positive",  # "X's ..." (3 words)
    "possessed_negative",
    "governor_positive",  # "... of / for / against X": the words before the preposition
    "governor_negative",
    "verb_phrase_positive",  # "X <verb> ...": the mention as subject (6 words)
    "verb_phrase_negative",
    "has_contrast",  # "but", "however", "although" ... in the sentence
    "after_contrast",  # the mention comes after it
    "far_side_positive",  # sentiment on the other side of the contrast
    "far_side_negative",
    "is_headline",  # no closing punctuation
    "capitalised_share",  # share of capitalised words in the sentence
    "is_place",
    "is_organisation",
    "is_time",
    "is_group",
    "is_common_noun",  # no capital letter and not a personal pronoun ("the economy")
    "is_it",
    "has_title",  # a title or role noun in the mention ("Sen.", "President")
    "name_words",  # words in the mention (at most 5)
    "after_place_preposition",  # "in / at / from / on ... X"
    "after_of",
    "after_other_preposition",  # "with / by / for / against ... X"
    "is_possessive",  # "X's", "his", "her"
    "relative_position",  # 0 at the sentence's first word, 1 at its last
    "before_comma",
    "log_sentence_words",
    "concedes",  # "X admitted / denied / claimed / apologised ..."
    "succeeds",  # "X won / defeated / leads / vowed ..."
    "fails",  # "X lost / resigned / refused ..."
    "is_raised",  # "X was elected / named / appointed ..."
    "is_harmed",  # "X was arrested / charged / convicted ..."
    "speaks",  # the target's own words follow or precede it ("X said ...", "'...,' X said")
    "own_words_positive",
    "own_words_negative",
    "referred_again",  # "he", "his", "her" ... after a named target, before another name
    "referred_positive",  # within three words of those pronouns
    "referred_negative",
)

_COPULA = lx.words("is was are were be been being remains remained seems seemed became becomes 's")
_SKIP = lx.words("has have had also not never still just already reportedly")
_GOVERNING = lx.words("of for against on toward towards with about over at to from by")
_CONTRAST = lx.words("but however although though yet whereas despite")
_EDGES = CLAUSE_BREAKS | {",", ";", ".", ":", "(", ")"}
_ARTICLES = lx.words("the a an this that")
_BEFORE_NAME = _ARTICLES | lx.words("former president mr. mrs. ms. mr mrs ms sen. rep. dr. gov.")
_PLACE_PREPOSITIONS = (lx.PLACE_PREPOSITIONS | lx.words("on during since")) - {"to"}
_OTHER_PREPOSITIONS = lx.words(
    "with by for about against over to toward towards between among like than"
)
_TIME_WORDS = lx.words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december year week month day today "
    "yesterday night morning evening weekend time"
)
_PERSONAL = lx.words("he she him her his hers they them their i me my we us our you your")
_IT = lx.words("it its this that")
_POSSESSIVE_WORDS = lx.words("his her their its")
_CONCEDES = lx.words(
    "admit admits admitted acknowledge acknowledged acknowledges concede conceded concedes deny "
    "denied denies apologize apologized apologizes apologise apologised apologises claim "
    "claimed claims insist insisted insists allege alleged boasted bragged"
)
_SUCCEEDS = lx.words(
    "win wins won defeat defeats defeated beat beats lead leads leading promise promised "
    "promises vow vowed vows thank thanked thanks"
)
_FAILS = lx.words(
    "lose loses lost resign resigns resigned refuse refused refuses fail failed fails quit quits"
)
_RAISED = lx.words(
    "elected named appointed confirmed nominated chosen selected promoted honored honoured awarded"
)
_HARMED = lx.words(
    "arrested charged indicted convicted sentenced jailed killed shot detained accused sued "
    "fired ousted impeached"
)
_VERB_SKIP = lx.words(
    "has have had also later then repeatedly once again publicly quickly reportedly himself "
    "herself ,"
)
_PASSIVE_AUX = lx.words("was were is are been being be has have had got")
_REFERRING = lx.words("he him his she her hers himself herself")
_WORD_RE = re.compile(r"[\w.'\u2019-]+")
_CLOSING = (".", "?", "!", '"', "'", "\u201d", "\u2019", ")")


def _signed_valence(toks, i: int, hidden) -> float:
    """The word's lexicon valence, negated by a negator in the three words before it."""
    if hidden and hidden[i]:
        return 0.0
    v = _valence(toks, i)
    if not v:
        return 0.0
    for j in range(i - 1, max(0, i - 4) - 1, -1):
        if toks[j].low in _EDGES:
            break
        if _is_negator(toks[j].low):
            return v * N_SCALAR
    return v


def _mass(read: Reading, a: int, b: int, stop_at_edge: bool = True) -> tuple[float, float]:
    """(positive, negative) valence summed over tokens a..b, up to a clause edge."""
    pos = neg = 0.0
    for i in range(max(a, read.first), min(b, read.last) + 1):
        if stop_at_edge and i > a and read.toks[i].low in _EDGES:
            break
        v = _signed_valence(read.toks, i, read.hidden)
        pos, neg = (pos + v, neg) if v > 0 else (pos, neg + v)
    return pos, neg


def _after_skips(read: Reading, i: int) -> int:
    while i <= read.last and read.toks[i].low in _SKIP:
        i += 1
    return i


def _phrase(read: Reading) -> list[float]:
    """The twelve masses of the mention's own phrase (:data:`TARGET_FEATURES`' first)."""
    toks, lo, hi = read.toks, read.lo, read.hi
    nxt = _after_skips(read, hi + 1)
    zero = (0.0, 0.0)
    predicate = (
        _mass(read, nxt + 1, nxt + 8) if nxt <= read.last and toks[nxt].low in _COPULA else zero
    )
    apposition = _mass(read, hi + 2, hi + 9) if hi < read.last and toks[hi + 1].low == "," else zero
    modifier = [0.0, 0.0]
    for i in range(lo - 1, max(read.first, lo - 3) - 1, -1):
        if toks[i].low in _EDGES or toks[i].low in _GOVERNING:
            break
        v = _signed_valence(toks, i, read.hidden)
        modifier[v < 0] += v
    possessed = zero
    if hi < read.last and toks[hi + 1].low in ("'s", "\u2019s", "'"):
        possessed = _mass(read, hi + 2, hi + 4)
    elif toks[hi].low.endswith(("'s", "\u2019s")) or toks[hi].low in _POSSESSIVE_WORDS:
        possessed = _mass(read, hi + 1, hi + 3)
    governor = zero
    k = lo - 1
    while (
        k >= read.first and k > lo - 4 and (toks[k].low in _ARTICLES or toks[k].text[:1].isupper())
    ):
        k -= 1
    if k >= read.first and toks[k].low in _GOVERNING:
        g = [0.0, 0.0]
        for i in range(k - 1, max(read.first, k - 3) - 1, -1):
            if toks[i].low in _EDGES:
                break
            v = _signed_valence(toks, i, read.hidden)
            g[v < 0] += v
        governor = (g[0], g[1])
    verb_phrase = zero
    if nxt <= read.last and toks[nxt].low not in _EDGES and not toks[nxt].text[:1].isupper():
        verb_phrase = _mass(read, nxt, nxt + 6)
    return [*predicate, *apposition, *modifier, *possessed, *governor, *verb_phrase]


def _contrast(read: Reading) -> list[float]:
    toks = read.toks
    marks = [i for i in range(read.first, read.last + 1) if toks[i].low in _CONTRAST]
    if not marks:
        return [0.0, 0.0, 0.0, 0.0]
    c = marks[0]
    far = (c + 1, read.last) if c > read.hi else (read.first, c - 1)
    return [1.0, float(c < read.lo), *_mass(read, *far, stop_at_edge=False)]


def _kind(text: str, start: int, end: int) -> list[float]:
    """What the target is, from its words and the word before it."""
    surface = text[start:end].strip()
    low = surface.lower()
    words = [w.removesuffix("'s").removesuffix("\u2019s") for w in _WORD_RE.findall(low)]
    core = [w for w in words if w not in _ARTICLES and w not in ("last", "next")]
    before = text[max(0, start - 12) : start].lower().split()
    capitalised = surface[:1].isupper()
    return [
        float(
            low.removeprefix("the ") in lx.PLACES
            or any(w in lx.PLACE_WORDS for w in core)
            or (bool(before) and before[-1] in lx.PLACE_PREPOSITIONS and capitalised)
        ),
        float(
            any(w in lx.ORG_WORDS for w in core)
            or (len(core) == 1 and len(surface) >= 2 and surface.replace(".", "").isupper())
        ),
        float(any(w in _TIME_WORDS for w in core) or any(c.isdigit() for c in surface)),
        float(any(w in lx.NATIONALITIES_AND_GROUPS for w in core)),
        float(not any(c.isupper() for c in surface) and low not in _PERSONAL and low not in _IT),
        float(low in _IT),
        float(any(w in lx.TITLES or w in lx.ROLE_NOUNS for w in core)),
        float(min(len(core), 5)),
    ]


def _place(read: Reading, text: str, start: int, end: int) -> list[float]:
    """Where the mention stands in its sentence."""
    toks, lo, hi = read.toks, read.lo, read.hi
    k = lo - 1
    while k >= read.first and toks[k].low in _BEFORE_NAME:
        k -= 1
    prev = toks[k].low if k >= read.first else ""
    nxt = toks[hi + 1].low if hi < read.last else ""
    possessive = (
        nxt in ("'s", "\u2019s", "'")
        or toks[hi].low.endswith(("'s", "\u2019s"))
        or text[start:end].strip().lower() in _POSSESSIVE_WORDS
    )
    span = max(1, read.last - read.first)
    return [
        float(prev in _PLACE_PREPOSITIONS),
        float(prev == "of"),
        float(prev in _OTHER_PREPOSITIONS),
        float(possessive),
        (lo - read.first) / span,
        float(nxt == ","),
        math.log1p(read.last - read.first),
    ]


def _deeds(read: Reading) -> list[float]:
    """What the mention does (its verb) or undergoes (a passive verb after it)."""
    toks, last = read.toks, read.last
    j = read.hi + 1
    while j <= last and toks[j].low in _VERB_SKIP:
        j += 1
    verb = toks[j].low if j <= last else ""
    j, passive = read.hi + 1, False
    while j <= last and (toks[j].low in _PASSIVE_AUX or toks[j].low in _VERB_SKIP):
        passive = passive or toks[j].low in _PASSIVE_AUX
        j += 1
    undergone = toks[j].low if passive and j <= last else ""
    return [
        float(verb in _CONCEDES),
        float(verb in _SUCCEEDS),
        float(verb in _FAILS),
        float(undergone in _RAISED),
        float(undergone in _HARMED),
    ]


def _voice(read: Reading, text: str, start: int, end: int) -> list[float]:
    """The target's own words, and what is said around the pronouns that refer back to it."""
    toks = read.toks
    own = _own_speech_mask(text, toks, start, end)
    said = [0.0, 0.0]
    for i in range(read.first, read.last + 1) if own else ():
        if own[i]:
            v = _signed_valence(toks, i, read.hidden)
            said[v < 0] += v
    again, around = 0.0, [0.0, 0.0]
    if toks[read.lo].text[:1].isupper() and toks[read.lo].low not in _REFERRING:
        for j in range(read.hi + 1, read.last + 1):
            if toks[j].text[:1].isupper() and toks[j].low not in lx.NOT_NAMES:
                break  # another name: the pronouns after it may be its
            if toks[j].low in _REFERRING:
                again = 1.0
                for i in range(max(read.hi + 1, j - 3), min(read.last, j + 3) + 1):
                    v = 0.0 if i == j else _signed_valence(toks, i, read.hidden)
                    around[v < 0] += v
    return [float(own is not None), *said, again, *around]


def target_features(read: Reading, text: str, start: int, end: int) -> list[float]:
    """One value per name in :data:`TARGET_FEATURES` for the mention read as ``read``."""
    toks = read.toks
    sentence = text[toks[read.first].start : toks[read.last].end]
    words = [t.text for t in toks[read.first : read.last + 1] if t.text[:1].isalpha()]
    headline = [
        float(not sentence.rstrip().endswith(_CLOSING)),
        sum(w[:1].isupper() for w in words) / max(1, len(words)),
    ]
    return [
        *_phrase(read),
        *_contrast(read),
        *headline,
        *_kind(text, start, end),
        *_place(read, text, start, end),
        *_deeds(read),
        *_voice(read, text, start, end),
    ]
