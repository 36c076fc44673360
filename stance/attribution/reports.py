"""Reports headed by a noun: ``Carter's claims the party was petty``, ``his accusation that
...``, ``their allegation that ...``, ``the party's statement that ...``, ``her vow to ...``.

The possessor is the source (a name, a description such as ``the party's``, or ``his``, ``her``,
``its``, ``their``), the noun the cue, and the clause after it the content: after ``that``,
an infinitive after a noun of commitment (``promise to``), or, after a noun of claim, a clause
with a subject and a finite verb and no ``that`` (``his claims the party was vindictive``).
Read inside someone else's content by :mod:`.nested` (:func:`noun_report`). At the top of a
sentence :mod:`.cues` reads only ``X's statement that ...`` (statement nouns): reading these
nouns there too moved the classifier's figures (bench/classifier.py) for a gain of 0.001 in
PolNeAR content precision, so it does not."""

from __future__ import annotations

from stance import lexicons as lx
from stance.attribution.clauses import FINITE_VERBS
from stance.attribution.model import CLAUSE_BREAKS, QUOTE_MARKS, Found, Paragraph, Token, inside

# Nouns of claim: they take a clause with "that" or without it ("his claims the party was").
CLAIM_NOUNS = lx.words(
    "claim claims allegation allegations accusation accusations assertion assertions "
    "contention insistence suggestion argument belief view fear fears warning warnings "
    "complaint admission denial charge charges assurance assurances prediction suspicion "
    "conviction conclusion position"
)
# Nouns of commitment or demand: "her vow to ...", "his call for ..." (an infinitive or "that").
COMMITMENT_NOUNS = lx.words(
    "promise promises pledge pledges vow vows threat threats demand demands call calls"
)
# Nouns of saying: with "that" only ("the party's statement that ...").
SAYING_NOUNS = lx.words(
    "statement statements remark remarks comment comments announcement criticism testimony "
    "letter message report"
)
REPORT_NOUNS = CLAIM_NOUNS | COMMITMENT_NOUNS | SAYING_NOUNS

# Possessives that name a time or a place, never a speaker: "yesterday's statement".
_TIME_NOUNS = lx.words(
    "day night morning afternoon evening week weekend month year time moment summer winter "
    "spring autumn fall season"
)
_NOT_POSSESSORS = lx.words(
    "today's yesterday's tomorrow's tonight's week's weekend's month's year's night's "
    "morning's afternoon's evening's day's season's decade's century's it's he's she's "
    "that's there's what's who's here's let's"
)
_WEEKDAYS_AND_MONTHS = lx.words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "june july august september october november december"
)
_FUNCTION_WORDS = lx.NOT_NAMES | lx.AUXILIARIES | FINITE_VERBS | lx.words("s")
_ADJECTIVES_MAX = 2  # "his smug assurances", "her repeated public claims"
_CLAUSE_REACH = 8  # a subject's words before its verb in "claims the party was ..."
_POSSESSOR_MAX = 5  # "dumped MP Chris Carter's"


def possessor(p: Paragraph, lo: int, i: int) -> tuple[int, int] | None:
    """Token range [a, b) of who owns noun ``i`` (``Carter's``, ``the party's``, ``his``),
    adjectives between them skipped; None when nobody does."""
    toks = p.tokens
    k = i - 1
    while k >= lo and i - 1 - k < _ADJECTIVES_MAX and _adjective(toks[k]):
        k -= 1
    if k < lo:
        return None
    t = toks[k]
    if t.low in lx.POSSESSIVE_PRONOUNS:
        return (k, k + 1)
    if not t.low.endswith(("'s", "s'")) or _names_no_one(t):
        return None
    a = k
    while a > lo and k - a < _POSSESSOR_MAX and _name_part(toks[a - 1]):
        a -= 1
    if a > lo and toks[a - 1].low == "the":
        a -= 1  # "the party's", "the Labour Party's"
    return (a, k + 1)


def _names_no_one(t: Token) -> bool:
    """A possessive of a time or a contraction: ``yesterday's``, ``Monday's``, ``it's``."""
    return t.low in _NOT_POSSESSORS or t.low[:-2] in _WEEKDAYS_AND_MONTHS


def _adjective(t: Token) -> bool:
    return (
        t.text.isalpha()
        and t.text.islower()
        and t.low not in _FUNCTION_WORDS
        and t.low not in REPORT_NOUNS
    )


def _name_part(t: Token) -> bool:
    """A word of a possessor's noun phrase: a name's words, roles (``MP``, ``leader``)."""
    if t.text in CLAUSE_BREAKS or t.text in QUOTE_MARKS:
        return False
    if t.text[:1].isupper():
        return t.low not in lx.NOT_NAMES
    return t.low in lx.ROLE_NOUNS or t.low in lx.ORG_WORDS


