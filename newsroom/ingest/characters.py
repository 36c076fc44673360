"""Character-level clean-up shared by every format: line endings, invisible characters,
mojibake, and markup or character references left in text."""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy
import nh3

from newsroom.ingest.limits import html_problem

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_NEEDS_CLEANING = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u206f\u3000\ufeff\ufff9-\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)
SURROGATES = re.compile("[\ud800-\udfff]")
# Controls (except tab/newline), zero-width and bidi format characters, BOMs, surrogates,
# non-characters and Unicode tag characters.
_INVISIBLE_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
WHITESPACE_RUN = re.compile(r"\s+")

# Something nh3 would treat as markup: a tag, comment, doctype or a character reference.
_MARKUP_HINT = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]{1,31});")
_SIMPLE_REFERENCES = (
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", '"'),
    ("&nbsp;", "\xa0"),
    ("&amp;", "&"),
)
_OTHER_REFERENCE = re.compile(r"&(?!(?:lt|gt|quot|nbsp|amp);)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MAX_UNESCAPE_ROUNDS = 4
_TEXT_ONLY = nh3.Cleaner(tags=set())  # keeps text, drops every tag (and script/style content)
_LONG_TEXT_RUN = re.compile(r"[^<>]{2048,}")
_AMPERSANDS_PER_TEXT_NODE = 64


# A character UTF-8 uses to start a sequence, read as cp1252/Latin-1, followed by one it uses
# to continue one: "Ã©" for "é", "â€" for the start of "“", "—" and friends.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def clean_characters(text: str) -> str:
    """Unify line endings, drop invisible characters, make odd spaces plain, NFC-compose.

    Called on whole texts and again on every block, so the common clean case is a fast path.
    """
    if text.isascii() and text.isprintable():  # a clean line or block, at C speed
        return text
    if _NEEDS_CLEANING.search(text):
        text = _LINE_BREAKS.sub("\n", text)
        text = _INVISIBLE_CHARS.sub("", text)
        text = _ODD_SPACES.sub(" ", text)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def strip_markup(text: str) -> str:
    """Strip tags (nh3 with no allowed tags) and unescape entities, until nothing is left.

    Repeating matters: ``&lt;b&gt;`` unescapes to ``<b>``, which must not survive either. What
    is left after a few rounds, or markup beyond the HTML limits, loses the "<" of every tag.
    """
    if "<" not in text and "&" not in text:  # the common case, at C speed
        return text
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if not _MARKUP_HINT.search(text):
            return text
        if _TAG_START.search(text) and html_problem(text):
            break  # e.g. "&lt;div&gt;" a million times: beyond the HTML limits
        stripped = unescape(sanitise(_TEXT_ONLY, text))
        if stripped == text:
            return text
        text = stripped
    return _TAG_START.sub("", text)


def unescape(text: str) -> str:
    """``html.unescape(text)``, fast when the only references are the few nh3 writes.

    html.unescape calls back into Python for every reference: a megabyte of "&lt;" takes a
    second. When every "&" starts &lt; &gt; &quot; &nbsp; or &amp;, plain replacements (&amp;
    last) give the same text.
    """
    if "&" not in text:
        return text
    if _OTHER_REFERENCE.search(text):
        return html.unescape(text)
    for reference, char in _SIMPLE_REFERENCES:
        text = text.replace(reference, char)
    return text


def sanitise(cleaner: nh3.Cleaner, markup: str) -> str:
    """``cleaner.clean(markup)``, first cutting long runs of text into shorter text nodes.

    html5ever (inside nh3) slows down quadratically on character references ("&") within one
    long text node: 2 MB of "&" takes over 30 s. An empty comment before every 64th "&" of a
    long run keeps it linear; nh3 drops comments, so the output is unchanged.
    """
    if len(markup) >= 2048 and "&" in markup:
        markup = _LONG_TEXT_RUN.sub(_split_text_run, markup)
    return cleaner.clean(markup)


def _split_text_run(match: re.Match[str]) -> str:
    pieces = match.group().split("&")
    step = _AMPERSANDS_PER_TEXT_NODE
    if len(pieces) <= step:
        return match.group()
    groups = ["&".join(pieces[start : start + step]) for start in range(0, len(pieces), step)]
    return "<!---->&".join(groups)


def repair_mojibake(text: str) -> str:
    """UTF-8 that was read as Windows-1252 or Latin-1 somewhere upstream ("â€œ" for "“",
    "cafÃ©"), repaired by ftfy. Its other fixes stay off: quotes stay curly, widths and
    ligatures as written. Only text with a telltale pair of characters is handed to ftfy."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_text(text, _FTFY)


def normalise_text(text: str) -> str:
    """The final form of any block, title or byline: plain, single-spaced, trimmed."""
    cleaned = clean_characters(repair_mojibake(text))
    stripped = strip_markup(cleaned)
    if stripped is not cleaned:
        stripped = clean_characters(stripped)  # entities may produce odd spaces or controls
    return " ".join(stripped.split())
