"""Cues and their clauses, sentence by sentence: ``X said (that) ...``, ``..., X said``,
``according to X``, ``X's claim that ...``, statement headings, transcripts and signed lines."""

from __future__ import annotations

import re

from stance import lexicons as lx
from stance.attribution.clauses import (
    FINITE_VERBS,
    TAG_TAIL_MAX,
    TokenRange,
    apposition_start,
    clause_after,
    colon_follows,
    content_before,
    content_start,
    noun_phrase_after,
    quote_after,
    sentence_subject,
    set_off_subject,
    skip_tag_tail,
    split_subject,
    subject_before,
    substantial,
    verb_group_start,
)
from stance.attribution.model import (
    CLAUSE_BREAKS,
    QUOTE_MARKS,
    Found,
    Paragraph,
    Span,
    Token,
    inside,
    quote_kind,
    within,
)
from stance.attribution.reports import before_main_verb, content_end


def find_in_paragraph(text: str, p: Paragraph, prev: Paragraph | None) -> None:
    toks = p.tokens
    speaker_line = _speaker_line(text, p) or _signed_heading(text, p)
    after_line = p.start
    if speaker_line is not None:
        p.found.append(speaker_line)
        after_line = max(e for _, e in speaker_line.content)
        if after_line >= p.end:
            return
    si = 0
    sentences = p.sentences or [(p.start, p.end)]
    by_sentence: list[list[int]] = [[] for _ in sentences]
    for i, t in enumerate(toks):
        while si < len(sentences) - 1 and t.start >= sentences[si][1]:
            si += 1
        by_sentence[si].append(i)
    for (s_start, s_end), idx in zip(sentences, by_sentence, strict=True):
        if idx and s_start >= after_line:  # the lines after a speaker's line, if any
            _find_in_sentence(text, p, idx[0], idx[-1] + 1, s_start, s_end)


_SPEAKER_LINE_RE = re.compile(
    r"[\"\u201c]?((?:[A-Z][\w.'\u2019-]*[ \t]+){0,3}[A-Z][\w.'\u2019-]*)[ \t]*"
    r"(:|[\u2015\u2014][ \t]*(?=[\"\u201c\u201d]))[ \t]*(?=\S)"
)


def _speaker_line(text: str, p: Paragraph) -> Found | None:
    """A paragraph that opens with a name and a colon or dash: transcripts (``PENCE: Well,
    look...``), vox pops (``Jane Doe \u2015 "..."``) and headlines (``Key: Labour not happy``)."""
    m = _SPEAKER_LINE_RE.match(text, p.start, p.end)
    if m is None or m.end() >= p.end:
        return None
    name = m.group(1)
    if name.split()[0].lower() in lx.NOT_NAMES or any(c.isdigit() for c in name):
        return None
    line_end = text.find("\n", m.end(), p.end)  # a turn is one line
    return Found(
        "direct" if text[m.end()] in QUOTE_MARKS or name.isupper() else "reported",
        [(m.end(), p.end if line_end < 0 else line_end)],
        (m.start(1), m.end(1)),
        (m.start(2), m.end(2)),
        source_text=name,
    )


_SIGNED_HEADING_RE = re.compile(
    r"(?P<content>[^\n]{3,120}?)[ \t]+[-\u2013\u2014\u2015][ \t]+"
    r"(?P<name>(?:[A-Z][\w'\u2019-]*[ \t]?){1,3})[ \t]*$"
)


def _signed_heading(text: str, p: Paragraph) -> Found | None:
    """A subheading signed with a name: ``Carter's position untenable - Williams``."""
    if len(p.tokens) > 16 or p.tokens[-1].text in ".!?":
        return None
    m = _SIGNED_HEADING_RE.fullmatch(text, p.start, p.end)
    if m is None or m.group("name").split()[0].lower() in lx.NOT_NAMES:
        return None
    return Found(
        quote_kind(p, [m.span("content")]),
        [m.span("content")],
        m.span("name"),
        None,
        source_text=m.group("name").strip(),
    )


