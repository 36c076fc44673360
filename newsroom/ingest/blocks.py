"""The finishing step every format shares: normalise each block, split over-long ones at
sentence ends, drop page furniture (and what lies outside a web page's main text), find the
title and byline, and refuse an empty result."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable

from newsroom.furniture import MainText, PageMetadata, furniture_reason
from newsroom.ingest.characters import normalise_text
from newsroom.ingest.document import Block, BlockKind, Document, Dropped, IngestError
from newsroom.ingest.limits import (
    MAX_BLOCK_CHARS,
    SPLIT_TARGET_CHARS,
    check_block_count,
)
from newsroom.ingest.text import is_credit
from newsroom.words import word_count

_OUTSIDE_MAIN = "outside the page's main text"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']{1,990}")
# A run of end marks (and closing quotes) before a space and a capital. A match starts only
# where a run starts and never gives characters back, so a line of a million dots is read
# once, not once from every dot (which took minutes).
_SENTENCE_END = re.compile(
    r"(?<![.!?…])(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|No|vs))(?<!\bMrs)(?<!\bProf)"
    r"[.!?…]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9])"
)


def split_long(text: str, label: str) -> list[str]:
    """A block over ``MAX_BLOCK_CHARS`` split at sentence ends into paragraphs of about
    ``SPLIT_TARGET_CHARS``. A stretch with no sentence end for ``MAX_BLOCK_CHARS`` is
    refused: no real paragraph runs that long, and analysis time grows with a block's length.
    One pass over the text: linear in its length.
    """
    if len(text) <= MAX_BLOCK_CHARS:
        return [text] if text else []
    pieces: list[str] = []
    start = last_end = 0  # the current piece's start; the last sentence end after it
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end - start > SPLIT_TARGET_CHARS and last_end > start:
            pieces.append(text[start:last_end])
            start = last_end
        if end - start > MAX_BLOCK_CHARS:
            _refuse_run_on(text[start:], label)
        last_end = end
    if len(text) - start > SPLIT_TARGET_CHARS and last_end > start:
        pieces.append(text[start:last_end])
        start = last_end
    if len(text) - start > MAX_BLOCK_CHARS:
        _refuse_run_on(text[start:], label)
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _refuse_run_on(text: str, label: str) -> None:
    opening = " ".join(text[:80].split()[:8])
    raise IngestError(
        f"{label} has a passage of over {MAX_BLOCK_CHARS:,} characters with no sentence end "
        f"(it starts “{opening}…”); break it into paragraphs and upload it again."
    )


_SECTION_WORDS = frozenset(
    {"opinion", "news", "politics", "sport", "sports", "business", "world", "national", "local"}
    | {"nz", "new zealand", "entertainment", "lifestyle", "life", "technology", "tech", "travel"}
    | {"health", "science", "culture", "arts", "books", "music", "film", "movies", "tv", "food"}
    | {"editorial", "analysis", "comment", "commentary", "column", "columns", "columnists"}
    | {"education", "environment", "climate", "money", "markets", "economy", "property"}
    | {"motoring", "rural", "weather", "video", "videos", "podcasts", "premium", "crime"}
    | {"latest news", "breaking news", "top stories", "world news", "letters", "features"}
)
_SECTION_SEPARATORS = re.compile(r"\s*[|/>»·•]\s*")
_NAME_PARTICLES = frozenset(
    {"de", "da", "di", "del", "della", "der", "den", "van", "von", "le", "la", "du", "dos"}
    | {"bin", "al", "el", "ter", "ten", "st"}
)
_NAME_PUNCTUATION = frozenset("'’.-")
_BYLINE_PREFIX = re.compile(r"(?:By|BY) +(?P<rest>.+)")
_BYLINE_SEPARATOR = re.compile(r" *(?:,|\||–|—| - ) *")
_LEADING_BYLINE_BLOCKS = 3

_EMPTY_MESSAGES = {
    "html": "{label} has no readable text: it contains only markup, scripts or page navigation.",
    "markdown": "{label} has no readable text.",
    "docx": "{label} has no readable text.",
    "text": "{label} has no readable text.",
}


def assemble(
    raw_blocks: Iterable[Block],
    source_format: str,
    encoding: str,
    label: str,
    *,
    title: str = "",
    byline: str = "",
    main: MainText | None = None,
    page: PageMetadata | None = None,
) -> Document:
    """Normalise blocks, split over-long ones, drop furniture (and, given ``main``, whatever
    lies outside a page's main text), fill title/byline, and refuse an empty result.

    ``label`` ("The file", "The pasted text", ...) starts the user-facing error messages.
    """
    candidates = list(raw_blocks)
    check_block_count(len(candidates), label)
    kept: list[tuple[int, Block]] = []
    dropped: list[tuple[int, Dropped]] = []
    order = itertools.count()
    for raw in candidates:
        pieces = split_long(normalise_text(raw.text), label)
        # A "heading" long enough to need splitting is prose.
        kind = (
            BlockKind.PARAGRAPH if len(pieces) > 1 and raw.kind is BlockKind.HEADING else raw.kind
        )
        for text in pieces:
            index = next(order)
            reason = furniture_reason(text)
            if reason is None and main is not None and not main.contains(text):
                reason = _OUTSIDE_MAIN
            if reason:
                dropped.append((index, Dropped(text, reason, kind)))
                continue
            credit = kind is BlockKind.PARAGRAPH and is_credit(text)
            kept.append((index, Block(BlockKind.CREDIT if credit else kind, text)))
    if not kept and not dropped:
        raise IngestError(_EMPTY_MESSAGES[source_format].format(label=label))
    if not kept and main is not None:  # the extractor missed the text: keep the page whole
        kept = [(i, Block(d.kind, d.text)) for i, d in dropped if d.reason == _OUTSIDE_MAIN]
        dropped = [(i, d) for i, d in dropped if d.reason != _OUTSIDE_MAIN]
    check_block_count(len(kept) + len(dropped), label)

    leading_byline = _drop_leading_furniture(kept, dropped)
    trailing_byline, trailing_title = _drop_trailing_furniture(kept, dropped)
    if not kept:
        raise IngestError(
            f"Nothing is left of {label[0].lower()}{label[1:]} after removing advertisements "
            "and page furniture."
        )
    page = page or PageMetadata()
    title = normalise_text(page.title) or normalise_text(title) or trailing_title
    if not title and kept[0][1].kind is BlockKind.HEADING:
        title = kept[0][1].text  # a plain text's first line, when it reads as a heading
    if main is not None:  # a web page repeats its headline above the story
        _drop_leading_headline(kept, dropped, title)
    items = sorted([*kept, *dropped], key=lambda pair: pair[0])
    return Document(
        blocks=tuple(block for _, block in kept),
        dropped=tuple(
            dataclasses.replace(item, position=position)
            for position, (_, item) in enumerate(items)
            if isinstance(item, Dropped)
        ),
        title=title,
        byline=(
            normalise_text(byline)
            or normalise_text(page.author)
            or leading_byline
            or trailing_byline
        ),
        source_format=source_format,
        encoding=encoding,
        site_name=normalise_text(page.site_name)[:200],
        published=page.date if _ISO_DATE.fullmatch(page.date) else "",
        url=page.url if _WEB_ADDRESS.fullmatch(page.url) else "",
    )


def _drop_leading_headline(
    kept: list[tuple[int, Block]], dropped: list[tuple[int, Dropped]], title: str
) -> None:
    """The headline repeated as the text's first heading is shown once, as the headline."""
    if len(kept) < 2 or not title:
        return
    index, block = kept[0]
    if block.kind is BlockKind.HEADING and block.text.casefold() == title.casefold():
        del kept[0]
        dropped.append((index, Dropped(block.text, "the headline", block.kind)))


def _is_section_label(text: str) -> bool:
    parts = _SECTION_SEPARATORS.split(text.casefold().strip(" .:"))
    return all(part in _SECTION_WORDS for part in parts)


def _looks_like_name(text: str) -> bool:
    """Two to four capitalised words, allowing particles such as "de" or "van"."""
    words = text.split()
    if not 2 <= len(words) <= 4 or len(text) > 50:
        return False
    capitalised = 0
    for word in words:
        if word.casefold() in _NAME_PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in _NAME_PUNCTUATION for c in word)):
            return False
        capitalised += 1
    return capitalised >= 2


