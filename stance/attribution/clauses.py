"""Where the parts of an attribution begin and end: the subject before a cue, the noun
phrase after it, the content clause, the addressee of ``told``, appositions and tags."""

from __future__ import annotations

from typing import NamedTuple

from stance import lexicons as lx
from stance.attribution.model import (
    CIRCUMSTANCE_OPENERS,
    CLAUSE_BREAKS,
    CLAUSE_WORDS,
    NOT_SUBJECT_END,
    QUOTE_MARKS,
    Paragraph,
    Span,
    Token,
    inside,
    quote_kind,
    word_count,
)

_LEADING_ADVERBS = lx.words(
    "today yesterday tonight however meanwhile earlier later also then now still and but so "
    "separately again instead"
)


# adverbs without -ly between a subject or an auxiliary and the verb: "have long argued",
# "has since said", "have both warned", "had ever claimed", "officials now say"
_MID_ADVERBS = lx.words(
    "long ever now since too yet both all each together indeed nonetheless nevertheless "
    "rather instead thus therefore hence meanwhile"
)


def _auxiliary(t: Token) -> bool:
    """``has``, ``also``, ``wouldn't``, ``publicly``, ``long``: between a subject and its
    verb (lower case: not "Kelly said")."""
    return t.low in lx.AUXILIARIES or (
        t.text.islower() and (t.low.endswith(("ly", "n't")) or t.low in _MID_ADVERBS)
    )


def verb_group_start(p: Paragraph, lo: int, i: int) -> int:
    """First token of the auxiliaries and adverbs before the verb at ``i``."""
    b = i
    while b > lo and _auxiliary(p.tokens[b - 1]):
        b -= 1
    return b


def subject_before(p: Paragraph, lo: int, i: int) -> tuple[int, int] | None:
    """Token range [a, b) of the noun phrase before the cue at ``i`` (auxiliaries and adverbs
    between them skipped), or None."""
    toks = p.tokens
    b = i
    while b > lo:
        if _auxiliary(toks[b - 1]):
            b -= 1
        elif toks[b - 1].text == ")":  # "Mike Pence (R-IN) said"
            k = b - 1
            while k > lo and toks[k].text != "(" and b - k < 8:
                k -= 1
            if toks[k].text != "(":
                break
            b = k
        else:
            break
    if b == lo:
        return None
    a = b
    while a > lo and b - a < 12:
        prev = toks[a - 1]
        if prev.text in CLAUSE_BREAKS or prev.text in QUOTE_MARKS or prev.low in CLAUSE_WORDS:
            break
        if prev.text in ".!?":
            break
        a -= 1
    while a < b - 1 and toks[a].low in _LEADING_ADVERBS:
        a += 1  # "Today the Te Atatu MP told": the source is "the Te Atatu MP"
    if a == b or toks[b - 1].low in NOT_SUBJECT_END:
        return None
    return (a, b)


_SENTENCE_OPENERS = lx.words("but and so yet still then now instead meanwhile however")
_SUBJECT_MAX = 8


_OPENING_WORDS = lx.words(
    "on as while when whenever although though if after before because since once unless "
    "until despite amid later earlier ultimately eventually finally afterward afterwards "
    "having based"
)
_OPENING_REACH = 25  # "When Trump suggested that Cuba would sue the U.S. over the deal,"
_DATELINE_DASHES = ("-", "\u2014", "\u2013", "\u2015")


def _past_dateline(p: Paragraph, k: int, i: int) -> int:
    """Past a dateline opening a story: ``ORLANDO \u2014``, ``BUENA PARK, Calif. -``."""
    toks = p.tokens
    j = k
    while j < i and toks[j].text.isupper() and len(toks[j].text) > 1:
        j += 1
    if j == k:
        return k
    for m in range(j, min(i, j + 4)):
        if toks[m].text in _DATELINE_DASHES:
            return m + 1
    return k