def _find_in_sentence(text: str, p: Paragraph, lo: int, hi: int, s_start: int, s_end: int) -> None:
    """Cues left to right; a cue inside content already found counts only as a tag whose
    content reaches back over that attribution (``CONTENT, an official said``, where
    CONTENT had a cue of its own): both are kept, the inner nested in the outer."""
    toks = p.tokens
    taken_until = lo
    headline = _is_headline(toks, lo, hi)
    last: Found | None = None
    for i in range(lo, hi):
        t = toks[i]
        if inside(t.start, p.quotes):
            continue
        found = _cue_at(text, p, lo, hi, i, headline)
        if found is None:
            continue
        if i < taken_until and (last is None or not _tag_over(found, last, t.start)):
            boundary = _new_clause(p, last, found, i) if last is not None else None
            if boundary is None:
                if last is not None:
                    _nest(p, i, found, last)
                continue
            cut = toks[boundary].start  # "X criticized the media, though he added that ..."
            last.content = [(s, min(e, cut)) for s, e in last.content if s < cut]
            last.kind = quote_kind(p, last.content) if last.content else last.kind
            p.found.extend(g for g in last.inner if not within(g, last))  # now on their own
            last.inner = [g for g in last.inner if within(g, last)]
        if last is not None and _shares_tag(toks, i, last):
            # "..., a Chinese official said, adding that ...": the participle's subject
            found.source, found.head, found.source_text = last.source, last.head, last.source_text
        p.found.append(found)
        last = found
        end = max(e for _, e in found.content) if found.content else t.end
        while taken_until < hi and toks[taken_until].start < end:
            taken_until += 1
        taken_until = max(taken_until, i + 1)


def _nest(p: Paragraph, i: int, found: Found, last: Found) -> None:
    """``X said that Y believes Z``: Y's belief, nested in ``last``'s content (never X's
    participle: ``..., X said, adding that ...``)."""
    if within(found, last) and not _shares_tag(p.tokens, i, last):
        last.inner.append(found)


def _shares_tag(toks: list[Token], i: int, last: Found) -> bool:
    """``..., a Chinese official said, adding that ...``: a participle after a tag."""
    t = toks[i]
    return (
        t.low.endswith("ing")
        and t.low in lx.CUE_VERBS
        and toks[i - 1].text == ","
        and last.cue is not None
        and bool(last.content)
        and last.content[0][0] < last.cue[0]  # a tag, not "X, who backs Y, ..."
    )


_CLAUSE_JOINERS = lx.words("though although while whereas but and yet as so")
_NEW_CLAUSE_REACH = 12


def _new_clause(p: Paragraph, last: Found, found: Found, i: int) -> int | None:
    """Where a clause with a subject and cue of its own starts inside ``last``'s content:
    ``, though he added``, ``; others said``, ``and others have said``, ``but said``. The
    token that opens it, or None."""
    toks = p.tokens
    if found.source is None or last.cue is None:
        return None
    for k in range(i - 1, max(i - _NEW_CLAUSE_REACH, 0), -1):
        t = toks[k]
        if t.start <= last.cue[1] or t.text in QUOTE_MARKS:
            return None
        if t.text == ";" or (t.text == "," and toks[k + 1].low in _CLAUSE_JOINERS):
            return k if found.source[0] > t.start or toks[k + 1].low in _CLAUSE_JOINERS else None
        if t.low in ("and", "but") and toks[k - 1].text != ",":
            shared = verb_group_start(p, k + 1, i) == k + 1  # "... but said": one subject
            return k if shared or found.source[0] >= toks[k + 1].start else None
    return None


def _cue_at(text: str, p: Paragraph, lo: int, hi: int, i: int, headline: bool) -> Found | None:
    toks = p.tokens
    t = toks[i]
    if t.low == "according" and i + 1 < hi and toks[i + 1].low == "to":
        return _according_to(text, p, lo, hi, i)
    if t.low in lx.CUE_VERBS and (t.text.islower() or headline) and not _is_passive(toks, lo, i):
        return _verb_cue(text, p, lo, hi, i)
    if t.low in ("put", "puts") and i + 1 < hi and toks[i + 1].low == "it":
        return _put_it(text, p, lo, hi, i)
    if t.low in lx.STATEMENT_NOUNS:
        return _noun_cue(text, p, lo, hi, i)
    if t.text == ":" and lo < i < hi - 1 and toks[i + 1].text in QUOTE_MARKS:
        return _colon_cue(text, p, lo, hi, i)
    return None


