"""Word (.docx): the archive checked before python-docx opens it, then the body's paragraphs
(in tables and content controls too, not in text boxes) read from the XML with their styles."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from lxml import etree

from newsroom.ingest.blocks import assemble
from newsroom.ingest.characters import normalise_text
from newsroom.ingest.decoding import sniff_binary_kind
from newsroom.ingest.document import Block, BlockKind, Document, IngestError
from newsroom.ingest.limits import (
    DOCX_MAX_MEMBERS,
    DOCX_MAX_STYLES,
    DOCX_MAX_UNCOMPRESSED_BYTES,
    MAX_BLOCKS,
    megabytes,
)

# Authors python-docx and Word fill in on their own; they are not a byline.
_PLACEHOLDER_AUTHORS = frozenset(
    {"python-docx", "microsoft office user", "windows user", "user", "author", "admin"}
    | {"administrator", "owner", "unknown"}
)
_QUOTE_STYLES = frozenset({"quote", "intense quote"})
_W_P, _W_T, _W_TBL, _W_SDT = qn("w:p"), qn("w:t"), qn("w:tbl"), qn("w:sdt")
_DOCX_TEXT_NODES = {_W_T: "", qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
_DOCX_TEXT_NODES[qn("w:noBreakHyphen")] = "-"
_DOCX_TEXT_TAGS = tuple(_DOCX_TEXT_NODES)
_W_STYLE, _W_NAME, _W_VAL = qn("w:style"), qn("w:name"), qn("w:val")
_W_TYPE, _W_STYLE_ID, _W_DEFAULT = qn("w:type"), qn("w:styleId"), qn("w:default")
_XML_ON = frozenset({"1", "true", "on"})
# Text boxes (and the VML fallback copy of them) are side panels, not the paragraph's text.
_DOCX_SKIPPED_CONTAINERS = (
    qn("w:txbxContent"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
)


def ingest_docx(data: bytes) -> Document:
    _check_docx_archive(data)
    try:
        word = docx.Document(io.BytesIO(data))
        blocks = list(itertools.islice(_docx_blocks(word), MAX_BLOCKS + 1))  # more: refused
        core = word.core_properties
        title, author = core.title or "", core.author or ""
    except IngestError:
        raise
    except Exception as error:  # python-docx/lxml/zipfile raise many types for corrupt files
        raise IngestError(
            "This Word document is damaged or not a real .docx file, so it cannot be read. "
            "Open it in Word, save it as .docx again and re-upload it."
        ) from error
    if not normalise_text(title):
        headings = (b.text for b in blocks if b.kind is BlockKind.HEADING and b.text.strip())
        title = next(headings, "")
    if author.strip().casefold() in _PLACEHOLDER_AUTHORS:
        author = ""
    return assemble(blocks, "docx", "utf-8", "The Word document", title=title, byline=author)


def _check_docx_archive(data: bytes) -> None:
    """Refuse non-zips, zips without a Word body, and zip bombs, before python-docx runs."""
    not_docx = "This file is not a valid Word (.docx) document"
    if not data.startswith(b"PK"):
        kind = sniff_binary_kind(data)
        raise IngestError(f"{not_docx}; it looks like {kind}." if kind else f"{not_docx}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises BadZipFile, OSError, ValueError, EOFError, ...
        raise IngestError(f"{not_docx}: the file is damaged or incomplete.") from error
    if "word/document.xml" not in {member.filename for member in members}:
        raise IngestError(f"{not_docx}: it is a zip archive without a Word document inside.")
    unpacked = sum(member.file_size for member in members)
    if len(members) > DOCX_MAX_MEMBERS or unpacked > DOCX_MAX_UNCOMPRESSED_BYTES:
        raise IngestError(
            f"This Word document unpacks to more than "
            f"{megabytes(DOCX_MAX_UNCOMPRESSED_BYTES)} MB, which is too large to read safely."
        )


def _docx_blocks(word: WordDocument) -> Iterator[Block]:
    """Body paragraphs in document order, including those in tables and content controls.

    Works on the XML with a style-name table built once: python-docx's ``Paragraph.style``
    scans every style on each call, which makes a 20,000-paragraph document take seconds.
    """
    style_names = _docx_paragraph_style_names(word)
    for child in word.element.body.iterchildren():
        if child.tag == _W_P:
            yield _docx_block(child, style_names)
        elif child.tag in (_W_TBL, _W_SDT):
            for paragraph in _docx_descendants(child, (_W_P,)):
                yield _docx_block(paragraph, style_names)


def _docx_paragraph_style_names(word: WordDocument) -> dict[str | None, str]:
    """Paragraph style id -> lower-case name; ``None`` (no style set) -> the default's name.

    Read from the styles XML as python-docx reads it (no ``w:type`` means a paragraph style;
    the last paragraph style marked default is the default), but without building a Python
    object per style, which took seconds for a document with 150,000 styles.
    """
    styles = word.styles.element
    if len(styles) > DOCX_MAX_STYLES:
        raise IngestError(
            f"This Word document defines more than {DOCX_MAX_STYLES:,} styles, far more than "
            "any real document, so it cannot be read safely."
        )
    names: dict[str | None, str] = {}
    default = ""
    for style in styles.iterchildren(_W_STYLE):
        kind = style.get(_W_TYPE)
        if kind not in (None, "paragraph"):
            continue
        name_element = style.find(_W_NAME)
        name = (name_element.get(_W_VAL) or "") if name_element is not None else ""
        names[style.get(_W_STYLE_ID)] = name.casefold()
        if kind == "paragraph" and (style.get(_W_DEFAULT) or "").lower() in _XML_ON:
            default = name.casefold()
    names[None] = default
    return names


def _docx_block(paragraph: CT_P, style_names: dict[str | None, str]) -> Block:
    name = style_names.get(paragraph.style, style_names[None])
    properties = paragraph.pPr
    numbered = properties is not None and properties.numPr is not None
    if name.startswith("heading") or name == "title":
        kind = BlockKind.HEADING
    elif name.startswith("list") or numbered:
        kind = BlockKind.LIST_ITEM
    elif name in _QUOTE_STYLES:
        kind = BlockKind.BLOCKQUOTE
    else:
        kind = BlockKind.PARAGRAPH
    return Block(kind, _docx_paragraph_text(paragraph))


def _docx_paragraph_text(paragraph: CT_P) -> str:
    """The paragraph's text, including tracked insertions.

    python-docx's ``Paragraph.text`` skips runs inside ``<w:ins>``, so a document with
    unaccepted tracked changes would lose inserted words. Deleted text (``<w:delText>``) and
    field codes (``<w:instrText>``) are different elements and stay out.
    """
    return "".join(
        (node.text or "") if node.tag == _W_T else _DOCX_TEXT_NODES[node.tag]
        for node in _docx_descendants(paragraph, _DOCX_TEXT_TAGS)
    )


def _docx_descendants(element: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """Descendants with these tags in document order, leaving out whatever is in a text box.

    lxml walks the tree and skips each text box whole, so what a text box holds, however
    much, is never visited from Python.
    """
    walk = etree.iterwalk(element, events=("start",), tag=(*tags, *_DOCX_SKIPPED_CONTAINERS))
    for _event, node in walk:
        if node.tag in _DOCX_SKIPPED_CONTAINERS:
            walk.skip_subtree()
        elif node is not element:
            yield node
