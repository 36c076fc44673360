"""Coarse limits on what ingest reads, each far beyond any real article.

They keep a 2 MB upload from tying up a worker, without modelling how fast any parser is:

* size: MAX_UPLOAD_BYTES per file (and per pasted text); a .docx may unpack to at most
  DOCX_MAX_UNCOMPRESSED_BYTES in at most DOCX_MAX_MEMBERS parts, with DOCX_MAX_STYLES styles;
* count: MAX_LINES lines, MAX_BLOCKS paragraphs, MAX_HTML_ELEMENTS tags in HTML;
* shape: HTML nested at most MAX_HTML_NESTING deep (counted simply, see html_problem) and
  at most MAX_HTML_ATTRIBUTES attributes in one tag; no stretch of MAX_BLOCK_CHARS
  characters without a sentence end;
* Markdown over MARKDOWN_MAX_CHARS is read as plain text (its headings, quotes and lists
  still count; inline emphasis and links stay as written).

bench/fuzz_upload.py --timings times ingest on the worst inputs known for each format.
"""

from __future__ import annotations

import re
from collections import Counter

from newsroom.ingest.document import IngestError

MEBIBYTE = 1024 * 1024
MAX_UPLOAD_BYTES = 2 * MEBIBYTE  # per file
# A .docx is a zip; python-docx inflates every part it reads. Archives that would expand past
# this (zip bombs) are refused before python-docx opens them.
DOCX_MAX_UNCOMPRESSED_BYTES = 20 * MEBIBYTE
DOCX_MAX_MEMBERS = 2000
# Word documents define a few hundred styles; python-docx reads each one into Python.
DOCX_MAX_STYLES = 10_000
# Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_CHAR_SHARE = 0.05
MAX_LINES = 100_000
MAX_BLOCKS = 30_000
# HTML parsers (html5ever inside nh3, libxml2 in lxml) take time that grows with the depth of
# the tree for each tag, and with the attributes of a tag for each attribute; real pages nest
# under 100 deep, have a few thousand tags and a handful of attributes per tag. Within these
# limits the slowest input known takes under a second (bench/fuzz_upload.py --timings).
MAX_HTML_ELEMENTS = 20_000  # start tags
MAX_HTML_NESTING = 256
MAX_HTML_ATTRIBUTES = 1000
# Blocks longer than this are split at sentence ends into pieces of about the target;
# analysis of a block costs more than linear time in some steps, and no real paragraph is
# this long. A stretch this long with no sentence end is refused.
MAX_BLOCK_CHARS = 4000
SPLIT_TARGET_CHARS = 1500
# markdown-it-py is pure Python and slow on dense syntax (2 MB of "[" takes it 40 s); 48 KB
# (an 8,000-word article) of the densest syntax known takes it about half a second.
MARKDOWN_MAX_CHARS = 48 * 1024
TOO_LONG = "far too long for a single article; split it into separate pieces"


def megabytes(size: int, digits: int = 1) -> str:
    return f"{size / MEBIBYTE:.{digits}f}".rstrip("0").rstrip(".")


def too_large_message(label: str, size: int, limit: int) -> str:
    """'The file is 2.9 MB, which is over the 2 MB limit.' (or 'just over' when they round
    to the same figure)."""
    shown_limit = megabytes(limit, 2)
    if shown_limit == "0":  # only for tiny limits passed in by callers
        return f"{label} is {size:,} bytes, which is over the {limit:,}-byte limit."
    for digits in (1, 2):
        shown_size = megabytes(size, digits)
        if float(shown_size) > float(shown_limit):
            return f"{label} is {shown_size} MB, which is over the {shown_limit} MB limit."
    return f"{label} is just over the {shown_limit} MB limit ({size:,} bytes)."


def check_line_count(text: str) -> None:
    if text.count("\n") > MAX_LINES:
        raise IngestError(f"The text has more than {MAX_LINES:,} lines, which is {TOO_LONG}.")


