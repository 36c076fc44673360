"""File type, size and decoding: encodings, binary files, unsupported extensions, empty files."""

import random

import pytest

from newsroom.ingest import (
    SUPPORTED_EXTENSIONS,
    Block,
    BlockKind,
    IngestError,
    ingest_file,
    ingest_text,
)


def test_it_decodes_cp1252_smart_quotes_and_keeps_them():
    data = b"He said \x93it\x92s over\x94 \x96 and left.\r\n\r\nCaf\xe9 na\xefve r\xe9sum\xe9."
    document = ingest_file(data, "legacy.txt")
    assert document.encoding == "cp1252"
    assert [block.text for block in document.blocks] == [
        "He said “it’s over” – and left.",
        "Café naïve résumé.",
    ]


def test_it_reads_utf8_with_a_few_stray_cp1252_bytes_without_mojibake():
    data = "He said “hello” to the café owner.\n".encode() + b"Then \x93goodbye\x94.\n"
    document = ingest_file(data, "mixed.txt")
    assert document.encoding == "utf-8+cp1252"
    assert [block.text for block in document.blocks] == [
        "He said “hello” to the café owner.",
        "Then “goodbye”.",
    ]


def test_it_decodes_utf16_with_a_byte_order_mark():
    text = "Headline here\n\nHe said “hello” to the café.\n"
    for codec in ("utf-16", "utf-16-be"):
        data = text.encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        document = ingest_file(data, "wide.txt")
        assert document.encoding == "utf-16"
        assert [block.text for block in document.blocks] == [
            "Headline here",
            "He said “hello” to the café.",
        ]


def test_it_strips_a_utf8_byte_order_mark():
    document = ingest_file("\ufeffFirst paragraph.\nSecond one.".encode(), "bom.txt")
    assert document.encoding == "utf-8-sig"
    assert document.blocks[0].text == "First paragraph."


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_it_rejects_empty_file():
    with pytest.raises(IngestError, match="empty"):
        ingest_file(b"", "empty.txt")


def test_it_rejects_whitespace_only_file():
    with pytest.raises(IngestError, match="only whitespace"):
        ingest_file(b" \r\n\t \n", "blank.txt")


def test_it_rejects_empty_pasted_text():
    with pytest.raises(IngestError, match="empty"):
        ingest_text("  \n ")


def test_it_rejects_nul_bytes_as_binary():
    with pytest.raises(IngestError, match="binary data"):
        ingest_file(b"Looks like text\x00\x00\x01\x02 but is not", "junk.txt")


def test_it_rejects_text_that_is_mostly_control_characters():
    with pytest.raises(IngestError, match="binary data"):
        ingest_file(bytes(range(1, 9)) * 20 + b"abc", "junk.txt")


def test_it_rejects_random_binary_junk():
    junk = random.Random(1234).randbytes(4096)
    with pytest.raises(IngestError):
        ingest_file(junk.replace(b"\x00", b""), "junk.txt")
    with pytest.raises(IngestError, match="binary data"):
        ingest_file(junk, "junk.txt")


def test_it_rejects_a_png_renamed_to_txt():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    with pytest.raises(IngestError, match="PNG image"):
        ingest_file(png, "photo.txt")


def test_it_rejects_a_pdf_renamed_to_txt():
    with pytest.raises(IngestError, match="PDF document"):
        ingest_file(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "story.txt")


def test_it_rejects_an_unsupported_extension_and_lists_the_supported_ones():
    with pytest.raises(IngestError) as error:
        ingest_file(b"Some text.", "story.pdf")
    message = str(error.value)
    assert "story.pdf" in message
    assert all(extension in message for extension in SUPPORTED_EXTENSIONS)


def test_it_rejects_a_file_without_an_extension():
    with pytest.raises(IngestError, match="without an extension"):
        ingest_file(b"Some text.", "README")


def test_it_accepts_upper_case_extensions():
    assert ingest_file(b"Hello world.", "STORY.TXT").blocks == (
        Block(BlockKind.PARAGRAPH, "Hello world."),
    )


def test_it_rejects_a_file_with_only_invisible_characters():
    with pytest.raises(IngestError, match="no readable text"):
        ingest_file("\u200b\u200b\ufeff\u2060".encode(), "zw.txt")


def test_errors_are_value_errors():
    assert issubclass(IngestError, ValueError)
