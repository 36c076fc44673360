"""Turn an uploaded file or pasted text into clean blocks ready to store as paragraphs.

A pure package: it imports nothing from Django, so it can be tested and reused without a
database. The pipeline is

    bytes -> size / type / binary checks -> text (decoding.py)
          -> a reader per format (text.py, markdown.py, html.py, word.py) -> raw blocks
          -> shared finishing (blocks.py): normalise every block (characters.py), split
             over-long ones, drop page furniture, detect byline/title
          -> Document (document.py)

Every failure a user can cause is raised as ``IngestError`` whose message is a sentence an
admin can act on; no other exception type escapes for any input. What the readers accept is
bounded by coarse limits (limits.py): size, lines, paragraphs, HTML tags, nesting and
attributes, the longest stretch without a sentence end.

Decisions worth knowing:

* Ordered list markers written in the text ("a)", "1.", "(ii)") are KEPT in ``Block.text``
  because documents refer to them ("clause b)"); bullet glyphs ("•", "*", "-") and the ">" of
  plain-text quotes are presentation and are removed. HTML/Markdown/.docx lists carry no marker
  text at all (the browser or Word numbers them).
* Smart quotes are kept as written; ``Document.content_hash`` is what ignores quote style.
* Markup never survives into ``Block.text``: text that still looks like a tag after entities are
  unescaped (e.g. ``&lt;b&gt;`` in the source) is stripped too, and so is a ``javascript:`` URL
  shown as link text.
* Page furniture is dropped into ``Document.dropped`` with a reason: advertisements and
  share/subscribe/follow/related/read-more/copyright lines anywhere; section labels and a
  "By Jane Doe" line at the top; section labels and a repeated "Author: Headline" line at the
  end. The same words in the middle of a text are content. At least one block is always kept.
"""

from __future__ import annotations

from newsroom.ingest.blocks import assemble
from newsroom.ingest.characters import SURROGATES, clean_characters, repair_mojibake
from newsroom.ingest.decoding import (
    SUPPORTED_EXTENSIONS,
    decode,
    extension_of,
    unsupported_message,
)
from newsroom.ingest.document import Block, BlockKind, Document, Dropped, IngestError
from newsroom.ingest.html import HTML_DOCUMENT_START, ingest_html, looks_like_html
from newsroom.ingest.limits import MAX_UPLOAD_BYTES, too_large_message
from newsroom.ingest.markdown import ingest_markdown
from newsroom.ingest.text import plain_text_blocks
from newsroom.ingest.word import ingest_docx

__all__ = [
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_EXTENSIONS",
    "Block",
    "BlockKind",
    "Document",
    "Dropped",
    "IngestError",
    "ingest_file",
    "ingest_text",
]


def ingest_file(data: bytes, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Document:
    """Read an uploaded file (raw bytes plus its original name) into a Document."""
    extension = extension_of(filename)
    if extension not in SUPPORTED_EXTENSIONS:
        raise IngestError(unsupported_message(filename, extension))
    if not data:
        raise IngestError("The file is empty.")
    if len(data) > max_bytes:
        raise IngestError(too_large_message("The file", len(data), max_bytes))
    if extension == ".docx":
        return ingest_docx(data)

    text, encoding = decode(data)
    if not text.strip():
        raise IngestError("The file contains only whitespace.")
    text = clean_characters(repair_mojibake(text))
    if extension in (".md", ".markdown"):
        return ingest_markdown(text, encoding, "The file")
    if extension in (".html", ".htm") or HTML_DOCUMENT_START.match(text):
        return ingest_html(text, encoding, "The file")
    return assemble(plain_text_blocks(text), "text", encoding, "The file")


def ingest_text(text: str) -> Document:
    """Read pasted text. Plain text unless it clearly is HTML (a page or several block tags)."""
    text = SURROGATES.sub("", text)
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(too_large_message("The pasted text", size, MAX_UPLOAD_BYTES))
    if not text.strip():
        raise IngestError("The pasted text is empty.")
    text = clean_characters(repair_mojibake(text))
    if looks_like_html(text):
        return ingest_html(text, "utf-8", "The pasted text")
    return assemble(plain_text_blocks(text), "text", "utf-8", "The pasted text")
