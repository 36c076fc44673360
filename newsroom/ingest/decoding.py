"""File type, size and decoding: bytes to text, or a clear refusal."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from newsroom.ingest.document import IngestError
from newsroom.ingest.limits import MAX_CONTROL_CHAR_SHARE

SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")

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


def extension_of(filename: str) -> str:
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
    _stem, dot, suffix = basename.rpartition(".")
    return f".{suffix.lower()}" if dot else ""


def unsupported_message(filename: str, extension: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:80] or "The file"
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    what = f"{extension} files are" if extension else "Files without an extension are"
    hint = _UNSUPPORTED_HINTS.get(extension, "")
    return f"“{name}” cannot be used: {what} not supported. Upload one of: {supported}.{hint}"


def sniff_binary_kind(data: bytes) -> str | None:
    """Name well-known binary formats so a renamed PDF or photo gets a helpful message."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "an image or media file"
    if data[4:8] == b"ftyp":
        return "a video or image file"
    return None


def decode(data: bytes) -> tuple[str, str]:
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

    kind = sniff_binary_kind(data)
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
    if controls and controls > MAX_CONTROL_CHAR_SHARE * len(text):
        raise IngestError(f"This file contains binary data, not text. {_NOT_TEXT_ADVICE}")
    return text