def _past_opening_phrase(p: Paragraph, k: int, i: int) -> int:
    """Past a dateline, conjunctions and an opening adverbial, subordinate clause or
    participle set off by a comma (``In Philadelphia on Thursday,``, ``Later that day,``,
    ``When Trump suggested ...,``, ``Speaking to reporters,``) at the start of a sentence."""
    toks = p.tokens
    k = _past_dateline(p, k, i)
    while k < i and (toks[k].text in QUOTE_MARKS or toks[k].low in _SENTENCE_OPENERS):
        k += 1
    if k >= i:
        return k
    first = toks[k]
    prepositional = first.low in lx.PLACE_PREPOSITIONS | _NO_CLAUSE_AFTER
    opening = first.low in _OPENING_WORDS or (
        first.low.endswith(("ing", "ly")) and first.low not in lx.NOT_NAMES and len(first.low) > 4
    )
    if prepositional or opening:
        j = k
        while j < min(i, k + (12 if prepositional else _OPENING_REACH)) and toks[j].text != ",":
            j += 1
        if j < i and toks[j].text == ",":
            return j + 1
    return k


def sentence_subject(p: Paragraph, lo: int, i: int) -> tuple[int, int] | None:
    """The noun phrase opening the sentence, up to its verb: the subject a participle clause
    shares (``Both parents stiffened their denunciation, saying``)."""
    toks = p.tokens
    k = _past_opening_phrase(p, lo, i)
    if k < i and toks[k].low in lx.SUBJECT_PRONOUNS:
        return (k, k + 1)
    a = k
    named = toks[a].text[:1].isupper() and toks[a].low not in lx.NOT_NAMES
    while k < i and k - a < _SUBJECT_MAX:
        t = toks[k]
        if t.text in CLAUSE_BREAKS or t.text in QUOTE_MARKS or _verb_like(t):
            break
        if named and t.text.islower() and t.low not in ("of", "'s", "and"):
            break  # "Sullivan put off ...": a name ends at the first lower-case word
        k += 1
    return (a, k) if k > a and k - a < _SUBJECT_MAX else None


def _verb_like(t: Token) -> bool:
    """A lower-case finite verb or auxiliary: where a sentence's subject ends."""
    if not t.text.islower():
        return False
    return (
        t.low in FINITE_VERBS
        or t.low in lx.AUXILIARIES
        or t.low in lx.CUE_VERBS
        or (t.low.endswith("ed") and len(t.low) > 4)
    )


def colon_follows(p: Paragraph, hi: int) -> bool:
    toks = p.tokens
    return hi > 0 and toks[hi - 1].text == ":"


TAG_TAIL_MAX = 8  # "said in an interview on Monday night": no clause of its own


def skip_tag_tail(p: Paragraph, j: int, hi: int, cue: str = "", longest: int = TAG_TAIL_MAX) -> int:
    """Past what may follow a tag (``he said on Monday``, ``Mr Little said last night``,
    ``she told reporters``); -1 when a clause or an object follows instead (``video showed
    the fighters``: then it is not a tag)."""
    toks = p.tokens
    start = j
    if j < hi and toks[j].text[:1].isalnum() and cue not in lx.ADDRESSEE_VERBS:
        t = toks[j]
        if t.low not in _TAIL_OPENERS and not (t.text.islower() and t.low.endswith("ly")):
            return -1
    while j < hi and toks[j].text not in (",", ".", "!", "?", ";", ":"):
        if toks[j].text in QUOTE_MARKS:
            break
        if (
            j - start >= longest
            or toks[j].low in lx.SUBJECT_PRONOUNS
            or toks[j].low in FINITE_VERBS
            or toks[j].low == "that"
        ):
            return -1  # a clause follows the verb: "states Carter had discussions"
        j += 1
    return j


class TokenRange(NamedTuple):
    """Tokens ``[start, end)`` of a paragraph."""

    start: int
    end: int


class Subject(NamedTuple):
    """Who a cue is attributed to: ``whole`` is the source as written (with an apposition or
    an aside set off by commas), ``head`` the noun phrase that names them."""

    whole: TokenRange
    head: TokenRange


_DASHES = ("\u2014", "\u2013")
_SET_OFF_MAX = 45  # tokens of an apposition or aside between a subject and its verb


def _closing_mark(p: Paragraph, close: int) -> str | None:
    """The mark ending an aside just before a verb: a comma or a dash (``--`` included)."""
    t = p.tokens[close].text
    if t == "," or t in _DASHES:
        return t
    if t == "-" and close > 0 and p.tokens[close - 1].text == "-":
        return "--"
    return None


