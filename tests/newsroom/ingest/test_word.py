"""Word (.docx): styles, core properties, tracked changes, content controls, damaged files."""

import random

import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from newsroom.ingest import (
    Block,
    BlockKind,
    IngestError,
    ingest_file,
)
from tests.newsroom.ingest.support import (
    build_article,
    docx_bytes,
    run_element,
    zip_bytes,
)


def test_docx_paragraph_styles_become_block_kinds():
    document = ingest_file(docx_bytes(build_article), "story.docx")
    assert [(block.kind, block.text) for block in document.blocks] == [
        (BlockKind.HEADING, "Carter expelled"),
        (BlockKind.HEADING, "Council decision"),
        (BlockKind.PARAGRAPH, "The council met \u201ctonight\u201d."),
        (BlockKind.LIST_ITEM, "First reason"),
        (BlockKind.LIST_ITEM, "Second reason"),
        (BlockKind.BLOCKQUOTE, "A quoted passage."),
        (BlockKind.BLOCKQUOTE, "An intense quote."),
        (BlockKind.PARAGRAPH, "Cell one"),
        (BlockKind.PARAGRAPH, "Cell two"),
        (BlockKind.CREDIT, "- With NZPA"),
    ]
    assert document.source_format == "docx"


def test_docx_title_and_byline_come_from_core_properties():
    document = ingest_file(docx_bytes(build_article), "story.docx")
    assert (document.title, document.byline) == ("Carter expelled", "Jane Reporter")


def test_docx_placeholder_author_is_not_a_byline():
    def build(word):  # python-docx's template says the author is "python-docx"
        word.add_heading("Only a heading", level=1)
        word.add_paragraph("And a paragraph.")

    document = ingest_file(docx_bytes(build), "plain.docx")
    assert document.byline == ""
    assert document.title == "Only a heading"


def test_docx_numbered_paragraphs_are_list_items():
    def build(word):
        paragraph = word.add_paragraph("Numbered by direct formatting")
        properties = paragraph._p.get_or_add_pPr()
        properties.get_or_add_numPr().get_or_add_numId().val = 1

    document = ingest_file(docx_bytes(build), "numbered.docx")
    assert document.blocks[0].kind is BlockKind.LIST_ITEM


def test_docx_keeps_tracked_insertions_and_leaves_out_tracked_deletions():
    def build(word):
        paragraph = word.add_paragraph("Kept ")
        inserted = OxmlElement("w:ins")
        inserted.set(qn("w:id"), "1")
        inserted.set(qn("w:author"), "Sub Editor")
        inserted.append(run_element("w:t", "inserted"))
        deleted = OxmlElement("w:del")
        deleted.set(qn("w:id"), "2")
        deleted.set(qn("w:author"), "Sub Editor")
        deleted.append(run_element("w:delText", " deleted"))
        paragraph._p.append(inserted)
        paragraph._p.append(deleted)
        paragraph.add_run(" words.")

    document = ingest_file(docx_bytes(build), "tracked.docx")
    assert document.blocks == (Block(BlockKind.PARAGRAPH, "Kept inserted words."),)


def test_docx_reads_paragraphs_inside_content_controls():
    def build(word):
        word.add_paragraph("Before the control.")
        control = OxmlElement("w:sdt")
        content = OxmlElement("w:sdtContent")
        paragraph = OxmlElement("w:p")
        paragraph.append(run_element("w:t", "Inside the control."))
        content.append(paragraph)
        control.append(content)
        word.element.body.insert(1, control)

    document = ingest_file(docx_bytes(build), "control.docx")
    assert [block.text for block in document.blocks] == [
        "Before the control.",
        "Inside the control.",
    ]


def test_a_long_docx_is_read_whole():
    def build(word):
        for number in range(5000):
            word.add_paragraph(f"Paragraph {number} of a very long document.")

    data = docx_bytes(build)
    document = ingest_file(data, "long.docx")
    assert len(document.blocks) == 5000


def test_it_rejects_random_bytes_named_docx():
    with pytest.raises(IngestError, match="not a valid Word"):
        ingest_file(random.Random(7).randbytes(2000), "story.docx")


def test_it_rejects_a_zip_without_a_word_document_named_docx():
    with pytest.raises(IngestError, match="without a Word document"):
        ingest_file(zip_bytes({"notes.txt": b"hello"}), "story.docx")


def test_it_rejects_a_truncated_docx():
    data = docx_bytes(build_article)
    with pytest.raises(IngestError, match="Word"):
        ingest_file(data[: len(data) // 2], "story.docx")


def test_it_rejects_a_zip_with_garbage_in_place_of_the_document():
    members = {"[Content_Types].xml": b"<nope", "word/document.xml": b"not xml at all"}
    with pytest.raises(IngestError, match="Word"):
        ingest_file(zip_bytes(members), "story.docx")


def test_it_rejects_a_docx_zip_bomb_before_unpacking_it():
    bomb = zip_bytes({"word/document.xml": b"<w/>", "word/media/huge.bin": bytes(25 * 2**20)})
    assert len(bomb) < 100_000
    with pytest.raises(IngestError, match="too large"):
        ingest_file(bomb, "bomb.docx")


def test_it_names_a_pdf_renamed_to_docx():
    with pytest.raises(IngestError, match="PDF"):
        ingest_file(b"%PDF-1.4 rest of the file", "story.docx")
