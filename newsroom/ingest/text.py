"""Plain text: lines to blocks, unwrapping hard-wrapped prose and recognising headings,
quotes, list items and credit lines as written in text."""

from __future__ import annotations

import itertools
import re

from newsroom.ingest.characters import strip_markup
from newsroom.ingest.document import Block, BlockKind
from newsroom.ingest.limits import check_line_count
from newsroom.words import WORD_RE

_MIN_WRAPPED_LINE = 30  # characters; shorter lines are never taken for hard-wrapped prose
_WRAP_FILL_RATIO = 0.6  # a wrapped line fills at least this share of its block's longest line
_ENDS_SENTENCE = re.compile(r"[.!?…:][\"'”’)\]]*$")
_HYPHEN_AT_END = re.compile(r"[^\W\d_]-$")

_QUOTE_MARKER = re.compile(r"(?:>[ ]?)+")
_HASH_HEADING = re.compile(r"#{1,6} +(?P<text>.+?)(?: +#+)?")
_ORDERED_ITEM = re.compile(
    r"(?:\((?:[A-Za-z]|\d{1,3}|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})\)"  # (a) (1) (ii) (IV)
    r"|(?:[A-Za-z]|\d{1,3}|[ivxlcdm]{1,6})\)"  # a) 1) ii)
    r"|(?:[a-z]|\d{1,3}|[ivxlcdm]{1,6})\.)"  # a. 1. ii.  (not "J." - that is an initial)
    r" +\S"
)
_BULLET_ITEM = re.compile(r"[•◦▪▫‣⁃∙·●○■□►▶*+\-–] +(?=\S)")
_CREDIT_LINE = re.compile(
    # "- With NZPA", "— Additional reporting by AP"
    r"[-–—]+ *(?:with|additional reporting by|reporting by|with reporting by) +\S.{0,80}"
    # "- AP", "— Reuters / AFP"
    r"|[-–—]+ *(?:AP|AAP|AFP|PA|NZPA|NZME|RNZ|Reuters|Bloomberg|agencies|staff)"
    r"(?: *(?:/|,|&|and) *\w+)*\.?"
    # "Reporting by Jane Doe; Editing by John Roe"
    r"|(?:additional reporting|reporting|writing|editing|compiled|research) by +\S.{0,250}",
    re.IGNORECASE,
)
_MAX_CREDIT_CHARS = 300

_MAX_HEADING_CHARS = 90
_MAX_HEADING_WORDS = 10
_MAX_LABEL_WORDS = 6  # "Labour Party statement:" is a heading; a long lead-in to a quote is not
_OPENING_QUOTES = "\"'“‘«„‚"
_CLOSERS = "\"'”’»)]"
_SENTENCE_PUNCTUATION = ".!?…;,"
_SPEECH_VERBS = frozenset(
    {"said", "says", "told", "added", "asked", "wrote", "writes", "stated", "explained"}
    | {"continued", "replied", "commented", "noted", "warned", "declared", "concluded"}
)


def plain_text_blocks(text: str) -> list[Block]:
    check_line_count(text)
    lines = [_clean_line(line) for line in text.split("\n")]
    groups = _blank_line_groups(lines)
    if _looks_hard_wrapped(groups):
        chunks = [chunk for group in groups for chunk in _unwrap_group(group)]
    else:
        chunks = [line for group in groups for line in group]
    return [_classify_plain(chunk) for chunk in chunks]


def _clean_line(line: str) -> str:
    """Strip inline markup such as ``<i>John Armstrong:</i>`` and collapse spaces."""
    return " ".join(strip_markup(line).split())


def _blank_line_groups(lines: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _fills_line(line: str, width: int) -> bool:
    return len(line) >= max(_MIN_WRAPPED_LINE, _WRAP_FILL_RATIO * width)


def _wrap_vote(lines: list[str]) -> bool | None:
    """Does this multi-line block look hard-wrapped? None if it cannot tell (e.g. a list).

    Wrapped: at least half the lines but the last run to the wrap width and stop mid-sentence.
    """
    width = max(len(line) for line in lines)
    inner = [line for line in lines[:-1] if not _starts_own_block(line)]
    if not inner:
        return None
    wrapped = sum(
        1 for line in inner if _fills_line(line, width) and not _ENDS_SENTENCE.search(line)
    )
    return wrapped * 2 >= len(inner)


def _looks_hard_wrapped(groups: list[list[str]]) -> bool:
    """True when the text's multi-line blocks are mostly prose wrapped at a fixed width.

    Otherwise (one paragraph per line, or short lines such as a label over a heading) every
    non-empty line is its own block.
    """
    votes = [vote for group in groups if len(group) > 1 and (vote := _wrap_vote(group)) is not None]
    return bool(votes) and sum(votes) * 2 >= len(votes)


def _starts_own_block(line: str) -> bool:
    return bool(
        _QUOTE_MARKER.match(line)
        or _HASH_HEADING.fullmatch(line)
        or _ORDERED_ITEM.match(line)
        or _BULLET_ITEM.match(line)
        or is_credit(line)
    )


def _unwrap_group(lines: list[str]) -> list[str]:
    """Join wrapped lines; a short line (a heading, a paragraph's end) or a marker breaks."""
    width = max(len(line) for line in lines)
    chunks: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and (_starts_own_block(line) or not _fills_line(current[-1], width)):
            chunks.append(_join_wrapped(current))
            current = []
        current.append(line)
    if current:
        chunks.append(_join_wrapped(current))
    return chunks


def _join_wrapped(lines: list[str]) -> str:
    parts = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        parts.append(line if _HYPHEN_AT_END.search(previous) else " " + line)
    return "".join(parts)


def _classify_plain(text: str) -> Block:
    if is_credit(text):
        return Block(BlockKind.CREDIT, text)
    if match := _QUOTE_MARKER.match(text):
        return Block(BlockKind.BLOCKQUOTE, text[match.end() :])
    if match := _HASH_HEADING.fullmatch(text):
        return Block(BlockKind.HEADING, match["text"])
    if _ORDERED_ITEM.match(text):
        return Block(BlockKind.LIST_ITEM, text)
    if match := _BULLET_ITEM.match(text):
        return Block(BlockKind.LIST_ITEM, text[match.end() :])
    if _looks_like_heading(text):
        return Block(BlockKind.HEADING, text)
    return Block(BlockKind.PARAGRAPH, text)


def is_credit(text: str) -> bool:
    return len(text) <= _MAX_CREDIT_CHARS and _CREDIT_LINE.fullmatch(text) is not None


def _looks_like_heading(text: str) -> bool:
    """Short, capitalised, not a quotation, no sentence-ending punctuation.

    A short label ending in a colon ("Labour Party statement:") counts; a lead-in to a quote
    ("Asked if ..., he said:") does not.
    """
    if len(text) > _MAX_HEADING_CHARS or text[0] in _OPENING_QUOTES:
        return False
    words = WORD_RE.findall(text)
    if not words or len(words) > _MAX_HEADING_WORDS:
        return False
    first = next((char for char in text if char.isalnum()), "")
    if not (first.isupper() or first.isdigit()):
        return False
    core = text.rstrip(_CLOSERS)
    if not core:
        return False
    if core.endswith(":"):
        return (
            len(words) <= _MAX_LABEL_WORDS
            and "," not in core
            and words[-1].casefold() not in _SPEECH_VERBS
        )
    return core[-1] not in _SENTENCE_PUNCTUATION