def _aside_opener(p: Paragraph, lo: int, end: int, mark: str) -> int | None:
    """The comma, dash or bracket opening the aside that ends at ``end``; ``lo - 1`` when the
    sentence starts first; None when the aside crosses a quotation or a clause end."""
    toks = p.tokens
    k = end - 1
    while k >= lo and end - k < _SET_OFF_MAX:
        t = toks[k].text
        if t == ")":
            while k > lo and toks[k].text != "(" and end - k < _SET_OFF_MAX:
                k -= 1
        elif t in QUOTE_MARKS or t in (".", "!", "?", ";", ":"):
            return None
        elif (
            mark == ","
            and (t in (",", "(") or t in _DASHES)
            or mark != ","
            and (t == mark or (mark == "--" and _closing_mark(p, k) == "--"))
        ):
            return k
        k -= 1
    return lo - 1 if k < lo else None


def set_off_subject(p: Paragraph, lo: int, close: int) -> Subject | None:
    """The subject before an aside that ends at token ``close`` (a comma or dash before the
    verb): ``Vikram Amar, dean of the law school, said``, ``Mr. Graham, though, said``,
    ``Sen. Jack Reed (D-R.I.), said``, ``Trump -- in Iowa -- said``, ``Hall, who led the
    council, said``, ``Greg Raiff, chief executive of X, an aviation firm, said``."""
    toks = p.tokens
    mark = _closing_mark(p, close)
    if mark is None:
        return None
    end = close - 1 if mark == "--" else close
    opener = _aside_opener(p, lo, end, mark)
    if opener is None:
        return None
    if opener < lo:  # "Sen. Jack Reed (D-R.I.), said": no aside opens, brackets end the name
        if toks[end - 1].text != ")":
            return None
        head = subject_before(p, lo, end)
        if head is None or any(t.low in FINITE_VERBS for t in toks[head[0] : end]):
            return None
        return Subject(TokenRange(head[0], end), TokenRange(*head))
    np_end = opener - 1 if toks[opener].text == "-" and toks[opener - 1].text == "-" else opener
    head = subject_before(p, lo, np_end)
    for _ in range(_ASIDES_MAX):  # "Brianne Stone, 29, of Huntsville, Ala., says"
        if head is None or toks[head[0]].text[:1].isupper() or toks[head[0] - 1].text != ",":
            break
        head = subject_before(p, lo, head[0] - 1) or head
        if head[0] - 1 <= lo:
            break
    if head is None:
        return None
    a, b = head
    named = apposition_start(p, lo, a)  # "Greg Raiff, chief executive of X, an ... firm,"
    if named < a:
        a, b = named, a - 1
    return Subject(TokenRange(a, end), TokenRange(a, b))


_ASIDES_MAX = 3


def apposition_start(p: Paragraph, lo: int, a: int) -> int:
    """``Richard Revesz, director of the institute, said``: where the name before the
    apposition starts (``a`` itself when there is none)."""
    toks = p.tokens
    if a - 2 < lo or toks[a - 1].text != ",":
        return a
    k = a - 2
    while (
        k > lo
        and toks[k - 1].text[:1].isupper()
        and toks[k - 1].low not in lx.NOT_NAMES
        and a - k < 7
    ):
        k -= 1
    opens = k == lo or toks[k - 1].text in (",", "(") or toks[k - 1].low in ("but", "and")
    name = toks[k].text[:1].isupper() and toks[k].low not in lx.NOT_NAMES
    # "Later, she said": an opening adverb is no name with an apposition after it
    name = name and toks[k].low not in _LEADING_ADVERBS and toks[k].low not in _OPENING_WORDS
    if opens and name and toks[a - 2].text[:1].isupper():
        return k
    return a


_ADVERBIAL_OPENERS = lx.words(
    "on in at during last this yesterday today earlier later recently after before "
    "monday tuesday wednesday thursday friday saturday sunday publicly privately repeatedly "
    "again also"
)

_NO_CLAUSE_AFTER = lx.words(
    "to for of about with during after before since over through under within"
)


_TAIL_OPENERS = (
    lx.PLACE_PREPOSITIONS
    | _ADVERBIAL_OPENERS
    | _NO_CLAUSE_AFTER
    | lx.words(
        "by on with during via over after before tonight yesterday today again then of as "
        "while when at afterward afterwards later earlier recently now here there simply "
        "softly quietly"
    )
)


def _base(cue: str) -> str:
    return lx.BASE_FORM.get(cue, cue)