def _colon_cue(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """``She then addressed the crowd again: "..."``: a quotation after a colon is the words
    of the sentence's subject when that is a name, a pronoun or a role."""
    toks = p.tokens
    subject = sentence_subject(p, lo, i)
    if subject is None or not _strong_source(p, *subject):
        return None
    q = inside(toks[i + 1].start, p.quotes)
    if q is None:
        return None
    a, b = subject
    source = (toks[a].start, toks[b - 1].end)
    colon = (toks[i].start, toks[i].end)
    return Found("direct", [q], source, colon, source_text=text[source[0] : source[1]])


def _strong_source(p: Paragraph, a: int, b: int) -> bool:
    """A name, a pronoun that can speak, a role or an organisation heads tokens [a, b)."""
    head = p.tokens[b - 1]
    return (
        head.low in ("he", "she", "they", "i", "we")
        or head.low in lx.ROLE_NOUNS
        or head.low in lx.ORG_WORDS
        or (head.text[:1].isupper() and head.low not in lx.NOT_NAMES)
    )


def _put_it(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """``As one voter put it, CONTENT.``, ``CONTENT, as Smith puts it.``, ``X put it this way:
    CONTENT``: the words are the rest of the sentence, or what comes before ``as``."""
    toks = p.tokens
    subject = subject_before(p, lo, i)
    if subject is None or not _looks_like_source(p, *subject, "said"):
        return None
    a, b = subject
    j = i + 2
    while j < hi and toks[j].text not in (",", ":") and j - i < 5:
        j += 1  # "put it this way:", "put it bluntly,"
    if a - 1 > lo and toks[a - 1].low == "as" and toks[a - 2].text == ",":
        content = [(toks[lo].start, toks[a - 2].start)]  # "CONTENT, as Smith puts it."
    elif j + 1 < hi and toks[j].text in (",", ":"):
        content = [(toks[j + 1].start, toks[hi - 1].end)]
    else:
        return None
    source = (toks[a].start, toks[b - 1].end)
    cue = (toks[i].start, toks[i + 1].end)
    found = Found("reported", content, source, cue, source_text=text[source[0] : source[1]])
    found.kind = quote_kind(p, content)
    return found


def _tag_over(found: Found, inner: Found, cue_start: int) -> bool:
    """Whether ``found`` is a tag whose content covers the cue of ``inner``."""
    if inner.cue is None or not found.content:
        return False
    s, e = found.content[0]
    return e <= cue_start and s <= inner.cue[0] < e


def _is_headline(toks: list[Token], lo: int, hi: int) -> bool:
    """Title Case (``Obama Says Museum Will Tell of Suffering``): cues are capitalised."""
    words = [t for t in toks[lo:hi] if t.text[:1].isalpha() and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


_RAISING = lx.words(
    "appeared appears seemed seems continued continues on tried tries wanted likely unlikely "
    "declined declines refused refuses willing unwilling quick eager ready began"
)


def _is_passive(toks: list[Token], lo: int, i: int) -> bool:
    """``was told``, ``is expected``, ``to say``: not an attribution by the subject."""
    if i == lo:
        return False
    prev = toks[i - 1].low
    if prev == "to" and i - 2 >= lo and toks[i - 2].low in _RAISING:
        return False  # "appeared to suggest", "went on to say", "continued to call for"
    if prev in ("to", "be", "been", "being"):
        return True
    participle = toks[i].low.endswith(("ed", "told", "said", "thought", "known", "held", "found"))
    return prev in ("is", "was", "are", "were", "it's") and participle


_DETERMINERS = lx.words(
    "the a an his her their its this that these those some many several one two three both "
    "other another most few all each every"
)


_NP_PREPOSITIONS = lx.words("of with in on at from about over between against among for by to")


_EVIDENCE_HEADS = lx.words(
    "data figures numbers research evidence results video footage records documents emails "
    "photos polls polling analysis investigation review audit tests statistics transcript "
    "filings panel inquiry"
)


def _looks_like_source(p: Paragraph, a: int, b: int, cue: str) -> bool:
    """Whether tokens [a, b) can be who speaks: a name, a pronoun, a role, an organisation,
    a document, or (for unambiguous cues) any short noun phrase."""
    toks = p.tokens
    head = toks[b - 1]
    for k in range(a + 1, b - 1):
        if toks[k].text.islower() and toks[k].low.endswith("ing"):
            head = toks[k - 1]  # "Democrats trying to regain the Senate say"
            break
        if toks[k].low in _NP_PREPOSITIONS:  # "the bitterness of the dispute with Carter"
            head = toks[k - 1]
            if head.low.endswith("ed") and k - 2 >= a:
                head = toks[k - 2]  # "people briefed on the talks"
            break
    counted = head.low in lx.QUANTITIES or head.low in lx.NUMBER_WORDS or head.text.isdigit()
    if counted and b - a >= 2:
        return cue not in lx.EVIDENCE_VERBS  # "six in 10 voters say", "a majority of them"
    if cue in lx.EVIDENCE_VERBS and cue not in lx.SPEECH_VERBS:
        # "a poll conducted last week found", "emails released this week showed"
        return any(t.low in lx.STATEMENT_NOUNS or t.low in _EVIDENCE_HEADS for t in toks[a:b])
    strong = (
        head.low in lx.SUBJECT_PRONOUNS
        or head.low in lx.ROLE_NOUNS
        or head.low in lx.COLLECTIVE_SOURCES
        or head.low in lx.ORG_WORDS
        or (head.text[:1].isupper() and head.low not in lx.NOT_NAMES)
    )
    if strong or cue in lx.NOUN_LIKE_CUES:
        return strong
    if head.low in lx.STATEMENT_NOUNS:
        return True
    longest = 10 if cue in lx.SPEECH_VERBS else 6  # "some delegates at the convention said"
    return b - a <= longest and (
        toks[a].low in _DETERMINERS or toks[a].text[:1].isdigit() or head.low.endswith("s")
    )


_ASKING = lx.words("ask asks asked asking wonder wonders wondered wondering question questioned")


def _asked_whether(p: Paragraph, lo: int, subject_start: int) -> bool:
    """The subject opens an indirect question: ``asked (him / reporters) if|whether``."""
    toks = p.tokens
    if subject_start <= lo or toks[subject_start - 1].low not in ("if", "whether"):
        return False
    return any(t.low in _ASKING for t in toks[max(lo, subject_start - 4) : subject_start - 1])


def _verb_cue(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """The attribution cue verb ``i`` makes, trying its subject in turn: before an aside
    (``Hall, a former mayor, said``), after it (``..., said Hall``), a relative pronoun, the
    noun phrase before it, the sentence's subject for a participle."""
    toks = p.tokens
    cue = toks[i]
    prev_text = toks[i - 1].text if i > lo else ""
    verb_start = verb_group_start(p, lo, i)
    aside = set_off_subject(p, lo, verb_start - 1) if verb_start > lo else None
    if aside is not None and _strong_source(p, *aside.head):
        return _verb_cue_with_subject(text, p, lo, hi, i, aside.whole, aside.head)
    inverted = _inverted_tag(text, p, lo, hi, i)
    if inverted is not None:
        return inverted
    if aside is not None and (
        toks[aside.head.start].low in ("who", "which")
        or _looks_like_source(p, *aside.head, cue.low)
    ):
        return _verb_cue_with_subject(text, p, lo, hi, i, aside.whole, aside.head)
    progressive = prev_text.lower() in _PROGRESSIVE or _contracted_be(p, i, hi, prev_text)
    if cue.low.endswith("ing") and not progressive and prev_text != ",":
        if _reduced_clause(p, i, hi):  # "voters saying they want a ban"
            return _participle_cue(text, p, lo, hi, i)
        return None  # "bad planning", "more worrying": nouns and adjectives
    if cue.low in _PARTICIPLES_ONLY and prev_text.lower() not in ("has", "have", "had"):
        return None  # "his written testimony"
    if verb_start > lo + 1 and _relative_pronoun(toks, verb_start - 1):
        return _relative_cue(text, p, lo, hi, i, verb_start - 1)
    subject = subject_before(p, lo, i)
    if subject is not None and _asked_whether(p, lo, subject[0]):
        return None  # "Asked if he believed ...": a question put to him, which he did not say
    finite = cue.low.endswith(("ed", "s")) or cue.low in _IRREGULAR_PAST
    if subject is None and (
        (cue.low.endswith("ing") and prev_text == ",")
        or (prev_text.lower() in ("and", "but") and finite)
    ):
        subject = sentence_subject(p, lo, i)  # "Trump spoke ..., promising"; "X ... and hoped"
    if subject is not None and toks[subject[0]].low in ("who", "whom", "which"):
        if subject[1] - subject[0] > 1 and _looks_like_source(
            p, subject[0] + 1, subject[1], cue.low
        ):
            # "Bannon, who Beck called a liar", "Clinton, who he is supporting": an object
            # relative; its subject speaks
            return _verb_cue_with_subject(
                text, p, lo, hi, i, TokenRange(subject[0] + 1, subject[1])
            )
        if toks[subject[0]].low != "whom":
            return _relative_cue(text, p, lo, hi, i, subject[0])
    described = _described_by_relative(p, subject) if subject is not None else None
    if described is not None and _looks_like_source(p, *described, cue.low):
        # "officials who spoke with the Post said": the noun phrase the clause describes
        return _verb_cue_with_subject(text, p, lo, hi, i, subject, described)
    if subject is None or not _looks_like_source(p, *subject, cue.low):
        return None
    return _verb_cue_with_subject(text, p, lo, hi, i, subject)


def _inverted_tag(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """``CONTENT," said X.`` / ``CONTENT, said X.``; never ``told X`` (X hears it) nor
    ``saying X``."""
    toks = p.tokens
    cue = toks[i]
    if (
        i == lo
        or toks[i - 1].text not in (",", "\u201d", '"', "'", "\u2019")
        or cue.low not in lx.TAG_VERBS
        or cue.low in lx.ADDRESSEE_ONLY_VERBS
        or cue.low.endswith("ing")
    ):
        return None
    src = noun_phrase_after(p, i + 1, hi)
    if src is None:
        return None
    content = content_before(p, lo, i - 1)
    if not content:
        return None
    source = (toks[src[0]].start, toks[src[1] - 1].end)
    return Found(
        quote_kind(p, content),
        content + quote_after(p, src[1], hi),
        source,
        (cue.start, cue.end),
        source_text=text[source[0] : source[1]],
    )


def _relative_pronoun(toks: list[Token], k: int) -> bool:
    """``who``/``which`` before a verb; ``that`` too after a noun (``a message that said``)."""
    if toks[k].low in ("who", "which"):
        return True
    before = toks[k - 1]
    return (  # speech only: "a party that wants to be taken seriously" is no attribution
        toks[k].low == "that"
        and toks[k + 1].low in lx.SPEECH_VERBS
        and before.text[:1].isalpha()
        and before.low not in lx.CUE_VERBS
        and before.low not in lx.AUXILIARIES
        and before.low not in lx.NOT_NAMES
    )


def _relative_cue(text: str, p: Paragraph, lo: int, hi: int, i: int, who: int) -> Found | None:
    """``Sen. Warren, who said ...`` (the name is the source's head), ``64 percent who say``
    (the pronoun, resolved to what it follows)."""
    named = apposition_start(p, lo, who)
    head = TokenRange(named, who - 1) if named < who else None
    return _verb_cue_with_subject(text, p, lo, hi, i, TokenRange(min(named, who), who + 1), head)


def _reduced_clause(p: Paragraph, i: int, hi: int) -> bool:
    """A speech verb in -ing with a clause of its own: ``voters saying they want``."""
    toks = p.tokens
    if toks[i].low not in lx.SPEECH_VERBS or i + 1 >= hi:
        return False
    nxt = toks[i + 1]
    if nxt.text == "," and i + 2 < hi:  # "issued a statement saying, "...""
        nxt = toks[i + 2]
    if nxt.low in ("that", ":") or nxt.low in lx.SUBJECT_PRONOUNS or nxt.text in QUOTE_MARKS:
        return True
    # "a statement saying the Senate should wait": a clause whose subject has a verb after it
    return toks[i].low in _CLAUSE_PARTICIPLES and _clause_follows(p, i + 1, hi)


_CLAUSE_SUBJECT_MAX = 6
_CLAUSE_PARTICIPLES = lx.words(
    "saying arguing claiming insisting noting suggesting contending asserting adding "
    "declaring predicting acknowledging admitting conceding stressing"
)


def _clause_follows(p: Paragraph, j: int, hi: int) -> bool:
    """A short noun phrase and then a finite verb or auxiliary: ``the Senate should``."""
    toks = p.tokens
    if j >= hi or not (toks[j].low in ("the", "a", "an") or toks[j].text[:1].isupper()):
        return False
    for k in range(j + 1, min(hi, j + _CLAUSE_SUBJECT_MAX)):
        if toks[k].text in CLAUSE_BREAKS or toks[k].text in ".!?":
            return False
        if toks[k].text.islower() and toks[k].low in FINITE_VERBS:
            return True
    return False


def _participle_cue(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """The source of a participle with no comma: the noun phrase just before it when it can
    speak (``GOP voters saying``), else the sentence's subject."""
    subject = subject_before(p, lo, i)
    issuer = _issuer(p, *subject) if subject is not None else None
    if issuer is not None:
        subject = issuer if issuer[1] > issuer[0] else sentence_subject(p, lo, i)
    elif subject is None or not _looks_like_source(p, *subject, p.tokens[i].low):
        subject = sentence_subject(p, lo, i)
    if subject is None or not _looks_like_source(p, *subject, p.tokens[i].low):
        return None
    return _verb_cue_with_subject(text, p, lo, hi, i, TokenRange(*subject))


_ISSUING_VERBS = lx.words("put sent issued released posted published wrote tweeted filed")


def _issuer(p: Paragraph, a: int, b: int) -> tuple[int, int] | None:
    """``X issued a statement saying``, ``put out a statement``, ``sent a letter``: the
    document's words are its issuer's, the tokens before the verb (empty when the verb opens
    tokens [a, b): the issuer is then the sentence's subject); None without such a verb."""
    toks = p.tokens
    for k in range(a, b):
        t = toks[k]
        if t.low in _ISSUING_VERBS and t.text.islower():
            if any(u.low in lx.STATEMENT_NOUNS for u in toks[k + 1 : b]):
                return (a, k)
            return None
    return None


def _described_by_relative(p: Paragraph, subject: TokenRange) -> TokenRange | None:
    """``officials who spoke with the Post``: the part before ``who`` (None without one)."""
    for k in range(subject[0] + 1, subject[1] - 1):
        if p.tokens[k].low == "who":
            return TokenRange(subject[0], k)
    return None


def _verb_cue_with_subject(
    text: str,
    p: Paragraph,
    lo: int,
    hi: int,
    i: int,
    subject: TokenRange,
    head: TokenRange | None = None,
) -> Found | None:
    """The content of cue ``i`` whose subject is known: a tag's (before it) or a clause's."""
    toks = p.tokens
    cue = toks[i]
    after = i + 1
    a, b = subject
    source = (toks[a].start, toks[b - 1].end)
    found = Found(
        "reported", [], source, (cue.start, cue.end), source_text=text[source[0] : source[1]]
    )
    if head is not None and head != subject:
        found.head = (toks[head.start].start, toks[head.end - 1].end)
    # CONTENT, X said.  /  "CONTENT," X said, "MORE."
    if (
        a > lo
        and toks[a - 1].text in (",", "\u201d", '"', "'", "\u2019")
        and cue.low in lx.TAG_VERBS
    ):
        quoted = toks[a - 1].text in QUOTE_MARKS  # '"...," she said of the plan to ...'
        rest = skip_tag_tail(p, after, hi, cue.low, _QUOTE_TAG_TAIL_MAX if quoted else TAG_TAIL_MAX)
        name_start = apposition_start(p, lo, a)
        split = split_subject(p, lo, a - 1, rest, hi)  # "The bridge, the mayor said, would"
        if name_start < a and not split:
            found.source = (toks[name_start].start, found.source[1])
            found.source_text = text[found.source[0] : found.source[1]]
        elif rest >= hi or (
            rest >= 0 and (toks[rest].text in ".!?," or toks[rest].text in QUOTE_MARKS)
        ):
            content = content_before(p, lo, a - 1)
            if content and (split or substantial(p, content)):
                quoted = quote_kind(p, content) == "direct"
                found.content = (
                    content + quote_after(p, rest, hi) + clause_after(p, rest, hi, quoted)
                )
                found.kind = quote_kind(p, found.content)
                return found
    # X said (that) CONTENT.   X told Y (that) CONTENT.   X said: CONTENT
    start = content_start(p, after, hi, cue.low)
    if start is None:
        return None
    if start >= hi:
        return found if colon_follows(p, hi) else None
    end = _subordinate_clause_end(p, lo, a, start, hi)
    found.content = [(toks[start].start, toks[end - 1].end)]
    found.kind = quote_kind(p, found.content)
    weak = cue.low in lx.WEAK_CUE_VERBS and found.kind != "direct"
    if weak and not _introduced(p, after, start):
        return None
    if cue.low in lx.POSITION_VERBS and hi - start < 3 and not _introduced(p, after, start):
        return None  # "members supported expulsion.": an act, too little to be a position
    return found


_QUOTE_TAG_TAIL_MAX = 30


_SUBORDINATORS = lx.words(
    "as while when whenever although though if after before because since unless until once"
)


def _subordinate_clause_end(p: Paragraph, lo: int, a: int, start: int, hi: int) -> int:
    """Where the content of a cue in a clause that is not the sentence's main one ends: at
    the comma closing ``, who backed Romney in 2012,`` or ``When Smith said X, ...``."""
    toks = p.tokens
    relative = any(
        toks[k].low in ("who", "which") and toks[k - 1].text == ","
        for k in range(max(a - 1, lo + 1), start)  # "X, who critics called Y, ..." too
    )
    k = lo
    while k < a and (toks[k].text in QUOTE_MARKS or toks[k].low in ("but", "and", "yet")):
        k += 1
    subordinate = toks[k].low in _SUBORDINATORS and not any(t.text == "," for t in toks[k:a])
    if not (relative or subordinate):
        return hi
    for j in range(start + 1, hi - 1):
        if toks[j].text == "," and not inside(toks[j].start, p.quotes):
            return j
    return hi


_INDIRECT_QUESTION = lx.words("whether if how what why when who where to")


def _introduced(p: Paragraph, after: int, start: int) -> bool:
    """Content a weak cue (``want``, ``ask``, ``point``) governs only when something marks it:
    ``that``, a colon, a particle (``pointed to``), an infinitive (``wants to``) or an
    indirect question (``asked the network whether``)."""
    toks = p.tokens
    if after < len(toks) and toks[after].low in ("that", ":"):
        return True
    if start > after and toks[start - 1].low in ("that", ":", "to", "out", "for"):
        return True
    return toks[start].low in _INDIRECT_QUESTION


_CONTRACTED_BE_RE = re.compile(r"['\u2019](?:s|re|m)$", re.IGNORECASE)  # "She's hoping"
_CONTRACTED_IS = lx.words("he she it that who there what here where this")


def _contracted_be(p: Paragraph, i: int, hi: int, prev_text: str) -> bool:
    """Whether ``prev_text`` is a form of "be" contracted onto the word before the -ing cue
    ``i``: ``She's hoping``, ``they're saying``. After a noun, ``'s`` is a possessive
    (``Labour's ruling council``) unless the -ing verb takes a clause of its own (``the
    minister's saying that ...``)."""
    if not _CONTRACTED_BE_RE.search(prev_text):
        return False
    stem = prev_text[:-2].lower()
    if prev_text[-1:].lower() != "s" or stem in _CONTRACTED_IS:
        return True
    return _reduced_clause(p, i, hi)


_PARTICIPLES_ONLY = lx.words("written spoken known shown")


_IRREGULAR_PAST = lx.words("said told wrote thought held felt knew spoke read put found")


_PROGRESSIVE = lx.words("is are was were be been 's 're also still now not")


def _according_to(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """``According to X, CONTENT.``, ``CONTENT, according to X.`` and ``CONTENT, according to
    X, MORE.`` (an opener such as ``In addition,`` before the cue is no content)."""
    toks = p.tokens
    src = noun_phrase_after(p, i + 2, hi, longest=_ACCORDING_TO_SOURCE_MAX)
    if src is None or not _can_be_cited(p, *src):
        return None
    source = (toks[src[0]].start, toks[src[1] - 1].end)
    cue = (toks[i].start, toks[i + 1].end)
    j = src[1] + 1 if src[1] < hi and toks[src[1]].text == "," else src[1]
    after = [(toks[j].start, toks[hi - 1].end)] if j < hi and toks[j].text not in ".!?" else []
    before: list[Span] = []
    k = i - 1 if i > lo and toks[i - 1].text == "," else i
    if k > lo:
        before = [(toks[lo].start, toks[k - 1].end)]
        split = split_subject(p, lo, k, src[1], hi)  # "The bridge, according to X, would"
        if not (split or substantial(p, before)) and toks[lo].text not in QUOTE_MARKS:
            before = []  # "In addition, according to the department, ..."
    content = before + after if before and src[1] < hi and toks[src[1]].text == "," else before
    content = content or after
    if not content:
        return None
    found = Found("reported", content, source, cue, source_text=text[source[0] : source[1]])
    found.kind = quote_kind(p, content)
    return found


_ACCORDING_TO_SOURCE_MAX = 30
# "according to" in its other sense, "in a manner conforming to": a norm or a measure, not a
# source ("according to plan", "according to legend", "according to their doctrine",
# "according to the economic status of persons", "according to age groups").
_NORM_NOUNS = lx.words(
    "plan plans schedule legend legends tradition traditions custom customs doctrine doctrines "
    "principle principles rule rules theory theories scripture scriptures dogma ideology "
    "creed script formula pattern logic status age ages size sizes need needs merit merits "
    "ability abilities means taste tastes type types kind kinds class classes rank order "
    "group groups category categories"
)


def _can_be_cited(p: Paragraph, a: int, b: int) -> bool:
    """Whether tokens [a, b) after ``according to`` can be a source: not when the noun
    phrase's head is a norm or a measure (:data:`_NORM_NOUNS`): then ``according to`` means
    "as laid down by" and what follows is the author's statement."""
    toks = p.tokens
    head = b - 1
    for k in range(a + 1, b):
        if toks[k].low in _NP_PREPOSITIONS or toks[k].low in (",", "who", "that", "familiar"):
            head = k - 1  # "the economic status of persons": its head is "status"
            break
    return not (toks[head].text.islower() and toks[head].low in _NORM_NOUNS)


def _noun_cue(text: str, p: Paragraph, lo: int, hi: int, i: int) -> Found | None:
    """``Trump's claim that ...``, ``a statement from the council that ...``, and a
    statement heading: ``Labour Party statement:`` ending its paragraph."""
    toks = p.tokens
    cue = toks[i]
    colon = toks[i + 1] if i + 1 < hi else None
    if colon is not None and colon.text == ":" and text[colon.end : colon.end + 1] in ("\n", ""):
        a = i
        while a > lo and _name_token(toks[a - 1]):
            a -= 1
        source = (toks[a].start, toks[i - 1].end) if a < i else None
        rest = [(colon.end, p.end)] if colon.end < p.end else []
        return Found(
            "statement",
            rest,
            source,
            (cue.start, cue.end),
            source_text=text[source[0] : source[1]] if source else "",
        )
    relative = i + 2 < hi and (toks[i + 2].low in lx.CUE_VERBS or toks[i + 2].low in lx.AUXILIARIES)
    if i + 1 < hi and toks[i + 1].low == "that" and i + 2 < hi and not relative:
        a = i
        while (
            a > lo
            and toks[a - 1].text not in CLAUSE_BREAKS
            and toks[a - 1].low not in ("the", "a", "an")
            and i - a < 6
        ):
            a -= 1
        source = None
        if (
            a < i
            and toks[i - 1].low.endswith(("'s", "s'"))  # "the council's statement that"
            or (a < i - 1 and toks[i - 2].low.endswith("'s"))
        ):
            source = (toks[a].start, toks[i - 1].end)
        # "Lang's claim that the project would be cancelled was nonsense": the claim's clause
        # ends where its sentence's own verb starts, or at ", saying", ", but", a dash ...
        end = min(before_main_verb(p, i + 2, hi), content_end(p, i + 2, hi))
        return Found(
            "reported",
            [(toks[i + 2].start, toks[end - 1].end)],
            source,
            (cue.start, cue.end),
            source_text=text[source[0] : source[1]] if source else "",
        )
    return None


def _name_token(t: Token) -> bool:
    return t.text[:1].isupper() or t.low in ("'s",)
