"""Turn an uploaded file or pasted text into clean blocks ready to store as paragraphs.

This is a pure module: it imports nothing from Django, so it can be tested and reused without a
database. The pipeline is

    bytes -> size / type / binary checks -> text (encoding detection)
          -> a reader per format (plain text, Markdown, HTML, .docx) -> raw blocks
          -> shared finishing: normalise every block, drop page furniture, detect byline/title
          -> Document

Every failure a user can cause is raised as ``IngestError`` whose message is a sentence an
admin can act on; no other exception type escapes for any input.

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
* Inputs far larger than any article (over 100,000 lines, 30,000 blocks or 40,000 HTML tags,
  HTML nested over 256 deep, or a tag with over 1,000 attributes) are refused up front so a
  2 MB upload cannot tie up a worker. Markdown whose syntax would take markdown-it-py long to
  parse is read as plain text instead, and text that merely shows such markup (``&lt;div&gt;``
  a million times) is stripped without parsing it.
"""

from __future__ import annotations

import codecs
import dataclasses
import enum
import functools
import hashlib
import html
import io
import itertools
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import charset_normalizer
import docx
import ftfy
import nh3
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from lxml import etree
from lxml.html import HtmlElement, document_fromstring
from markdown_it import MarkdownIt

from newsroom.furniture import MainText, PageMetadata, furniture_reason, main_text
from newsroom.words import word_count

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

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # per file
SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")

_MEBIBYTE = 1024 * 1024
# A .docx is a zip; python-docx inflates every part it reads. Refuse archives that would expand
# past this (zip bombs) before python-docx ever opens them.
_DOCX_MAX_UNCOMPRESSED_BYTES = 20 * _MEBIBYTE
_DOCX_MAX_MEMBERS = 2000
# html5ever (inside nh3) spends time proportional to the nesting depth for every block tag, so a
# megabyte of "<div><div><div>..." takes tens of seconds, and 2 MB of markup 3,000 deep still
# takes two. Real pages nest well under 100 deep (see _html_too_costly).
_MAX_HTML_NESTING = 256
# html5ever also checks every attribute of a tag against the tag's other attributes, so one
# tag with 200,000 attributes takes 15 s. Real tags have a handful.
_MAX_HTML_ATTRIBUTES = 1000
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_CHAR_SHARE = 0.05
# Far beyond any article. They bound the per-line and per-block work, so 2 MB of one-character
# lines or of "<p>a</p>" is refused in a fraction of a second instead of taking many seconds.
_MAX_LINES = 100_000
_MAX_BLOCKS = 30_000
_MAX_HTML_TAGS = 40_000  # tags (opening plus closing) left after sanitising
_TOO_LONG = "far too long for a single article; split it into separate pieces"


class IngestError(ValueError):
    """Input that cannot become an article; str(err) is a clear, user-facing sentence."""