def content_start(p: Paragraph, j: int, hi: int, cue: str) -> int | None:
    """First token of the content after a cue, or ``hi`` when the sentence ends (colon)."""
    toks = p.tokens
    if j < hi and toks[j].text == ":":
        return j + 1 if j + 1 < hi else hi
    if j < hi and toks[j].low in lx.ADDRESSEE_VERBS and cue in lx.SPEECH_VERBS:
        cue, j = toks[j].low, j + 1  # "Mr Carter said told Radio New Zealand he ...": a slip
    if cue in lx.ADDRESSEE_VERBS:
        k = j
        while k < min(hi, j + 14) and toks[k].text not in QUOTE_MARKS:
            if toks[k].low == "that":
                return k + 1 if k + 1 < hi else None
            if toks[k].text in (":",):
                return k + 1 if k + 1 < hi else hi
            k += 1
        j = _skip_object(p, j, hi)
        if j < hi and toks[j].low in ("said", "says", "that"):
            j += 1  # "told Radio New Zealand said the party ...": a slip of the pen
    # adverbials before the clause: "said on Monday that", "said in a statement that"
    if j < hi and toks[j].low in _ADVERBIAL_OPENERS:
        k, stop = j, min(hi, j + 10)
        while k < stop and toks[k].text not in (",", ".", ":") and toks[k].text not in QUOTE_MARKS:
            if toks[k].low == "that":
                return k + 1 if k + 1 < hi else None
            k += 1
    if j < hi and toks[j].text in (",",):
        j += 1
    if j < hi and toks[j].low == "that":
        j += 1
    if j >= hi or toks[j].text in (".", "!", "?"):
        return hi if j < hi and toks[hi - 1].text == ":" else None
    particle = lx.PHRASAL_CUES.get(_base(cue))
    if particle and toks[j].low in particle:
        return j + 1 if j + 1 < hi else None  # "called for a ban", "spoke about the war"
    if toks[j].low == "to" and cue in lx.INTENTION_VERBS:
        return j  # "she wants to triple the program": a stated intention
    if _base(cue) in lx.PHRASAL_ONLY:
        return None  # "pushed the car", "pointed the way": not speech without the particle
    if (
        toks[j].low in _NO_CLAUSE_AFTER | {"by", "from", "in", "on", "at"}
        and cue in lx.SPEECH_VERBS
        and cue not in ("tell", "told")
    ):
        # "said in a statement" (no clause): the content is whatever follows a comma
        return None if toks[j].low in _NO_CLAUSE_AFTER else j
    return j


_INDIRECT_QUESTION = lx.words("whether if how what why when who where to that")


def _skip_object(p: Paragraph, j: int, hi: int) -> int:
    """Past the addressee of ``told``: ``reporters``, ``the Herald``, ``Radio New Zealand``,
    ``National Radio's Kathryn Ryan on Nine to Noon this morning``."""
    toks = p.tokens
    k = j
    if k < hi and toks[k].low in ("the", "a", "an", "his", "her", "their", "its"):
        k += 1
        if k < hi and toks[k].text.islower() and toks[k].low not in _INDIRECT_QUESTION:
            k += 1  # "asked the network to ...", "told the crowd that ..."
    while (
        k < hi
        and (toks[k].text[:1].isupper() or toks[k].low in ("'s", "s"))
        and toks[k].low not in lx.SUBJECT_PRONOUNS
    ):
        k += 1
    if k == j and k < hi:
        k += 1  # "told reporters"
    # a time phrase after the object
    while k < hi and toks[k].low in (
        "on",
        "this",
        "last",
        "yesterday",
        "today",
        "morning",
        "night",
        "week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "to",
        "noon",
        "nine",
    ):
        k += 1
    return k


def content_before(p: Paragraph, lo: int, comma: int) -> list[Span]:
    """Content of a tag: the quotation that ends just before it, else the clause from the
    sentence start."""
    toks = p.tokens
    if comma < lo:
        return []
    end_tok = toks[comma]
    first = toks[lo]
    q = inside(end_tok.start, p.quotes) or inside(max(end_tok.start - 1, 0), p.quotes)
    if q is not None and (q[0] <= first.start + 1 or word_count(p, (first.start, q[0])) < 4):
        return [q]
    if q is not None:  # "His first job involved ''a painful incident,'' Mr. Oppenheim noted."
        return [(first.start, q[1])]
    if first.start >= end_tok.start:
        return []
    return [(first.start, end_tok.start)]


_NP_DETERMINERS = lx.words(
    "the a an this that these those his her its their our my your some many several both "
    "each every no all any"
)


