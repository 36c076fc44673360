"""What on a page is not the article: furniture lines, and the main text of a whole web page.

A pure module (no Django), used by ``ingest``. Two tools:

* ``furniture_reason(text)`` says why one block is page furniture wherever it stands, or
  returns None for content. The rules are patterns of page furniture, not a list of strings:
  a short block that speaks to the reader ("you", an imperative, a bare question or label)
  about newsletters, subscriptions, contributions, terms, following, sharing, comments,
  related links or listening is furniture. Quoted speech never is, and a sentence about
  someone else ("The union could not afford to contribute") is content.
* ``MainText`` wraps trafilatura's extraction of a whole page's main content; ingest asks it
  which of its own blocks belong to the article. trafilatura only decides; the text that is
  stored still comes from ingest's nh3-sanitised tree, so the sanitising guarantee holds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import trafilatura

__all__ = ["MainText", "PageMetadata", "furniture_reason", "main_text"]

_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_MAX_FURNITURE_CHARS = 320  # "By entering your email ..." notices run to a long sentence
_MAX_LINE_CHARS = 200  # for the one-line patterns of _FURNITURE_LINE
_MAX_PROMPT_WORDS = 45

# Furniture that is dropped wherever it appears; the group name is the recorded reason.
_FURNITURE_REASONS = {
    "advertisement": "advertisement",
    "share": "share prompt",
    "subscribe": "subscription prompt",
    "follow": "social media prompt",
    "related": "related-content link",
    "read_more": "read-more link",
    "copyright": "copyright notice",
}
_FURNITURE_LINE = re.compile(
    r"(?P<advertisement>(?:(?:advertisement|advertising|sponsored content)\s*)+"
    r"(?:advertise (?:with|on) [^.]{1,40}\.?)?"
    r"|advertise (?:with|on) [^.]{1,40}\.?)"
    r"|(?P<share>share(?: this| the)?(?: article| story| page| post| link)?"
    r"(?: (?:on|via|to|with) [\w +.&-]{1,30})?[:.!]?)"
    r"|(?P<subscribe>(?:subscribe|sign up)(?: now| today| here| free)?"
    r"(?: (?:to|for) [^.!?]{1,60})?[.!]?"
    r"|already (?:a subscriber|have an account)\?.{0,40})"
    r"|(?P<follow>follow (?:us|me|@\w+|[^.!?]{1,40}? on (?:twitter|x|facebook|instagram"
    r"|linkedin|threads|bluesky|tiktok|youtube|mastodon))[.!]?)"
    r"|(?P<related>related(?: (?:articles?|stories|story|content|coverage|links?|news|topics"
    r"|reading))?:?)"
    r"|(?P<read_more>(?:read|see) (?:more|next|also)(?::.{0,150}|[.!…]?)"
    r"|continue reading.{0,80}|click here.{0,80}|more from [^.!?]{1,60})"
    r"|(?P<copyright>(?:©|\(c\)|copyright\b).{0,150}|.{0,120}\ball rights reserved\.?)",
    re.IGNORECASE,
)

_SOCIAL = (
    r"(?:twitter|x|facebook|instagram|linkedin|threads|bluesky|tiktok|youtube|mastodon"
    r"|whatsapp|telegram|reddit|pinterest|flipboard|google news|apple news|social media)"
)
# What a prompt is about, by the reason recorded for it. Searched anywhere in a short block.
_PROMPT_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "terms notice",
        re.compile(
            r"\bterms (?:of (?:use|service)|and conditions)\b|\bprivacy (?:policy|notice|statement)"
            r"|\bcookie (?:policy|settings|preferences)"
            r"|\bby (?:entering|signing|clicking|subscribing|continuing|submitting|registering"
            r"|pushing|pressing|providing|creating)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "newsletter prompt",
        re.compile(
            r"\bnewsletters?\b|\binbox\b|\bbriefings?\b|\bdigest\b|\bmailing list\b"
            r"|\be-?mail (?:updates|alerts|address)\b|\benter your e-?mail\b",
            re.IGNORECASE,
        ),
    ),
    (
        "contribution request",
        re.compile(
            r"\bcontribut(?:e|ion|ing)\b|\bdonat(?:e|ion|ing)\b"
            r"|\bbecome a (?:member|supporter|patron)|\bchip in\b|\bmake a gift\b"
            r"|\bsupport (?:our|us|independent|quality|this)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "subscription prompt",
        re.compile(
            r"\bsubscri(?:be|ber|bers|ption|ptions)\b|\bsign(?:ing)? ?up\b|\bfree trial\b"
            r"|\bunlimited access\b|\b(?:log|sign)(?:ged)? ?in\b|\bcreate an account\b"
            r"|\bregister\b|\bpremium\b|\bunlock\b",
            re.IGNORECASE,
        ),
    ),
    (
        "social media prompt",
        re.compile(rf"\bfollow (?:us|me|@\w+|[\w .&'’-]{{1,40}}? on {_SOCIAL})\b", re.IGNORECASE),
    ),
    (
        "share prompt",
        re.compile(
            rf"\bshare (?:this|the|on|via|with|to|your)\b|\bshare$|\bon {_SOCIAL}\b"
            r"|\bcopy (?:the )?link\b|\b(?:e-?mail|print|save|gift) this (?:article|story|page)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "comments prompt",
        re.compile(
            r"\bcomments?\b|\bjoin the (?:conversation|discussion|debate)\b|\bhave your say\b",
            re.IGNORECASE,
        ),
    ),
    (
        "related-content link",
        re.compile(
            r"\b(?:related|recommended|trending|most (?:read|popular|viewed|shared)"
            r"|(?:you )?(?:may|might) (?:also )?(?:like|enjoy)|more (?:from|on|stories|like this)"
            r"|also read|further reading|top stories|latest (?:news|stories)|editor'?s picks)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "listen prompt",
        re.compile(
            r"\blisten to (?:this|the) (?:article|story)\b|\b\d+ ?min(?:ute)?s? read\b"
            r"|\breading time\b",
            re.IGNORECASE,
        ),
    ),
    (
        "navigation link",
        re.compile(
            r"\bskip to (?:the )?(?:main )?content\b|\bback to top\b|\bjump to\b",
            re.IGNORECASE,
        ),
    ),
)
# Signs that a block speaks to the reader rather than reports: the second person, a command
# at its start, a bare question or a caption-like label.
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you’re|yours|yourself)\b", re.IGNORECASE)
_IMPERATIVE_START = re.compile(
    r"\W*(?:sign ?up|subscribe|follow|share|join|get|support|donate|contribute|give|become"
    r"|read|click|tap|download|listen|watch|register|log ?in|sign ?in|enter|want|like|try"
    r"|start|upgrade|unlock|continue|skip|discover|explore|visit|e-?mail|tweet|save|print"
    r"|copy|comment|leave|don'?t miss|never miss|stay (?:informed|updated|up to date)"
    r"|keep up|be the first|make a)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = ("“", "”", "«", "»", "„", '"')
_LABEL_SEPARATORS = re.compile(r"\s*[|·•]\s*")
_LABEL_SEPARATOR_CHARS = ("|", "·", "•")
_MAX_LABEL_WORDS = 5
_MAX_QUESTION_WORDS = 8
_MAX_TAIL_WORDS = 3  # "4 min", "12 comments" beside a prompt


def furniture_reason(text: str) -> str | None:
    """Why a block is page furniture wherever it appears, or None if it is content."""
    if not _WORD_CHAR.search(text):
        return "decorative separator"
    if len(text) > _MAX_FURNITURE_CHARS:
        return None
    match = _FURNITURE_LINE.fullmatch(text) if len(text) <= _MAX_LINE_CHARS else None
    if match and match.lastgroup:
        return _FURNITURE_REASONS[match.lastgroup]
    return _prompt_reason(text)


def _prompt_reason(text: str) -> str | None:
    """A short block addressed to the reader about the site rather than the story.

    Ordered cheapest first: most blocks are reporting and leave at the first test or two.
    """
    if any(mark in text for mark in _QUOTE_MARKS):
        return None
    if any(separator in text for separator in _LABEL_SEPARATOR_CHARS):
        parts = [part for part in _LABEL_SEPARATORS.split(text) if part]
        if len(parts) > 1:  # "Terms of use | Privacy policy", "Listen to this article · 4 min"
            reasons = [_prompt_reason(part) for part in parts]
            found = [reason for reason in reasons if reason]
            rest_short = all(
                reason or len(_WORD.findall(part)) <= _MAX_TAIL_WORDS
                for part, reason in zip(parts, reasons, strict=True)
            )
            return found[0] if found and rest_short else None
    stripped = text.rstrip()
    spaces = stripped.count(" ")
    addressed = (
        (spaces < _MAX_LABEL_WORDS and not stripped.endswith((".", "!", ",")))
        or (stripped.endswith("?") and spaces < _MAX_QUESTION_WORDS)
        or _IMPERATIVE_START.match(text)
        or ("you" in text.lower() and _SECOND_PERSON.search(text))
    )
    if not addressed or len(_WORD.findall(text)) > _MAX_PROMPT_WORDS:
        return None
    for reason, topic in _PROMPT_TOPICS:
        if topic.search(text):
            return reason
    return None


# --------------------------------------------------------------------------------------------
# Main content of a whole web page (trafilatura)
# --------------------------------------------------------------------------------------------

# trafilatura reads pages in Python over lxml; past this size its fallback extractors
# (readability, jusText) are skipped, which halves the time on a 2 MB page.
_FAST_EXTRACTION_CHARS = 256 * 1024
# How far ahead of the last matched block a block's text is looked for in the main text.
_ALIGN_SLACK = 4000
_SHORT_SLACK = 40  # a short text (a logo, "Home") must follow on closely
_LONG_KEY = 40
_MAIN_TEXT_TAGS = ("head", "p", "item", "quote", "cell", "l", "code")


def _key(text: str) -> str:
    """Letters and digits only, case-folded: how ingest's and trafilatura's texts compare."""
    return "".join(_WORD.findall(text)).casefold()


@dataclass(frozen=True)
class PageMetadata:
    title: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 date, as trafilatura (htmldate) found it
    site_name: str = ""
    url: str = ""


class MainText:
    """The main text trafilatura found, asked about ingest's blocks in document order.

    ``contains(text)`` is True when the block is one of trafilatura's paragraphs at or after
    the previous match, or when its letters appear in the main text shortly after it (within
    a window, so the whole check is linear in the page's length).
    """

    def __init__(self, segments: list[str]):
        keys = [_key(segment) for segment in segments]
        self._text = "".join(keys)
        self._starts: dict[str, list[int]] = {}
        offset = 0
        for key in keys:
            if key:
                self._starts.setdefault(key, []).append(offset)
            offset += len(key)
        self._position = 0

    def contains(self, text: str) -> bool:
        key = _key(text)
        if not key:
            return True
        starts = self._starts.get(key, [])
        index = bisect.bisect_left(starts, self._position)
        if index < len(starts):
            found = starts[index]  # one of trafilatura's own paragraphs
        else:
            # Part of one (a line of a paragraph split at <br>), near the last match; a short
            # text such as a logo's must not match words far down the page.
            slack = _ALIGN_SLACK if len(key) >= _LONG_KEY else _SHORT_SLACK
            found = self._text.find(key, self._position, self._position + len(key) + slack)
            if found < 0:
                return False
        self._position = found + len(key)
        return True


def main_text(markup: str) -> tuple[MainText | None, PageMetadata]:
    """trafilatura's reading of a whole page: its main text (None when it finds none) and
    the page's metadata (title, author, date, site name, canonical URL). Offline: it reads
    only the markup given."""
    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            fast=len(markup) > _FAST_EXTRACTION_CHARS,
        )
    except Exception:  # a reader of hostile markup; ingest then keeps every block
        return None, PageMetadata()
    if result is None:
        return None, PageMetadata()
    metadata = PageMetadata(
        title=result.title or "",
        author=result.author or "",
        date=result.date or "",
        site_name=result.sitename or "",
        url=result.url or "",
    )
    body = result.body
    if body is None:
        return None, metadata
    segments = [
        " ".join(element.itertext())
        for element in body.iter(*_MAIN_TEXT_TAGS)
        if isinstance(element.tag, str)
    ]
    if not any(_key(segment) for segment in segments):
        return None, metadata
    return MainText(segments), metadata