def _split_author_headline(text: str) -> tuple[str, str] | None:
    """'John Armstrong: Mischief making ...' -> ('John Armstrong', 'Mischief making ...')."""
    author, colon, headline = text.partition(":")
    author, headline = author.strip(), headline.strip()
    if not colon or not _looks_like_name(author) or headline.endswith("."):
        return None
    if not 2 <= word_count(headline) <= 20:
        return None
    return author, headline


def _drop_leading_furniture(
    kept: list[tuple[int, Block]], dropped: list[tuple[int, Dropped]]
) -> str:
    """Move section labels at the very top, and a "By Jane Doe" line near it, into ``dropped``;
    return the byline's name ("" if none).
    """
    while len(kept) > 1 and _is_section_label(kept[0][1].text):
        index, block = kept.pop(0)
        dropped.append((index, Dropped(block.text, "section label", block.kind)))
    for position, (index, block) in enumerate(kept[:_LEADING_BYLINE_BLOCKS]):
        match = _BYLINE_PREFIX.fullmatch(block.text)
        if not match or len(block.text) > 100:
            continue
        name = _BYLINE_SEPARATOR.split(match["rest"], maxsplit=1)[0]
        if _looks_like_name(name) and len(kept) > 1:
            del kept[position]
            dropped.append((index, Dropped(block.text, "byline", block.kind)))
            return name
    return ""


def _drop_trailing_furniture(
    kept: list[tuple[int, Block]], dropped: list[tuple[int, Dropped]]
) -> tuple[str, str]:
    """Scan back from the end, moving section labels and a repeated 'Author: Headline' line
    into ``dropped``; return that (byline, title). At least one block is always kept, and
    the same words in the middle of the text are never touched.
    """
    byline = title = ""
    while len(kept) > 1:
        index, block = kept[-1]
        if _is_section_label(block.text):
            reason = "section label"
        elif not byline and (parts := _split_author_headline(block.text)):
            byline, title = parts
            reason = "byline and headline repeated at the end of the page"
        else:
            break
        kept.pop()
        dropped.append((index, Dropped(block.text, reason, block.kind)))
    return byline, title