class BlockKind(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    BLOCKQUOTE = "blockquote"
    CREDIT = "credit"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Dropped:
    text: str
    reason: str
    kind: BlockKind = BlockKind.PARAGRAPH
    position: int = 0  # its place among all the document's blocks, kept and dropped, from 0


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...]
    title: str = ""
    byline: str = ""
    source_format: str = "text"  # "text" | "markdown" | "html" | "docx"
    encoding: str = "utf-8"
    site_name: str = ""  # the publisher a web page names (og:site_name)
    published: str = ""  # ISO date a web page gives, "" if none
    url: str = ""  # the page's canonical address, "" if none

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the text with quote style, dashes, case and whitespace ignored.

        A re-upload of the same piece with curly instead of straight quotes, other line endings
        or a different paragraph split hashes equal.
        """
        joined = "\n".join(block.text for block in self.blocks)
        canonical = unicodedata.normalize("NFKC", joined).casefold().translate(_HASH_FOLDING)
        canonical = " ".join(canonical.split())
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @functools.cached_property
    def word_count(self) -> int:
        """Words of the kept blocks (newsroom.words)."""
        return sum(word_count(block.text) for block in self.blocks)

    def outline(self) -> list[tuple[Block, str]]:
        """Every block in document order, kept and dropped, with why it was dropped ("" if
        kept): what the preview shows and lets the admin change."""
        dropped = {item.position: item for item in self.dropped}
        kept = iter(self.blocks)
        outline: list[tuple[Block, str]] = []
        for position in range(len(self.blocks) + len(self.dropped)):
            item = dropped.get(position)
            if item is None:
                outline.append((next(kept), ""))
            else:
                outline.append((Block(item.kind, item.text), item.reason))
        return outline

    def choose(self, dropped: Iterable[int]) -> Document:
        """The document with exactly the blocks at these positions dropped (by the admin), the
        rest kept: furniture can be restored and content dropped."""
        chosen = set(dropped)
        blocks: list[Block] = []
        removed: list[Dropped] = []
        for position, (block, reason) in enumerate(self.outline()):
            if position in chosen:
                why = reason or "dropped in the preview"
                removed.append(Dropped(block.text, why, block.kind, position))
            else:
                blocks.append(block)
        if not blocks:
            raise IngestError("Every block was dropped; keep at least one.")
        return dataclasses.replace(self, blocks=tuple(blocks), dropped=tuple(removed))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, e.g. to keep a previewed document until it is saved."""
        return {
            "blocks": [{"kind": block.kind.value, "text": block.text} for block in self.blocks],
            "dropped": [
                {"text": item.text, "reason": item.reason, "kind": item.kind.value}
                | {"position": item.position}
                for item in self.dropped
            ],
            "title": self.title,
            "byline": self.byline,
            "source_format": self.source_format,
            "encoding": self.encoding,
            "site_name": self.site_name,
            "published": self.published,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from ``to_dict()`` output."""
        try:
            return cls(
                blocks=tuple(Block(BlockKind(b["kind"]), str(b["text"])) for b in data["blocks"]),
                dropped=tuple(
                    Dropped(
                        str(d["text"]),
                        str(d["reason"]),
                        BlockKind(d.get("kind", BlockKind.PARAGRAPH)),
                        int(d.get("position", 0)),
                    )
                    for d in data["dropped"]
                ),
                **{
                    name: str(data.get(name, default))
                    for name, default in (
                        ("title", ""),
                        ("byline", ""),
                        ("source_format", "text"),
                        ("encoding", "utf-8"),
                        ("site_name", ""),
                        ("published", ""),
                        ("url", ""),
                    )
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise IngestError("The saved preview of this document is damaged.") from error


_HASH_FOLDING = str.maketrans(
    {
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)

# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def ingest_file(data: bytes, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Document:
    """Read an uploaded file (raw bytes plus its original name) into a Document."""
    extension = _extension_of(filename)
    if extension not in SUPPORTED_EXTENSIONS:
        raise IngestError(_unsupported_message(filename, extension))
    if not data:
        raise IngestError("The file is empty.")
    if len(data) > max_bytes:
        raise IngestError(_too_large_message("The file", len(data), max_bytes))
    if extension == ".docx":
        return _ingest_docx(data)

    text, encoding = _decode(data)
    if not text.strip():
        raise IngestError("The file contains only whitespace.")
    text = _clean_characters(_repair_mojibake(text))
    if extension in (".md", ".markdown"):
        return _ingest_markdown(text, encoding, "The file")
    if extension in (".html", ".htm") or _HTML_DOCUMENT_START.match(text):
        return _ingest_html(text, encoding, "The file")
    return _assemble(_plain_text_blocks(text), "text", encoding, "The file")


def ingest_text(text: str) -> Document:
    """Read pasted text. Plain text unless it clearly is HTML (a page or several block tags)."""
    text = _SURROGATES.sub("", text)
    size = len(text.encode("utf-8"))
    if size > MAX_UPLOAD_BYTES:
        raise IngestError(_too_large_message("The pasted text", size, MAX_UPLOAD_BYTES))
    if not text.strip():
        raise IngestError("The pasted text is empty.")
    text = _clean_characters(_repair_mojibake(text))
    if _looks_like_html(text):
        return _ingest_html(text, "utf-8", "The pasted text")
    return _assemble(_plain_text_blocks(text), "text", "utf-8", "The pasted text")


# --------------------------------------------------------------------------------------------
# File type, size and decoding
# --------------------------------------------------------------------------------------------

_UNSUPPORTED_HINTS = {
    ".doc": " Open it in Word and save it as a .docx file.",
    ".rtf": " Open it in a word processor and save it as a .docx file.",
    ".odt": " Save it as a .docx file first.",
    ".pages": " Export it as a .docx file first.",
    ".pdf": " Copy the text out of the PDF and paste it instead.",
}

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a zip archive (such as a Word .docx file)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-format (.doc) or password-protected Office file"),
    (b"{\\rtf", "a Rich Text Format (.rtf) document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program file"),
    (b"OggS", "an audio file"),
    (b"fLaC", "an audio file"),
)

# Checked in this order: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BINARY_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

_NOT_TEXT_ADVICE = "Upload a plain text, Markdown, HTML or Word (.docx) file."


def _extension_of(filename: str) -> str:
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
    _stem, dot, suffix = basename.rpartition(".")
    return f".{suffix.lower()}" if dot else ""


def _unsupported_message(filename: str, extension: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:80] or "The file"
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    what = f"{extension} files are" if extension else "Files without an extension are"
    hint = _UNSUPPORTED_HINTS.get(extension, "")
    return f"“{name}” cannot be used: {what} not supported. Upload one of: {supported}.{hint}"


def _megabytes(size: int, digits: int = 1) -> str:
    return f"{size / _MEBIBYTE:.{digits}f}".rstrip("0").rstrip(".")


def _too_large_message(label: str, size: int, limit: int) -> str:
    """'The file is 2.9 MB, which is over the 2 MB limit.' (or 'just over' when they round
    to the same figure)."""
    shown_limit = _megabytes(limit, 2)
    if shown_limit == "0":  # only for tiny limits passed in by callers
        return f"{label} is {size:,} bytes, which is over the {limit:,}-byte limit."
    for digits in (1, 2):
        shown_size = _megabytes(size, digits)
        if float(shown_size) > float(shown_limit):
            return f"{label} is {shown_size} MB, which is over the {shown_limit} MB limit."
    return f"{label} is just over the {shown_limit} MB limit ({size:,} bytes)."


def _sniff_binary_kind(data: bytes) -> str | None:
    """Name well-known binary formats so a renamed PDF or photo gets a helpful message."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "an image or media file"
    if data[4:8] == b"ftyp":
        return "a video or image file"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes to text and the encoding used.

    Order: a byte-order mark; strict UTF-8; UTF-8 with a few stray cp1252 bytes; then
    Windows-1252 or charset-normalizer's best guess (see ``_decode_legacy``).
    """
    for bom, codec in _BYTE_ORDER_MARKS:
        if data.startswith(bom):
            try:
                return _reject_binary_text(data.decode(codec)), codec
            except UnicodeDecodeError:
                continue  # e.g. a UTF-16 BOM followed by an odd number of bytes

    kind = _sniff_binary_kind(data)
    if kind:
        raise IngestError(f"This file looks like {kind}, not text. {_NOT_TEXT_ADVICE}")
    if b"\x00" in data:
        raise IngestError(f"This file contains binary data, not text. {_NOT_TEXT_ADVICE}")
    try:
        return _reject_binary_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if _is_mostly_utf8(data):
        return _reject_binary_text(data.decode("utf-8", _CP1252_FALLBACK)), "utf-8+cp1252"
    text, encoding = _decode_legacy(data)
    return _reject_binary_text(text), encoding


def _is_mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few stray Windows-1252 bytes, as left by copy-paste between systems.

    True when the valid multi-byte UTF-8 characters outnumber the invalid bytes. A genuine
    cp1252 or Latin-1 file almost never contains a valid multi-byte UTF-8 sequence.
    """
    valid = data.decode("utf-8", "ignore")
    non_ascii_chars = len(valid) - len(valid.encode("ascii", "ignore"))
    invalid_bytes = len(data) - len(valid.encode("utf-8"))
    return non_ascii_chars > 0 and invalid_bytes <= non_ascii_chars


def _decode_cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    stray = error.object[error.start : error.end]
    return stray.decode("cp1252", "replace"), error.end


_CP1252_FALLBACK = "newsroom.ingest.cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _decode_cp1252_fallback)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode text that is not UTF-8.

    charset-normalizer alone is unreliable between the single-byte Latin code pages on short
    files (it reads “quotes” from Word as cp1250 or even DOS cp852). Windows-1252 is by far the
    most common legacy encoding for English-language newsroom copy, so it wins whenever
    charset-normalizer finds it plausible; otherwise its best guess is used.
    """
    match = charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best()
    if match is None:
        match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise IngestError(
            "The file's text encoding could not be recognised. "
            "Save it as UTF-8 text and upload it again."
        )
    return str(match), codecs.lookup(match.encoding).name


def _reject_binary_text(text: str) -> str:
    controls = len(_BINARY_CONTROL_CHARS.findall(text))
    if controls and controls > _MAX_CONTROL_CHAR_SHARE * len(text):
        raise IngestError(f"This file contains binary data, not text. {_NOT_TEXT_ADVICE}")
    return text


# --------------------------------------------------------------------------------------------
# Character-level normalisation (shared by every format)
# --------------------------------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_NEEDS_CLEANING = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u206f\u3000\ufeff\ufff9-\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
# Controls (except tab/newline), zero-width and bidi format characters, BOMs, surrogates,
# non-characters and Unicode tag characters.
_INVISIBLE_CHARS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_WHITESPACE_RUN = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+(?:['’]\w+)*")

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
# Blocks longer than this are split at sentence ends into pieces of about the target; analysis
# of a block costs more than linear time in some steps, and no real paragraph is this long.
_MAX_BLOCK_CHARS = 4000
_SPLIT_TARGET_CHARS = 1500
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|No|vs))(?<!\bMrs)(?<!\bProf)"
    r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])"
)


def _clean_characters(text: str) -> str:
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


def _strip_markup(text: str) -> str:
    """Strip tags (nh3 with no allowed tags) and unescape entities, until nothing is left.

    Repeating matters: ``&lt;b&gt;`` unescapes to ``<b>``, which must not survive either. What
    is left after a few rounds, or markup too costly to parse, loses the "<" of every tag.
    """
    if "<" not in text and "&" not in text:  # the common case, at C speed
        return text
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if not _MARKUP_HINT.search(text):
            return text
        if _TAG_START.search(text) and _html_too_costly(text):
            break  # e.g. "&lt;div&gt;" a million times; html5ever would take minutes
        stripped = _unescape(_sanitise(_TEXT_ONLY, text))
        if stripped == text:
            return text
        text = stripped
    return _TAG_START.sub("", text)


def _unescape(text: str) -> str:
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


def _sanitise(cleaner: nh3.Cleaner, markup: str) -> str:
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


def _repair_mojibake(text: str) -> str:
    """UTF-8 that was read as Windows-1252 or Latin-1 somewhere upstream ("â€œ" for "“",
    "cafÃ©"), repaired by ftfy. Its other fixes stay off: quotes stay curly, widths and
    ligatures as written. Only text with a telltale pair of characters is handed to ftfy."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_text(text, _FTFY)


def _split_long(text: str, label: str) -> list[str]:
    """A block over ``_MAX_BLOCK_CHARS`` split at sentence ends into paragraphs of about
    ``_SPLIT_TARGET_CHARS``. A stretch with no sentence end for ``_MAX_BLOCK_CHARS`` is
    refused: no real paragraph runs that long, and analysis time grows with a block's length.
    One pass over the text: linear in its length.
    """
    if len(text) <= _MAX_BLOCK_CHARS:
        return [text] if text else []
    pieces: list[str] = []
    start = last_end = 0  # the current piece's start; the last sentence end after it
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end - start > _SPLIT_TARGET_CHARS and last_end > start:
            pieces.append(text[start:last_end])
            start = last_end
        if end - start > _MAX_BLOCK_CHARS:
            _refuse_run_on(text[start:], label)
        last_end = end
    if len(text) - start > _SPLIT_TARGET_CHARS and last_end > start:
        pieces.append(text[start:last_end])
        start = last_end
    if len(text) - start > _MAX_BLOCK_CHARS:
        _refuse_run_on(text[start:], label)
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _refuse_run_on(text: str, label: str) -> None:
    opening = " ".join(text[:80].split()[:8])
    raise IngestError(
        f"{label} has a passage of over {_MAX_BLOCK_CHARS:,} characters with no sentence end "
        f"(it starts “{opening}…”); break it into paragraphs and upload it again."
    )


def _normalise_text(text: str) -> str:
    """The final form of any block, title or byline: plain, single-spaced, trimmed."""
    cleaned = _clean_characters(_repair_mojibake(text))
    stripped = _strip_markup(cleaned)
    if stripped is not cleaned:
        stripped = _clean_characters(stripped)  # entities may produce odd spaces or controls
    return " ".join(stripped.split())


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------

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


def _check_line_count(text: str) -> None:
    if text.count("\n") > _MAX_LINES:
        raise IngestError(f"The text has more than {_MAX_LINES:,} lines, which is {_TOO_LONG}.")


def _plain_text_blocks(text: str) -> list[Block]:
    _check_line_count(text)
    lines = [_clean_line(line) for line in text.split("\n")]
    groups = _blank_line_groups(lines)
    if _looks_hard_wrapped(groups):
        chunks = [chunk for group in groups for chunk in _unwrap_group(group)]
    else:
        chunks = [line for group in groups for line in group]
    return [_classify_plain(chunk) for chunk in chunks]


def _clean_line(line: str) -> str:
    """Strip inline markup such as ``<i>John Armstrong:</i>`` and collapse spaces."""
    return " ".join(_strip_markup(line).split())


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
        or _is_credit(line)
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
    if _is_credit(text):
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


def _is_credit(text: str) -> bool:
    return len(text) <= _MAX_CREDIT_CHARS and _CREDIT_LINE.fullmatch(text) is not None


def _looks_like_heading(text: str) -> bool:
    """Short, capitalised, not a quotation, no sentence-ending punctuation.

    A short label ending in a colon ("Labour Party statement:") counts; a lead-in to a quote
    ("Asked if ..., he said:") does not.
    """
    if len(text) > _MAX_HEADING_CHARS or text[0] in _OPENING_QUOTES:
        return False
    words = _WORD.findall(text)
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


# --------------------------------------------------------------------------------------------
# HTML (and Markdown, which is rendered to HTML first)
# --------------------------------------------------------------------------------------------

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

_HTML_DOCUMENT_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|blockquote|article|section|main|table|tr|td|br|hr)\b[^<>]*>",
    re.IGNORECASE,
)
# A comment's start, or a start or end tag as html5ever's tokenizer reads it: the name runs to
# whitespace, "/" or ">" (so "<div<" is one odd element), attribute values may hold "<" and
# ">" inside quotes. Possessive and atomic, so it runs in linear time.
_HTML_TOKEN = re.compile(
    r"<(?:!--|(/?)([A-Za-z][^\s/>]*+)"
    r"((?>[\s/]+(?>=?[^\s/>=]*+)(?>\s*=\s*(?>\"[^\"]*+\"?|'[^']*+'?|[^\s>]*+))?)*+))"
)
_COMMENT_END = re.compile(r"--!?>")
_RAW_TEXT_ENDS = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
_HTML_ATTRIBUTE = re.compile(r"[\s/]+[^\s/>]")  # an over-estimate: a value's words count too
# Void elements, and elements the HTML parser closes implicitly, never deepen the tree.
_NON_NESTING_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "option", "optgroup"}
    | {"tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc"}
)
_FOREIGN_ROOTS = frozenset({"svg", "math"})
# In SVG/MathML these hold HTML again, and these HTML tags break out of SVG/MathML ("font"
# only with some attributes; taken as always, which keeps the model deep, not shallow).
_HTML_IN_FOREIGN = frozenset(
    {"foreignobject", "desc", "title", "annotation-xml", "mi", "mo", "mn", "ms", "mtext"}
)
_FOREIGN_BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em"}
    | {"embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing"}
    | {"menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong"}
    | {"strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font"}
)
# End tags that close everything opened inside their element (when it is in scope), and the
# elements that bound that scope (a superset of html5ever's, so the model errs deep).
_BLOCK_END_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "button", "center", "details", "dialog"}
    | {"dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup"}
    | {"listing", "main", "menu", "nav", "ol", "pre", "search", "section", "summary", "ul"}
    | {"form", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_SCOPE_BOUNDARIES = frozenset(
    {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"}
    | {"button", "ol", "ul", "select"}
    | _FOREIGN_ROOTS
    | _HTML_IN_FOREIGN
)
_DOUBLE_BREAK = re.compile(r"\n[ ]*\n")
_OUTSIDE_MAIN = "outside the page's main text"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']{1,990}")
# A script URL shown as link text (e.g. a Markdown autolink <javascript:...>) is code, not prose.
_SCRIPT_URL = re.compile(r"(?:java|vb|live)script:\S*", re.IGNORECASE)
_AUTHOR_META = re.compile(r"^\s*author\s*$", re.IGNORECASE)

_MARKDOWN = MarkdownIt("commonmark").enable("table")
# markdown-it leaves links it distrusts (javascript:, data:) as literal "[text](url)" source.
# Letting it render them instead means nh3, which keeps no <a> and no attributes, removes the
# URL and keeps only the link text.
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_FRONT_MATTER_LIMIT = 10_000  # characters searched for a closing "---"
# markdown-it-py is pure Python and slow on dense syntax: 2 MB of "[" took 40 s, of "*a" 20 s,
# even of "#" 6 s. Its block parser costs about 20 µs a line and 45 µs a list marker; its
# inline parser passes over plain words in bulk but stops at every character that may start
# syntax, about 4 µs a stop and up to 30 µs at "["; and every '"', "&", "<" and ">" becomes a
# character reference for nh3 to read back. The weights are those costs in units of ~4 µs
# (measured); a text over the budget (about a third of a second of parsing, where an ordinary
# article costs a few thousand units) is read like plain text instead, which knows "#"
# headings, ">" quotes and list items too but keeps inline syntax such as "*" as written.
_MARKDOWN_COSTS = {
    **dict.fromkeys('#$%:=>@]^{}~"', 1),
    **dict.fromkeys("`\\", 2),
    **dict.fromkeys("!&", 4),
    **dict.fromkeys("_", 6),
    **dict.fromkeys("<", 12),
    **dict.fromkeys("*+-", 11),
    **dict.fromkeys("\n", 16),
    **dict.fromkeys("[", 20),
}
_MARKDOWN_BUDGET = 80_000
# Some rules also scan ahead character by character in Python, and may scan the same stretch a
# few times over ("<" scans to the next "<" or ">": "![&<a(![](<" and 2 MB of words took 3 s).
# That is bounded by the length, so longer Markdown, far longer than an article, is plain text.
_MARKDOWN_MAX_CHARS = 256 * 1024


def _looks_like_html(text: str) -> bool:
    """Pasted text is HTML if it is a page, starts with a block tag, or has several."""
    if _HTML_DOCUMENT_START.match(text):
        return True
    block_tags = sum(1 for _ in itertools.islice(_HTML_BLOCK_TAG.finditer(text), 2))
    starts_with_tag = text.lstrip().startswith("<")
    return block_tags >= 2 or (starts_with_tag and block_tags >= 1)


def _ingest_html(text: str, encoding: str, label: str) -> Document:
    """HTML to blocks. For a whole page, trafilatura finds the main text and the page's
    metadata; every block outside the main text is listed as dropped (the preview can
    restore it). The blocks themselves always come from the nh3-sanitised tree."""
    root = _sanitised_tree(text)
    title, byline = _html_metadata(root)
    main, page = main_text(text) if _HTML_DOCUMENT_START.match(text) else (None, None)
    return _assemble(
        _html_blocks(root),
        "html",
        encoding,
        label,
        title=title,
        byline=byline,
        main=main,
        page=page,
    )


def _ingest_markdown(text: str, encoding: str, label: str) -> Document:
    _check_line_count(text)
    metadata, body = _split_front_matter(text)
    if len(body) > _MARKDOWN_MAX_CHARS or _markdown_cost(body) > _MARKDOWN_BUDGET:
        blocks, title, byline = _plain_text_blocks(body), "", ""
    else:
        root = _sanitised_tree(_MARKDOWN.render(body))
        blocks = _html_blocks(root)
        title, byline = _html_metadata(root)
    return _assemble(
        blocks,
        "markdown",
        encoding,
        label,
        title=metadata.get("title") or title,
        byline=metadata.get("author") or metadata.get("byline") or byline,
    )


def _markdown_cost(text: str) -> int:
    """An estimate of the work markdown-it and nh3 would do on ``text``, in units of ~4 µs."""
    return sum(text.count(char) * weight for char, weight in _MARKDOWN_COSTS.items())


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


def _html_too_costly(markup: str) -> str | None:
    """Why html5ever (inside nh3) would take quadratic time on ``markup``, or None.

    Replays the tags on a model of html5ever's stack of open elements and watches its depth,
    and counts the attributes of every tag. The model is never shallower than the real
    stack: where html5ever might keep an element open, it stays open.

    * An end tag pops only when it names the innermost element, or names a block
      (``</div>``) opened since the nearest scope boundary (``<table>``, ``<ul>``, ...);
      html5ever ignores ``</x>`` with no open ``x``, so that must not undo ``<div>``.
    * Elements the parser closes at once (``<br>``, ``<p>``, ``<li>``, ...) are not pushed;
      "/>" closes an element only in SVG or MathML content, and an HTML tag there
      (``<div>``) makes its own content HTML again.
    * The text inside <script>, <style>, <textarea>, <title> (outside SVG/MathML) and
      comments holds no tags, as for the parser; the model ends them no later than it does.

    Real pages stay far below both limits (rustdoc pages: depth under 40).
    """
    names: list[str] = []  # the open elements, innermost last
    foreign: list[bool] = []  # per element: are its children SVG/MathML content?
    scopes: list[Counter[str]] = [Counter()]  # names open above each scope boundary
    bounds: list[int] = []  # stack positions of the open scope boundaries

    def pop() -> str:
        name = names.pop()
        foreign.pop()
        if bounds and bounds[-1] == len(names):
            bounds.pop()
            scopes.pop()
        else:
            scopes[-1][name] -= 1
        return name

    skip_to = 0  # inside a comment or raw text up to here
    for token in _HTML_TOKEN.finditer(markup):
        if token.start() < skip_to:
            continue
        closing, name, attributes = token.groups()
        if name is None:  # "<!--"
            comment_end = _COMMENT_END.search(markup, token.start() + 2)
            if comment_end is None:
                break
            skip_to = comment_end.end()
            continue
        if len(attributes) > _MAX_HTML_ATTRIBUTES and (
            len(_HTML_ATTRIBUTE.findall(attributes)) > _MAX_HTML_ATTRIBUTES
        ):
            return (
                f"The HTML has a tag with more than {_MAX_HTML_ATTRIBUTES:,} attributes, "
                "so it cannot be read safely."
            )
        name = name.lower()
        if closing:
            if not names:
                continue
            if names[-1] == name:
                pop()
            elif name in _BLOCK_END_TAGS and scopes[-1][name] > 0:
                while pop() != name:
                    pass
            elif bounds and names[bounds[-1]] == name:
                boundary = bounds[-1]
                while len(names) > boundary:
                    pop()
            continue
        in_foreign = bool(foreign) and foreign[-1] and name not in _FOREIGN_BREAKOUT
        if in_foreign or name in _FOREIGN_ROOTS:
            if attributes.rstrip().endswith("/"):
                continue
        elif name in _NON_NESTING_TAGS:
            continue
        elif name in _RAW_TEXT_ENDS:
            raw_end = _RAW_TEXT_ENDS[name].search(markup, token.end())
            if raw_end is None:
                break  # the rest of the page is text
            skip_to = raw_end.start()  # the end tag itself pops the element
        if name in _SCOPE_BOUNDARIES:
            bounds.append(len(names))
            scopes.append(Counter())
        else:
            scopes[-1][name] += 1
        names.append(name)
        foreign.append((in_foreign or name in _FOREIGN_ROOTS) and name not in _HTML_IN_FOREIGN)
        if len(names) > _MAX_HTML_NESTING:
            return (
                f"The HTML is nested more than {_MAX_HTML_NESTING} levels deep, "
                "so it cannot be read safely."
            )
    return None


def _sanitised_tree(markup: str) -> HtmlElement:
    """Sanitise with nh3 (block structure only), then parse the safe HTML with lxml.

    lxml's own tree, not BeautifulSoup's: BeautifulSoup takes a Python call for every
    character reference, so 2 MB of "<" (8 MB of "&lt;" once sanitised) took seconds.
    """
    problem = _html_too_costly(markup)
    if problem:
        raise IngestError(problem)
    safe = _sanitise(_BLOCKS_ONLY, markup)
    if safe.count("<") > _MAX_HTML_TAGS:  # every "<" left by nh3 starts a tag
        raise IngestError(f"The HTML has more than {_MAX_HTML_TAGS:,} tags, which is {_TOO_LONG}.")
    # The explicit <body> keeps everything, <title> and <meta> too, in one predictable place.
    return document_fromstring(f"<body>{safe}</body>")


def _html_metadata(root: HtmlElement) -> tuple[str, str]:
    """<title> (or else the first <h1>) and <meta name="author">."""
    title = ""
    for tag_name in ("title", "h1"):
        element = next(root.iter(tag_name), None)
        if element is not None:
            title = _normalise_text(" ".join(element.itertext()))
            if title:
                break
    byline = ""
    for meta in root.iter("meta"):
        if _AUTHOR_META.search(meta.get("name") or ""):
            byline = _normalise_text(meta.get("content") or "")
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


def _html_blocks(root: HtmlElement) -> list[Block]:
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
            text = _WHITESPACE_RUN.sub(" ", node)
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


# --------------------------------------------------------------------------------------------
# Word (.docx)
# --------------------------------------------------------------------------------------------

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
# Word documents define a few hundred styles; python-docx reads each one into Python.
_DOCX_MAX_STYLES = 10_000


def _ingest_docx(data: bytes) -> Document:
    _check_docx_archive(data)
    try:
        word = docx.Document(io.BytesIO(data))
        blocks = list(itertools.islice(_docx_blocks(word), _MAX_BLOCKS + 1))  # more: refused
        core = word.core_properties
        title, author = core.title or "", core.author or ""
    except IngestError:
        raise
    except Exception as error:  # python-docx/lxml/zipfile raise many types for corrupt files
        raise IngestError(
            "This Word document is damaged or not a real .docx file, so it cannot be read. "
            "Open it in Word, save it as .docx again and re-upload it."
        ) from error
    if not _normalise_text(title):
        headings = (b.text for b in blocks if b.kind is BlockKind.HEADING and b.text.strip())
        title = next(headings, "")
    if author.strip().casefold() in _PLACEHOLDER_AUTHORS:
        author = ""
    return _assemble(blocks, "docx", "utf-8", "The Word document", title=title, byline=author)


def _check_docx_archive(data: bytes) -> None:
    """Refuse non-zips, zips without a Word body, and zip bombs, before python-docx runs."""
    not_docx = "This file is not a valid Word (.docx) document"
    if not data.startswith(b"PK"):
        kind = _sniff_binary_kind(data)
        raise IngestError(f"{not_docx}; it looks like {kind}." if kind else f"{not_docx}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises BadZipFile, OSError, ValueError, EOFError, ...
        raise IngestError(f"{not_docx}: the file is damaged or incomplete.") from error
    if "word/document.xml" not in {member.filename for member in members}:
        raise IngestError(f"{not_docx}: it is a zip archive without a Word document inside.")
    unpacked = sum(member.file_size for member in members)
    if len(members) > _DOCX_MAX_MEMBERS or unpacked > _DOCX_MAX_UNCOMPRESSED_BYTES:
        raise IngestError(
            f"This Word document unpacks to more than "
            f"{_megabytes(_DOCX_MAX_UNCOMPRESSED_BYTES)} MB, which is too large to read safely."
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
    if len(styles) > _DOCX_MAX_STYLES:
        raise IngestError(
            f"This Word document defines more than {_DOCX_MAX_STYLES:,} styles, far more than "
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


# --------------------------------------------------------------------------------------------
# Page furniture and the shared finishing step
# --------------------------------------------------------------------------------------------

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


def _assemble(
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
    if len(candidates) > _MAX_BLOCKS:
        raise IngestError(
            f"{label} would make more than {_MAX_BLOCKS:,} paragraphs, which is {_TOO_LONG}."
        )
    kept: list[tuple[int, Block]] = []
    dropped: list[tuple[int, Dropped]] = []
    order = itertools.count()
    for raw in candidates:
        pieces = _split_long(_normalise_text(raw.text), label)
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
            is_credit = kind is BlockKind.PARAGRAPH and _is_credit(text)
            kept.append((index, Block(BlockKind.CREDIT if is_credit else kind, text)))
    if not kept and not dropped:
        raise IngestError(_EMPTY_MESSAGES[source_format].format(label=label))
    if not kept and main is not None:  # the extractor missed the text: keep the page whole
        kept = [(i, Block(d.kind, d.text)) for i, d in dropped if d.reason == _OUTSIDE_MAIN]
        dropped = [(i, d) for i, d in dropped if d.reason != _OUTSIDE_MAIN]
    if len(kept) + len(dropped) > _MAX_BLOCKS:
        raise IngestError(
            f"{label} would make more than {_MAX_BLOCKS:,} paragraphs, which is {_TOO_LONG}."
        )

    leading_byline = _drop_leading_furniture(kept, dropped)
    trailing_byline, trailing_title = _drop_trailing_furniture(kept, dropped)
    if not kept:
        raise IngestError(
            f"Nothing is left of {label[0].lower()}{label[1:]} after removing advertisements "
            "and page furniture."
        )
    page = page or PageMetadata()
    title = _normalise_text(page.title) or _normalise_text(title) or trailing_title
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
            _normalise_text(byline)
            or _normalise_text(page.author)
            or leading_byline
            or trailing_byline
        ),
        source_format=source_format,
        encoding=encoding,
        site_name=_normalise_text(page.site_name)[:200],
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
    if not 2 <= len(_WORD.findall(headline)) <= 20:
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
