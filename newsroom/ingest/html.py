"""HTML: sanitised by nh3 to its block structure, parsed by lxml, walked into blocks; a whole
page also goes through trafilatura for its main text and metadata (newsroom.furniture)."""

from __future__ import annotations

import itertools
import re

import nh3
from lxml.html import HtmlElement, document_fromstring

from newsroom.furniture import main_text
from newsroom.ingest.blocks import assemble
from newsroom.ingest.characters import WHITESPACE_RUN, normalise_text, sanitise
from newsroom.ingest.document import Block, BlockKind, Document, IngestError
from newsroom.ingest.limits import html_problem

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINER_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "hgroup", "address", "center", "pre"}
    | {"ul", "ol", "dl", "dt", "dd", "figure", "details", "summary"}
    | {"table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"}
)
_METADATA_TAGS = frozenset({"title", "meta"})
_BLOCK_TAGS = _HEADING_TAGS | _CONTAINER_TAGS | {"li", "blockquote", "hr"}
# Everything else (a, b, i, span, ...) is unwrapped by nh3, keeping its text; attributes are
# dropped, so no javascript: URL or event handler can reach the text.
_HTML_KEPT_TAGS = _BLOCK_TAGS | _METADATA_TAGS | {"br"}
_HTML_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "math", "object", "embed"}
    | {"nav", "footer", "aside", "form", "button", "select", "textarea", "canvas"}
    | {"audio", "video", "figcaption"}
)
_BLOCKS_ONLY = nh3.Cleaner(
    tags=set(_HTML_KEPT_TAGS),
    clean_content_tags=set(_HTML_DROPPED_WITH_CONTENT),
    attributes={"meta": {"name", "content"}},
    link_rel=None,
)

HTML_DOCUMENT_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|blockquote|article|section|main|table|tr|td|br|hr)\b[^<>]*>",
    re.IGNORECASE,
)
_DOUBLE_BREAK = re.compile(r"\n[ ]*\n")
# A script URL shown as link text (e.g. a Markdown autolink <javascript:...>) is code, not prose.
_SCRIPT_URL = re.compile(r"(?:java|vb|live)script:\S*", re.IGNORECASE)
_AUTHOR_META = re.compile(r"^\s*author\s*$", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Pasted text is HTML if it is a page, starts with a block tag, or has several."""
    if HTML_DOCUMENT_START.match(text):
        return True
    block_tags = sum(1 for _ in itertools.islice(_HTML_BLOCK_TAG.finditer(text), 2))
    starts_with_tag = text.lstrip().startswith("<")
    return block_tags >= 2 or (starts_with_tag and block_tags >= 1)


def ingest_html(text: str, encoding: str, label: str) -> Document:
    """HTML to blocks. For a whole page, trafilatura finds the main text and the page's
    metadata; every block outside the main text is listed as dropped (the preview can
    restore it). The blocks themselves always come from the nh3-sanitised tree."""
    root = sanitised_tree(text)
    title, byline = html_metadata(root)
    main, page = main_text(text) if HTML_DOCUMENT_START.match(text) else (None, None)
    return assemble(
        html_blocks(root),
        "html",
        encoding,
        label,
        title=title,
        byline=byline,
        main=main,
        page=page,
    )


def sanitised_tree(markup: str) -> HtmlElement:
    """Sanitise with nh3 (block structure only), then parse the safe HTML with lxml.

    lxml's own tree, not BeautifulSoup's: BeautifulSoup takes a Python call for every
    character reference, so 2 MB of "<" (8 MB of "&lt;" once sanitised) took seconds.
    """
    problem = html_problem(markup)
    if problem:
        raise IngestError(problem)
    safe = sanitise(_BLOCKS_ONLY, markup)
    # The explicit <body> keeps everything, <title> and <meta> too, in one predictable place.
    return document_fromstring(f"<body>{safe}</body>")


def html_metadata(root: HtmlElement) -> tuple[str, str]:
    """<title> (or else the first <h1>) and <meta name="author">."""
    title = ""
    for tag_name in ("title", "h1"):
        element = next(root.iter(tag_name), None)
        if element is not None:
            title = normalise_text(" ".join(element.itertext()))
            if title:
                break
    byline = ""
    for meta in root.iter("meta"):
        if _AUTHOR_META.search(meta.get("name") or ""):
            byline = normalise_text(meta.get("content") or "")
            break
    return title, byline


def _inner_kind(tag_name: str, inherited: BlockKind) -> BlockKind:
    if tag_name in _HEADING_TAGS:
        return BlockKind.HEADING
    if tag_name == "li":
        return BlockKind.LIST_ITEM
    if tag_name == "blockquote":
        return BlockKind.BLOCKQUOTE
    return inherited  # a <p> inside <li> or <blockquote> belongs to it


def html_blocks(root: HtmlElement) -> list[Block]:
    """Walk the sanitised tree in document order, one block per block-level element.

    Iterative (an explicit stack) so deep nesting cannot hit Python's recursion limit. Text
    directly inside a container is a block of the container's kind; a double <br> splits it.
    """
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush(kind: BlockKind) -> None:
        text = "".join(buffer)
        buffer.clear()
        blocks.extend(Block(kind, part) for part in _DOUBLE_BREAK.split(text) if part.strip())

    # Entries: (element, kind) to enter; (text, kind) for text; (None, kind) closes a block.
    # lxml keeps the text after an element in its ``tail``, which belongs to the parent.
    stack: list[tuple[HtmlElement | str | None, BlockKind]] = [(root, BlockKind.PARAGRAPH)]
    while stack:
        node, kind = stack.pop()
        if node is None:
            flush(kind)
        elif isinstance(node, str):
            text = WHITESPACE_RUN.sub(" ", node)
            buffer.append(_SCRIPT_URL.sub("", text) if ":" in text else text)
        elif isinstance(node.tag, str) and node.tag not in _METADATA_TAGS:  # not a comment
            if node.tag == "br":
                buffer.append("\n")
                continue
            inner = _inner_kind(node.tag, kind)
            if node.tag in _BLOCK_TAGS:
                flush(kind)  # text before this block belongs to the enclosing one
                stack.append((None, inner))
            for child in reversed(node):
                if child.tail:
                    stack.append((child.tail, inner))
                stack.append((child, inner))
            if node.text:
                stack.append((node.text, inner))
    flush(BlockKind.PARAGRAPH)
    return blocks