def noun_report(text: str, p: Paragraph, lo: int, hi: int, i: int, *, owned: bool) -> Found | None:
    """The report noun ``i`` heads within tokens [lo, hi), or None. ``owned``: only with a
    possessor (inside someone else's content, where an unowned claim is theirs)."""
    toks = p.tokens
    noun = toks[i]
    if noun.low not in REPORT_NOUNS or i + 1 >= hi or not noun.text.islower():
        return None
    owner = possessor(p, lo, i)
    if owner is None and owned:
        return None
    start = _content_start(p, i, hi)
    if start is None:
        return None
    end = content_end(p, start, hi)
    if owner is not None and (owner[0] == lo or toks[owner[0] - 1].low in ("that", ",")):
        end = before_main_verb(p, start, end)  # "the governor's claim that P was false"
    if end <= start + 1 and toks[start].text in ".!?":
        return None
    source = (toks[owner[0]].start, toks[owner[1] - 1].end) if owner else None
    return Found(
        "reported",
        [(toks[start].start, toks[end - 1].end)],
        source,
        (noun.start, noun.end),
        source_text=text[source[0] : source[1]] if source else "",
    )


def _content_start(p: Paragraph, i: int, hi: int) -> int | None:
    toks = p.tokens
    noun, nxt = toks[i].low, toks[i + 1]
    if nxt.low == "that":
        after = toks[i + 2] if i + 2 < hi else None
        if after is None or after.low in lx.CUE_VERBS or after.low in lx.AUXILIARIES:
            return None  # "the claims that were made": a relative clause
        return None if toks[i + 2].low in _TIME_NOUNS else i + 2  # "his decision that night"
    if nxt.low == "to" and noun in COMMITMENT_NOUNS and i + 2 < hi and toks[i + 2].text.islower():
        return i + 2  # "her vow to go after ..."
    if noun in CLAIM_NOUNS and _clause_follows(p, i + 1, hi):
        return i + 1
    return None


def _clause_follows(p: Paragraph, j: int, hi: int) -> bool:
    """A clause with its own subject and a finite verb opens at ``j``: ``the party was``,
    ``he had``, ``Carter would``."""
    toks = p.tokens
    first = toks[j]
    subject_like = (
        first.low in ("the", "a", "an", "there", "this", "these", "those")
        or first.low in lx.SUBJECT_PRONOUNS
        or first.low in lx.POSSESSIVE_PRONOUNS
        or (first.text[:1].isupper() and first.low not in lx.NOT_NAMES)
    )
    if not subject_like or inside(first.start, p.quotes):
        return False
    for k in range(j + 1, min(hi, j + _CLAUSE_REACH)):
        t = toks[k]
        if t.text in CLAUSE_BREAKS or t.text in QUOTE_MARKS or t.text in ".!?":
            return False
        if t.low in FINITE_VERBS and t.text.islower():
            return True
    return False


_CLAUSE_LINKS = lx.words("and or but that who which whom whose when where while because if")


def before_main_verb(p: Paragraph, start: int, end: int) -> int:
    """A report that is its sentence's subject ends where the sentence's own verb starts: a
    finite verb after the clause's own, not in its verb group and not after a conjunction or
    a relative pronoun (``the claim that the state was broke was false``)."""
    toks = p.tokens
    seen_verb = False
    for k in range(start + 1, end):
        t = toks[k]
        if t.low not in FINITE_VERBS or not t.text.islower():
            continue
        before = toks[k - 1]
        # "would be cancelled", "has been": an auxiliary before it; "cancelled was" is not
        in_group = before.low in lx.AUXILIARIES or before.low in ("be", "being")
        linked = before.low in _CLAUSE_LINKS or before.text in CLAUSE_BREAKS
        if seen_verb and not in_group and not linked:
            return k
        seen_verb = True
    return end


_CLAUSE_AFTER_COMMA = lx.words(
    "but while whereas although though as because since after before when yet and"
)


def content_end(p: Paragraph, start: int, hi: int) -> int:
    """The clause runs to ``hi`` unless a semicolon, a dash or a bracket closes it first, or a
    comma before a participle or a conjunction (``, saying ...``, ``, but did not ...``)."""
    toks = p.tokens
    for k in range(start + 1, hi):
        t = toks[k]
        quote = inside(t.start, p.quotes)
        closing = quote is not None and quote[1] == t.end and toks[k - 1].text == ","
        comma = closing or (quote is None and t.text == ",")
        if comma and k + 1 < hi and _clause_after_comma(toks[k + 1]):
            return k + 1 if closing else k  # '... "founded ISIS," saying ...'
        if quote is None and t.text in (";", "\u2014", "\u2013", ")", "("):
            return k
    return hi


def _clause_after_comma(t: Token) -> bool:
    return t.text.islower() and (t.low.endswith("ing") or t.low in _CLAUSE_AFTER_COMMA)