def split_subject(p: Paragraph, lo: int, end: int, j: int, hi: int) -> bool:
    """``The bridge, the mayor said, would reopen in May``: whether tokens [lo, end) before a
    tag are a noun phrase (opened by a determiner or a name) whose verb opens the clause
    after the comma at ``j``; not an opening adverbial (``Later,``, ``However,``, ``In
    May,``), after which the clause has its own subject."""
    toks = p.tokens
    while lo < end and toks[lo].text in QUOTE_MARKS:
        lo += 1
    if lo >= end or not (0 <= j < hi - 1 and toks[j].text == ","):
        return False
    first, verb = toks[lo], toks[j + 1]
    adverbial = (
        first.low in lx.NOT_NAMES
        or first.low in _OPENING_WORDS
        or first.low in _LEADING_ADVERBS
        or first.low.endswith(("ly", "ing"))
    )
    named = first.text[:1].isupper() and not adverbial
    if not (first.low in _NP_DETERMINERS or named):
        return False
    return verb.text.islower() and (verb.low in FINITE_VERBS or verb.low in lx.AUXILIARIES)


def substantial(p: Paragraph, content: list[Span]) -> bool:
    """A tag's content is a quotation or a clause, not ``Last night,``."""
    return quote_kind(p, content) == "direct" or word_count(p, content[0]) >= 3


_RELATIVE_OPENERS = lx.words("which who whom whose where")


def clause_after(p: Paragraph, j: int, hi: int, quoted: bool = False) -> list[Span]:
    """``CONTENT, he said, MORE.``: a tag in mid-sentence governs the rest too; not a
    relative clause, nor after a quotation (``quoted``) a circumstance: those are the
    author's (``"...," the coach said after the match, which his side lost``, ``"...," she
    said, as the crowd booed``); ``, before adding that ...`` is the speaker's again."""
    toks = p.tokens
    if not (0 <= j < hi - 1 and toks[j].text == "," and toks[j + 1].text not in QUOTE_MARKS):
        return []
    opener = toks[j + 1].low
    if opener in _RELATIVE_OPENERS:
        return []
    if quoted and opener in CIRCUMSTANCE_OPENERS and not _speech_participle(p, j + 2, hi):
        return []
    return [(toks[j + 1].start, toks[hi - 1].end)]


def _speech_participle(p: Paragraph, k: int, hi: int) -> bool:
    """``clarifying``, ``insisting``: a speech verb in -ing at ``k``."""
    t = p.tokens[k] if k < hi else None
    return t is not None and t.low.endswith("ing") and t.low in lx.CUE_VERBS


def quote_after(p: Paragraph, j: int, hi: int) -> list[Span]:
    """The second half of a split quotation: ``"...," he said, "MORE."``"""
    toks = p.tokens
    while j < hi and toks[j].text in (",",):
        j += 1
    if j < hi:
        q = inside(toks[j].start, p.quotes)
        if q is not None:
            return [q]
    return []


FINITE_VERBS = lx.words(
    "would will was is had has have were are could should can may might must did does do "
    "'s 're 'd 'll"
)


_NOUN_PHRASE_MAX = 14


def noun_phrase_after(
    p: Paragraph, j: int, hi: int, longest: int = _NOUN_PHRASE_MAX
) -> tuple[int, int] | None:
    """``said Mr Goff``, ``said the party's president``: the phrase up to punctuation."""
    toks = p.tokens
    k = j
    while (
        k < hi
        and toks[k].text not in (",", ".", "!", "?", ";", ":")
        and toks[k].text not in QUOTE_MARKS
        and k - j < longest
    ):
        k += 1
    if k - j >= longest:
        return None  # "said Trump campaign strategists plan to secure ...": a clause
    if j < k and (
        toks[j].low in lx.PLACE_PREPOSITIONS
        or toks[j].low in _NO_CLAUSE_AFTER
        or toks[j].low == "that"
    ):
        return None  # "said in an interview", "said on Monday": no source after the verb
    if k == j or any(t.low in FINITE_VERBS for t in toks[j:k]):
        return None  # "said he would take the fight on": a clause, not who said it
    if toks[j].low in lx.SUBJECT_PRONOUNS and k - j > 1:
        return None
    if toks[j].low in _ADVERBIAL_OPENERS or any(
        t.low in ("he", "she", "they", "i", "we") for t in toks[j + 1 : k]
    ):
        return None  # "said Wednesday he agrees": a time and a clause
    return (j, k)