def check_block_count(count: int, label: str) -> None:
    if count > MAX_BLOCKS:
        raise IngestError(
            f"{label} would make more than {MAX_BLOCKS:,} paragraphs, which is {TOO_LONG}."
        )


# A comment's start, or a start or end tag as an HTML tokenizer reads it: the name runs to
# whitespace, "/" or ">", and a quoted attribute value may hold "<" and ">". Possessive and
# atomic, so it runs in linear time.
_TAG = re.compile(
    r"<(?:!--|(/?)([A-Za-z][^\s/>]*+)"
    r"((?>[\s/]+(?>=?[^\s/>=]*+)(?>\s*=\s*(?>\"[^\"]*+\"?|'[^']*+'?|[^\s>]*+))?)*+))"
)
_ATTRIBUTE = re.compile(r"[\s/]+[^\s/>]")  # an over-estimate: a value's words count too
_COMMENT_END = re.compile(r"--!?>")
# Elements whose content is text, not tags, up to their end tag.
_RAW_TEXT_ENDS = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
# Void elements, and elements whose end tag HTML lets a page leave out, never add a level.
_NO_LEVEL = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "option", "optgroup"}
    | {"tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc"}
)
# An end tag of one of these closes whatever is still open inside it.
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl"}
    | {"fieldset", "figure", "footer", "form", "header", "main", "nav", "ol", "section", "ul"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "table", "svg", "math", "body", "html"}
)


def html_problem(markup: str) -> str | None:
    """Why ``markup`` is beyond the HTML limits (a user-facing sentence), or None.

    Counts start tags and attributes, and the nesting depth, simply: an end tag closes the
    innermost element of its name when that is the innermost element, or when it is a
    block (``</div>``) that everything still open inside it ends with; "/>" closes an
    element only inside SVG or MathML; comments and the text of <script>, <style> and the
    like hold no tags. A parser may keep open what this count closes (a stray end tag);
    the limit on start tags bounds the work then.
    """
    open_names: list[str] = []
    open_count: Counter[str] = Counter()
    start_tags = 0
    skip_to = 0  # inside a comment or raw text up to here
    for token in _TAG.finditer(markup):
        if token.start() < skip_to:
            continue
        closing, name, attributes = token.groups()
        if name is None:  # "<!--"
            comment_end = _COMMENT_END.search(markup, token.start() + 2)
            if comment_end is None:
                break
            skip_to = comment_end.end()
            continue
        name = name.lower()
        if closing:
            if open_count[name] and (open_names[-1] == name or name in _BLOCKS):
                while (popped := open_names.pop()) != name:
                    open_count[popped] -= 1
                open_count[name] -= 1
            continue
        start_tags += 1
        if start_tags > MAX_HTML_ELEMENTS:
            return f"The HTML has more than {MAX_HTML_ELEMENTS:,} tags, which is {TOO_LONG}."
        if len(attributes) > MAX_HTML_ATTRIBUTES and (
            len(_ATTRIBUTE.findall(attributes)) > MAX_HTML_ATTRIBUTES
        ):
            return (
                f"The HTML has a tag with more than {MAX_HTML_ATTRIBUTES:,} attributes, "
                "so it cannot be read safely."
            )
        self_closed = attributes.rstrip().endswith("/") and (
            open_count["svg"] or open_count["math"]
        )
        if name in _NO_LEVEL or self_closed:
            continue
        if name in _RAW_TEXT_ENDS:
            raw_end = _RAW_TEXT_ENDS[name].search(markup, token.end())
            if raw_end is None:
                break  # the rest of the page is text
            skip_to = raw_end.start()  # the end tag itself closes the element
        open_names.append(name)
        open_count[name] += 1
        if len(open_names) > MAX_HTML_NESTING:
            return (
                f"The HTML is nested more than {MAX_HTML_NESTING} levels deep, "
                "so it cannot be read safely."
            )
    return None
