"""Markdown: rendered to HTML by markdown-it-py and read like HTML, or, past
MARKDOWN_MAX_CHARS, read like plain text (which knows "#" headings, ">" quotes and list items
too, but keeps inline syntax such as "*" as written)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from newsroom.ingest.blocks import assemble
from newsroom.ingest.document import Document
from newsroom.ingest.html import html_blocks, html_metadata, sanitised_tree
from newsroom.ingest.limits import MARKDOWN_MAX_CHARS, check_line_count
from newsroom.ingest.text import plain_text_blocks

_MARKDOWN = MarkdownIt("commonmark").enable("table")
# markdown-it leaves links it distrusts (javascript:, data:) as literal "[text](url)" source.
# Letting it render them instead means nh3, which keeps no <a> and no attributes, removes the
# URL and keeps only the link text.
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_FRONT_MATTER_LIMIT = 10_000  # characters searched for a closing "---"


def ingest_markdown(text: str, encoding: str, label: str) -> Document:
    check_line_count(text)
    metadata, body = _split_front_matter(text)
    if len(body) > MARKDOWN_MAX_CHARS:
        blocks, title, byline = plain_text_blocks(body), "", ""
    else:
        root = sanitised_tree(_MARKDOWN.render(body))
        blocks = html_blocks(root)
        title, byline = html_metadata(root)
    return assemble(
        blocks,
        "markdown",
        encoding,
        label,
        title=metadata.get("title") or title,
        byline=metadata.get("author") or metadata.get("byline") or byline,
    )


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Read ``title:``/``author:`` from a leading YAML-style front matter block, if any."""
    match = _FRONT_MATTER.match(text[:_FRONT_MATTER_LIMIT])
    if not match:
        return {}, text
    metadata: dict[str, str] = {}
    for line in match["body"].split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip():
            metadata[key.strip().casefold()] = value.strip().strip("\"'")
    return metadata, text[match.end() :]
