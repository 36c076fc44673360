"""Tests for newsroom.ingest: uploaded files and pasted text into clean blocks.

Plain pytest, no database. The two seed articles are the most important fixtures.
"""

import html
import io
import json
import random
import re
import textwrap
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.ingest import (
    MAX_UPLOAD_BYTES,
    SUPPORTED_EXTENSIONS,
    Block,
    BlockKind,
    Document,
    Dropped,
    IngestError,
    ingest_file,
    ingest_text,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "newsroom/seed/goff-carter"
TAG_MARKUP = re.compile(r"<[A-Za-z/!?]")


def kinds_by_text(document: Document) -> dict[str, BlockKind]:
    return {block.text: block.kind for block in document.blocks}


def texts_of(document: Document, kind: BlockKind) -> list[str]:
    return [block.text for block in document.blocks if block.kind is kind]


def all_text(document: Document) -> str:
    return "\n".join(block.text for block in document.blocks)


def docx_bytes(build) -> bytes:
    word = docx.Document()
    build(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def report() -> Document:
    path = SEED_DIR / "herald-report.txt"
    return ingest_file(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def column() -> Document:
    path = SEED_DIR / "armstrong-column.txt"
    return ingest_file(path.read_bytes(), path.name)


# ---------------------------------------------------------------------------------------------
# Seed: the Herald news report (blank-line separated, one paragraph per block)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "Key: Labour not happy team",
        "Expulsion 'petty' - Carter",
        "Little on expulsion",
        "Carter's position untenable - Williams",
        "Labour Party statement:",
        "Decision regarding Chris Carter",
    ],
)
def test_report_section_headings_are_headings(report, heading):
    assert kinds_by_text(report)[heading] is BlockKind.HEADING


def test_report_has_exactly_the_six_headings(report):
    assert len(texts_of(report, BlockKind.HEADING)) == 6


def test_report_agency_line_is_a_credit(report):
    assert texts_of(report, BlockKind.CREDIT) == ["- With NZPA"]


def test_report_lettered_clauses_are_list_items_keeping_their_markers(report):
    items = texts_of(report, BlockKind.LIST_ITEM)
    assert [item[:3] for item in items] == ["a) ", "b) ", "c) ", "d) ", "e) ", "f) "]
    assert items[0] == (
        "a) Preparing the written statement in the terms that he did, "
        "and circulating it to the Press Gallery;"
    )


def test_report_lead_in_to_a_quote_is_a_paragraph_not_a_heading(report):
    lead_in = "Asked if he too believed it was simply a sideshow, he said:"
    assert kinds_by_text(report)[lead_in] is BlockKind.PARAGRAPH


def test_report_has_the_exact_number_of_paragraphs(report):
    counts = Counter(block.kind for block in report.blocks)
    assert counts[BlockKind.PARAGRAPH] == 37
    assert len(report.blocks) == 50  # every non-empty line of the file is one block


def test_report_keeps_quotes_and_order_and_drops_nothing(report):
    assert report.blocks[0].text.startswith("Labour leader Phil Goff has rejected")
    assert report.blocks[3] == Block(
        BlockKind.PARAGRAPH,
        '"I just think it\'s a ridiculous over reaction to make Phil Goff look strong."',
    )
    assert report.blocks[-1].text.startswith("f) Giving an overall public impression")
    assert report.dropped == ()
    assert (report.title, report.byline) == ("", "")
    assert (report.source_format, report.encoding) == ("text", "utf-8")


# ---------------------------------------------------------------------------------------------
# Seed: the Armstrong column (one paragraph per line, page furniture at the end)
# ---------------------------------------------------------------------------------------------


def test_column_has_thirteen_paragraphs(column):
    assert len(column.blocks) == 13
    assert all(block.kind is BlockKind.PARAGRAPH for block in column.blocks)
    assert column.blocks[0].text == (
        "Phil Goff says he is finished with Chris Carter. "
        "Chris Carter is clearly not finished with him."
    )
    assert column.blocks[-1].text.startswith("Regardless, Goff's strategy")


def test_column_drops_exactly_the_page_furniture(column):
    assert [item.text for item in column.dropped] == [
        "John Armstrong: Mischief making weird way to show love of Labour",
        "Opinion",
        "AdvertisementAdvertise with NZME.",
    ]
    assert [item.reason for item in column.dropped] == [
        "byline and headline repeated at the end of the page",
        "section label",
        "advertisement",
    ]


def test_column_title_and_byline_come_from_the_trailing_furniture(column):
    assert column.title == "Mischief making weird way to show love of Labour"
    assert column.byline == "John Armstrong"


def test_column_keeps_no_markup(column):
    assert not TAG_MARKUP.search(all_text(column))
    assert all("<" not in item.text for item in column.dropped)


def test_column_word_count_counts_words_of_kept_blocks_only(column):
    tokens = [token for block in column.blocks for token in block.text.split()]
    assert "-" in tokens  # "no dealings - the hope": a dash is not a word
    assert column.word_count == len(tokens) - tokens.count("-") == 375


# ---------------------------------------------------------------------------------------------
# Line endings, encodings and character clean-up
# ---------------------------------------------------------------------------------------------


def test_it_treats_windows_and_old_mac_line_endings_like_unix_ones(report):
    unix = (SEED_DIR / "herald-report.txt").read_bytes()
    windows = ingest_file(unix.replace(b"\n", b"\r\n"), "report.txt")
    old_mac = ingest_file(unix.replace(b"\n", b"\r"), "report.txt")
    assert windows.blocks == report.blocks
    assert old_mac.blocks == report.blocks


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


def test_it_cleans_invisible_characters_and_odd_spaces_but_keeps_smart_quotes():
    text = "Zero\u200bwidth\u00a0and\u2009thin\tspaces “kept” ‘too’ \x07bell.\u2028Next line."
    document = ingest_text(text)
    assert [block.text for block in document.blocks] == [
        "Zerowidth and thin spaces “kept” ‘too’ bell.",
        "Next line.",
    ]


def test_it_composes_unicode_to_nfc():
    decomposed = "Cafe\u0301 society."
    assert ingest_text(decomposed).blocks[0].text == "Caf\u00e9 society."


def test_it_strips_inline_html_from_plain_text_and_unescapes_entities():
    text = "<b>Bold</b> claims &amp; “quotes” &lt;script&gt;alert(1)&lt;/script&gt; remain.\n"
    document = ingest_file(text.encode(), "inline.txt")
    assert document.blocks[0].text == "Bold claims & “quotes” remain."


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


def test_it_rejects_a_file_over_the_limit_before_decoding_it():
    oversized = b"\x00" * (MAX_UPLOAD_BYTES + 1)  # binary too, but the size is reported
    with pytest.raises(IngestError) as error:
        ingest_file(oversized, "big.txt")
    assert str(error.value) == "The file is just over the 2 MB limit (2,097,153 bytes)."


def test_it_reports_the_size_and_limit_in_megabytes():
    with pytest.raises(IngestError) as error:
        ingest_file(b"x" * 3_000_000, "big.txt")
    assert str(error.value) == "The file is 2.9 MB, which is over the 2 MB limit."


def test_it_honours_a_custom_size_limit():
    with pytest.raises(IngestError, match="limit"):
        ingest_file(b"A short story.", "story.txt", max_bytes=5)


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


def test_it_rejects_a_text_that_is_only_furniture():
    with pytest.raises(IngestError, match="Nothing is left"):
        ingest_text("Advertisement\nShare this article\nAdvertise with NZME.")


def test_errors_are_value_errors():
    assert issubclass(IngestError, ValueError)


# ---------------------------------------------------------------------------------------------
# Plain text structure
# ---------------------------------------------------------------------------------------------


def test_it_joins_hard_wrapped_lines_into_paragraphs():
    text = (
        "A hard-wrapped story\n"
        "\n"
        "This paragraph was wrapped at about seventy characters by an old mail\n"
        "client, so its lines have to be joined back together into a single\n"
        "paragraph.\n"
        "\n"
        "The second paragraph is wrapped in the same way, and it mentions a well-\n"
        "known problem with hyphens at the ends of wrapped lines in the text.\n"
        "\n"
        "- a bullet point\n"
        "- another bullet point\n"
    )
    document = ingest_text(text)
    assert [(block.kind, block.text) for block in document.blocks] == [
        (BlockKind.HEADING, "A hard-wrapped story"),
        (
            BlockKind.PARAGRAPH,
            "This paragraph was wrapped at about seventy characters by an old mail client, "
            "so its lines have to be joined back together into a single paragraph.",
        ),
        (
            BlockKind.PARAGRAPH,
            "The second paragraph is wrapped in the same way, and it mentions a well-known "
            "problem with hyphens at the ends of wrapped lines in the text.",
        ),
        (BlockKind.LIST_ITEM, "a bullet point"),
        (BlockKind.LIST_ITEM, "another bullet point"),
    ]


def test_it_keeps_one_paragraph_per_line_when_lines_are_not_wrapped():
    document = ingest_text("First full sentence here.\nSecond full sentence here.\nThird one.")
    assert len(document.blocks) == 3


@pytest.mark.parametrize(
    "line",
    [
        "- With NZPA",
        "— Additional reporting by AP",
        "– Reuters",
        "Reporting by Jane Doe in Wellington; Editing by John Roe",
    ],
)
def test_it_recognises_credit_lines(line):
    document = ingest_text(f"The story itself is a full sentence.\n{line}")
    assert document.blocks[-1] == Block(BlockKind.CREDIT, line)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("a) First clause", "a) First clause"),
        ("(ii) Second clause", "(ii) Second clause"),
        ("1. Numbered point", "1. Numbered point"),
        ("12) Numbered point", "12) Numbered point"),
        ("• Bullet point", "Bullet point"),
        ("* Starred point", "Starred point"),
        ("- Dashed point", "Dashed point"),
    ],
)
def test_it_recognises_list_items_keeping_ordered_markers_only(line, text):
    document = ingest_text(f"Intro sentence for the list.\n{line}")
    assert document.blocks[-1] == Block(BlockKind.LIST_ITEM, text)


def test_it_turns_markdown_style_quotes_and_hash_headings_into_kinds():
    document = ingest_text("# Hash heading\n> Quoted words from someone.\nA normal sentence.")
    assert [(block.kind, block.text) for block in document.blocks] == [
        (BlockKind.HEADING, "Hash heading"),
        (BlockKind.BLOCKQUOTE, "Quoted words from someone."),
        (BlockKind.PARAGRAPH, "A normal sentence."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "He said:",
        '"Short quote"',
        "lower case start without a full stop",
        "A sentence that ends with a full stop.",
        "This line has far too many words to be a heading even without any final stop",
    ],
)
def test_it_does_not_mistake_sentences_for_headings(line):
    document = ingest_text(f"First sentence of the piece.\n{line}\nLast sentence of the piece.")
    assert document.blocks[1].kind is not BlockKind.HEADING


def test_it_keeps_section_words_and_headings_in_the_middle_of_a_text():
    text = "Opening sentence.\nOpinion\nJohn Armstrong: A headline in the middle\nClosing line."
    document = ingest_text(text)
    assert [block.text for block in document.blocks] == text.split("\n")
    assert document.dropped == ()


def test_it_drops_advertisements_and_boilerplate_anywhere():
    text = (
        "Opening sentence.\n"
        "ADVERTISEMENT\n"
        "Share this article\n"
        "Follow us on Twitter\n"
        "Read more: Another story entirely\n"
        "Middle sentence.\n"
        "Subscribe to our newsletter\n"
        "© 2010 APN Holdings NZ Limited\n"
        "Closing sentence."
    )
    document = ingest_text(text)
    assert [block.text for block in document.blocks] == [
        "Opening sentence.",
        "Middle sentence.",
        "Closing sentence.",
    ]
    assert [item.reason for item in document.dropped] == [
        "advertisement",
        "share prompt",
        "social media prompt",
        "read-more link",
        "subscription prompt",
        "copyright notice",
    ]


def test_it_keeps_sentences_that_merely_start_like_boilerplate():
    text = "Share prices fell sharply on Monday.\nFollow the money, investigators said."
    assert len(ingest_text(text).blocks) == 2


def test_it_takes_a_leading_by_line_as_the_byline():
    document = ingest_text("By Jane Smith\nThe first paragraph.\nThe second paragraph.")
    assert document.byline == "Jane Smith"
    assert document.dropped == (Dropped("By Jane Smith", "byline", BlockKind.HEADING, 0),)


def test_it_drops_section_labels_at_the_very_top():
    document = ingest_text("Politics\nBy Jane Smith\nThe first paragraph.\nThe second one.")
    assert [item.text for item in document.dropped] == ["Politics", "By Jane Smith"]
    assert len(document.blocks) == 2


def test_it_never_drops_the_only_block():
    document = ingest_text("Jacinda Ardern: The speech in full")
    assert len(document.blocks) == 1


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html>
<html><head>
<title>Council expels MP</title>
<meta name="author" content="Jane Reporter">
<style>p { color: red } .secret { content: "STYLE-TEXT" }</style>
<script>document.write("SCRIPT-TEXT")</script>
</head>
<body onload="alert('ONLOAD-TEXT')">
<nav><a href="/">NAV-TEXT Home</a></nav>
<p>The council met <a href="javascript:alert('JS-URL-TEXT')">last night</a> in Wellington.</p>
<p><img src="x.png" onerror="alert('ONERROR-TEXT')">It voted to expel him.</p>
<noscript>NOSCRIPT-TEXT</noscript>
<iframe src="https://ads.example">IFRAME-TEXT</iframe>
<svg><text>SVG-TEXT</text></svg>
<aside>ASIDE-TEXT</aside>
<form><label>FORM-TEXT</label><input value="x"></form>
<footer>FOOTER-TEXT</footer>
</body></html>
"""


def test_html_drops_scripts_styles_handlers_and_javascript_urls_but_keeps_visible_text():
    document = ingest_file(HOSTILE_HTML.encode(), "page.html")
    assert [block.text for block in document.blocks] == [
        "The council met last night in Wellington.",
        "It voted to expel him.",
    ]
    everything = all_text(document) + document.title + document.byline
    for marker in ("SCRIPT", "STYLE", "ONLOAD", "JS-URL", "ONERROR", "javascript", "alert"):
        assert marker not in everything
    for marker in ("NAV", "NOSCRIPT", "IFRAME", "SVG", "ASIDE", "FORM", "FOOTER"):
        assert marker not in everything


def test_html_title_and_author_come_from_title_and_meta():
    document = ingest_file(HOSTILE_HTML.encode(), "page.html")
    assert (document.title, document.byline) == ("Council expels MP", "Jane Reporter")
    assert document.source_format == "html"


def test_html_maps_headings_lists_and_blockquotes():
    page = """<article>
      <h1>Main <em>headline</em></h1>
      <p>Intro   paragraph
         over two lines.</p>
      <h2>Second section</h2>
      <ul><li>First item</li><li><p>Second item</p></li></ul>
      <ol><li>Numbered</li></ol>
      <blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>
      <div>Loose text<br><br>after a double break</div>
      <p>&ldquo;Entities&rdquo; &amp; more&nbsp;text</p>
    </article>"""
    document = ingest_file(page.encode(), "story.htm")
    assert [(block.kind, block.text) for block in document.blocks] == [
        (BlockKind.HEADING, "Main headline"),
        (BlockKind.PARAGRAPH, "Intro paragraph over two lines."),
        (BlockKind.HEADING, "Second section"),
        (BlockKind.LIST_ITEM, "First item"),
        (BlockKind.LIST_ITEM, "Second item"),
        (BlockKind.LIST_ITEM, "Numbered"),
        (BlockKind.BLOCKQUOTE, "Quoted one."),
        (BlockKind.BLOCKQUOTE, "Quoted two."),
        (BlockKind.PARAGRAPH, "Loose text"),
        (BlockKind.PARAGRAPH, "after a double break"),
        (BlockKind.PARAGRAPH, "“Entities” & more text"),
    ]
    assert document.title == "Main headline"  # no <title>, so the first <h1>


def test_html_with_no_readable_text_is_rejected():
    page = b"<html><head><script>x()</script></head><body><nav>Menu</nav><img src=a></body></html>"
    with pytest.raises(IngestError, match="no readable text"):
        ingest_file(page, "empty.html")


def test_html_escaped_markup_does_not_come_back_as_tags():
    page = b"<p>Use &lt;b&gt;bold&lt;/b&gt; and &lt;script&gt;evil()&lt;/script&gt; text.</p>"
    document = ingest_file(page, "escaped.html")
    assert not TAG_MARKUP.search(all_text(document))
    assert "evil" not in all_text(document)


def test_html_drops_advertisements_and_reclassifies_credits():
    page = b"<p>Story text.</p><p>Advertisement</p><p>- With NZPA</p>"
    document = ingest_file(page, "story.html")
    assert document.blocks == (
        Block(BlockKind.PARAGRAPH, "Story text."),
        Block(BlockKind.CREDIT, "- With NZPA"),
    )
    assert document.dropped == (Dropped("Advertisement", "advertisement", position=1),)


def test_a_txt_file_holding_a_whole_html_page_is_read_as_html():
    document = ingest_file(HOSTILE_HTML.encode(), "saved-page.txt")
    assert document.source_format == "html"
    assert len(document.blocks) == 2


def test_deeply_nested_html_is_rejected():
    with pytest.raises(IngestError, match="nested"):
        ingest_file(b"<div>" * 200_000, "deep.html")


def test_pasted_html_uses_the_html_path():
    document = ingest_text("<h2>Pasted heading</h2>\n<p>Pasted <b>paragraph</b>.</p>")
    assert document.source_format == "html"
    assert document.blocks == (
        Block(BlockKind.HEADING, "Pasted heading"),
        Block(BlockKind.PARAGRAPH, "Pasted paragraph."),
    )


def test_pasted_text_with_an_inline_tag_stays_plain_text():
    document = ingest_text("<i>Note:</i> first line.\nSecond line.")
    assert document.source_format == "text"
    assert [block.text for block in document.blocks] == ["Note: first line.", "Second line."]


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------


def test_markdown_headings_lists_quotes_and_emphasis():
    source = """# Big *headline*

Some _emphasis_ and **strong** text,
wrapped onto two lines, with a [link](javascript:alert(1)).

## Subheading

- bullet one
- bullet two

1. first
2. second

> A quoted
> passage.

<script>alert("md")</script>
"""
    document = ingest_file(source.encode(), "post.md")
    assert document.source_format == "markdown"
    assert [(block.kind, block.text) for block in document.blocks] == [
        (BlockKind.HEADING, "Big headline"),
        (
            BlockKind.PARAGRAPH,
            "Some emphasis and strong text, wrapped onto two lines, with a link.",
        ),
        (BlockKind.HEADING, "Subheading"),
        (BlockKind.LIST_ITEM, "bullet one"),
        (BlockKind.LIST_ITEM, "bullet two"),
        (BlockKind.LIST_ITEM, "first"),
        (BlockKind.LIST_ITEM, "second"),
        (BlockKind.BLOCKQUOTE, "A quoted passage."),
    ]
    assert document.title == "Big headline"
    assert "alert" not in all_text(document)


def test_markdown_front_matter_gives_title_and_byline():
    source = '---\ntitle: "Front matter title"\nauthor: Mark Down\n---\n\nBody text.\n'
    document = ingest_file(source.encode(), "post.markdown")
    assert (document.title, document.byline) == ("Front matter title", "Mark Down")
    assert document.blocks == (Block(BlockKind.PARAGRAPH, "Body text."),)


# ---------------------------------------------------------------------------------------------
# Word (.docx)
# ---------------------------------------------------------------------------------------------


def build_article(word) -> None:
    word.core_properties.title = "Carter expelled"
    word.core_properties.author = "Jane Reporter"
    word.add_paragraph("Carter expelled", style="Title")
    word.add_heading("Council decision", level=2)
    word.add_paragraph("The council met \u201ctonight\u201d.")
    word.add_paragraph("First reason", style="List Bullet")
    word.add_paragraph("Second reason", style="List Number")
    word.add_paragraph("A quoted passage.", style="Quote")
    word.add_paragraph("An intense quote.", style="Intense Quote")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell one"
    table.cell(0, 1).text = "Cell two"
    word.add_paragraph("")
    word.add_paragraph("- With NZPA")


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


def run_element(text_tag: str, text: str):
    run = OxmlElement("w:r")
    node = OxmlElement(text_tag)
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    run.append(node)
    return run


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


# ---------------------------------------------------------------------------------------------
# Size and speed
# ---------------------------------------------------------------------------------------------


def test_a_huge_single_line_under_the_limit_is_split_at_sentence_ends():
    line = ("All work and no play makes Jack a dull boy. " * 40_000).encode()
    assert len(line) < MAX_UPLOAD_BYTES
    document = ingest_file(line, "one-line.txt")
    assert len(document.blocks) > 1000
    assert all(len(block.text) <= 1500 for block in document.blocks)
    assert all(block.text.endswith("dull boy.") for block in document.blocks)
    assert document.word_count == 400_000


def test_a_two_megabyte_text_file_with_many_paragraphs_is_read():
    paragraph = b"He said \x93the council\x92s decision\x94 was final, and left. " * 3 + b"\r\n\r\n"
    data = paragraph * (MAX_UPLOAD_BYTES // len(paragraph))
    document = ingest_file(data, "many.txt")
    assert document.encoding == "cp1252"
    assert len(document.blocks) == MAX_UPLOAD_BYTES // len(paragraph)


# Inputs built to be slow to parse. bench/fuzz_upload.py --timings measures how long they take;
# here, what comes out of them.


LINKED_LINE = "Line {0} links to [the report](https://example.org/{0}) and *stresses* it."


def test_markdown_too_costly_to_parse_is_read_as_plain_text():
    """Dense syntax (here a link and emphasis in every line) over the parsing budget."""
    lines = [LINKED_LINE.format(i) for i in range(3000)]
    source = "# Harbour report\n\n" + "\n\n".join(lines)
    document = ingest_file(source.encode(), "notes.md")
    assert document.source_format == "markdown"
    assert document.blocks[0] == Block(BlockKind.HEADING, "Harbour report")
    assert document.blocks[1].text == lines[0]  # Markdown syntax kept as written
    assert len(document.blocks) == 3001


def test_markdown_within_the_budget_is_still_parsed_as_markdown():
    lines = [LINKED_LINE.format(i) for i in range(300)]
    document = ingest_file("\n\n".join(lines).encode(), "notes.md")
    assert document.blocks[0].text == "Line 0 links to the report and stresses it."


def test_markdown_far_longer_than_an_article_is_read_as_plain_text():
    source = "# Long read\n\n" + "A plain sentence with *one* emphasis. " * 8000
    document = ingest_file(source.encode(), "long.md")
    assert document.blocks[0] == Block(BlockKind.HEADING, "Long read")
    assert "*one*" in document.blocks[1].text


@pytest.mark.parametrize("unit", ["[", "![", "*a", "_a", "**a", "[x][", "[](", "`a", "<", "&", "#"])
def test_two_megabytes_of_dense_markdown_syntax_give_a_document_or_an_ingest_error(unit):
    ingest_or_error((unit * (MAX_UPLOAD_BYTES // len(unit))).encode(), "dense.md")


@pytest.mark.parametrize(
    "unit",
    [
        "<div></x>",  # html5ever ignores an end tag that closes nothing
        '<div title="<">',  # a "<" inside a quoted attribute value
        "<div/>",  # "/>" does not close a <div>
        "<span><div></span>",  # </span> cannot close past the <div>
        "<table><x>",
        "<svg><foreignObject><x/>",  # HTML again inside foreignObject
        "<!-- --!><div>",  # "--!>" ends a comment too
    ],
)
def test_deep_html_that_hides_its_depth_is_refused(unit):
    with pytest.raises(IngestError, match="nested more than 256 levels"):
        ingest_file((unit * 300 + "<p>Text.</p>").encode(), "deep.html")


def test_many_unclosed_formatting_tags_are_refused():
    """html5ever rebuilds every open <b> in each new paragraph: 4,000 of them took 10 s and
    16,000 ran out of memory."""
    markup = "".join(f"<p><b class=c{i}>Text {i}." for i in range(300))
    with pytest.raises(IngestError, match="nested more than 256 levels"):
        ingest_file(markup.encode(), "bold.html")


def test_a_tag_with_too_many_attributes_is_refused():
    tag = "<p " + " ".join(f'a{i}=">"' for i in range(1100)) + ">"
    with pytest.raises(IngestError, match="more than 1,000 attributes"):
        ingest_file(f"<html><body>{tag}Text.</p></body></html>".encode(), "attributes.html")


def test_self_closed_svg_shapes_and_markup_inside_scripts_do_not_count_as_nesting():
    chart = "<svg>" + '<rect x="1" y="2"/>' * 3000 + "<title>Chart</title>" + "<path/>" * 3000
    script = "<script>var t = '" + "<div>" * 3000 + "';</script>"
    comment = "<!-- " + "<div>" * 3000 + " -->"
    page = f"<p>Before the chart.</p>{chart}</svg>{script}{comment}<p>After the chart.</p>"
    document = ingest_file(page.encode(), "chart.html")
    assert [block.text for block in document.blocks] == ["Before the chart.", "After the chart."]


@pytest.mark.parametrize("extension", [".txt", ".html", ".md"])
def test_text_that_shows_deep_markup_keeps_no_tag(extension):
    """ "&lt;div&gt;" decodes to "<div>", too deep to hand to the sanitiser; tags still go."""
    data = ("Shown markup: " + "&lt;DIV&gt; Nested. " * 5000 + "Ends here.").encode()
    document = ingest_file(data, f"shown{extension}")
    assert_clean_document(document)
    assert document.blocks[0].text.startswith("Shown markup:")
    assert document.blocks[-1].text.endswith("Ends here.")


def word_xml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}'
        "</w:body></w:document>"
    ).encode()


def docx_replacing(parts: dict[str, bytes]) -> bytes:
    """A real .docx with some of its parts replaced."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(build_article))) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return zip_bytes(members | parts)


def test_a_word_document_with_too_many_paragraphs_is_refused():
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_001
    with pytest.raises(IngestError, match="more than 30,000 paragraphs"):
        ingest_file(docx_replacing({"word/document.xml": word_xml(body)}), "long.docx")


def test_a_word_document_with_absurdly_many_styles_is_refused():
    with zipfile.ZipFile(io.BytesIO(docx_bytes(build_article))) as archive:
        styles = archive.read("word/styles.xml").decode()
    extra = "".join(
        f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="S{i}"/></w:style>'
        for i in range(10_001)
    )
    styles = styles.replace("</w:styles>", extra + "</w:styles>")
    data = docx_replacing({"word/styles.xml": styles.encode()})
    with pytest.raises(IngestError, match="more than 10,000 styles"):
        ingest_file(data, "styles.docx")


def test_a_huge_text_box_is_left_out_of_the_paragraph():
    box = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 100_000
    body = (
        "<w:p><w:r><w:t>Real text.</w:t></w:r>"
        f"<w:r><w:txbxContent>{box}</w:txbxContent></w:r></w:p>"
    )
    document = ingest_file(docx_replacing({"word/document.xml": word_xml(body)}), "boxed.docx")
    assert document.blocks == (Block(BlockKind.PARAGRAPH, "Real text."),)


# ---------------------------------------------------------------------------------------------
# Content hash
# ---------------------------------------------------------------------------------------------


def test_content_hash_ignores_line_endings_and_quote_styles():
    curly = "He said \u201cit\u2019s over\u201d \u2013 and left.\n\nSecond paragraph."
    straight = 'He said "it\'s over" - and left.\r\n\r\nSecond  paragraph.'
    assert ingest_text(curly).content_hash == ingest_text(straight).content_hash
    assert ingest_file(curly.encode(), "a.txt").content_hash == (
        ingest_file(straight.encode("cp1252"), "b.txt").content_hash
    )


def test_content_hash_differs_for_different_text():
    assert ingest_text("One story.").content_hash != ingest_text("Another story.").content_hash


def test_a_document_survives_a_round_trip_through_a_plain_dict(column):
    assert Document.from_dict(column.to_dict()) == column


def test_a_damaged_document_dict_raises_an_ingest_error():
    with pytest.raises(IngestError):
        Document.from_dict({"blocks": [{"kind": "nonsense", "text": "x"}], "dropped": []})


def test_content_hash_is_a_sha256_hex_digest(report):
    assert re.fullmatch(r"[0-9a-f]{64}", report.content_hash)


# ---------------------------------------------------------------------------------------------
# Properties: any input gives a clean Document or an IngestError, nothing else
# ---------------------------------------------------------------------------------------------

HTML_FRAGMENTS = [
    "<p>",
    "</p>",
    "<div>",
    "<h2>",
    "<li>",
    "<blockquote>",
    "<br>",
    "<script>",
    "</script>",
    "<style>",
    "<a href='javascript:alert(1)'>",
    "<img src=x onerror=alert(2)>",
    "&lt;b&gt;",
    "&amp;",
    "<!--",
    "-->",
    "<",
    ">",
    "Hello",
    "world.",
    "Opinion",
    "Advertisement",
    "John Armstrong: A headline here",
    "- With NZPA",
    "a) ",
    "> ",
    "“",
    "\u200b",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\x00",
    "\x93",
]


def assert_clean_document(document: Document) -> None:
    assert isinstance(document, Document)
    assert document.blocks
    for block in document.blocks:
        assert isinstance(block.kind, BlockKind)
        assert block.text
        assert block.text == block.text.strip()
        assert not TAG_MARKUP.search(block.text)
    assert not TAG_MARKUP.search(document.title)
    assert not TAG_MARKUP.search(document.byline)
    assert re.fullmatch(r"[0-9a-f]{64}", document.content_hash)
    assert document.word_count >= 0


FAST_PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Building a Word document per example is slow; fewer examples for those.
DOCX_PROPERTY = settings(FAST_PROPERTY, max_examples=20)


def ingest_or_error(data: bytes, filename: str) -> None:
    """Ingest must give a clean Document or an IngestError with a message, nothing else."""
    try:
        document = ingest_file(data, filename)
    except IngestError as error:
        assert str(error)
    else:
        assert_clean_document(document)


def xml_compatible(char: str) -> bool:
    """Whether an XML document (so a .docx) can hold the character."""
    if char in "\t\n":
        return True
    return unicodedata.category(char) not in ("Cc", "Cs") and char not in "\ufffe\uffff"


# Every format the upload page takes, each with its own examples.
EVERY_EXTENSION = pytest.mark.parametrize("extension", SUPPORTED_EXTENSIONS)
TEXT_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
XML_TEXT = st.text(alphabet=st.characters().filter(xml_compatible), max_size=2000)


@EVERY_EXTENSION
@FAST_PROPERTY
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_a_clean_document_or_an_ingest_error(extension, data):
    ingest_or_error(data, f"upload{extension}")


@EVERY_EXTENSION
@FAST_PROPERTY
@given(text=st.text(max_size=2000), encoding=st.sampled_from(TEXT_ENCODINGS))
def test_any_text_in_any_format_gives_a_clean_document_or_an_ingest_error(
    extension, text, encoding
):
    """Text as a file of each format: encoded for the text formats, as the paragraphs of a
    Word document for .docx."""
    if extension == ".docx":
        text = "".join(char for char in text if xml_compatible(char))
        data = docx_bytes(lambda word: [word.add_paragraph(line) for line in text.split("\n")])
    else:
        data = text.encode(encoding, "replace")
    ingest_or_error(data, f"upload{extension}")


@DOCX_PROPERTY
@given(paragraphs=st.lists(XML_TEXT, max_size=12), title=XML_TEXT, author=XML_TEXT)
def test_any_word_document_text_gives_a_clean_document_or_an_ingest_error(
    paragraphs, title, author
):
    def build(word):
        for index, text in enumerate(paragraphs):
            style = ("Heading 1", "List Bullet", "Quote", None)[index % 4]
            word.add_paragraph(text, style=style)
        word.core_properties.title = title[:255]
        word.core_properties.author = author[:255]

    ingest_or_error(docx_bytes(build), "upload.docx")


@DOCX_PROPERTY
@given(body=st.binary(max_size=3000))
def test_any_bytes_as_the_body_of_a_word_document_give_a_document_or_an_ingest_error(body):
    """A real .docx container whose word/document.xml is arbitrary bytes."""
    data = docx_bytes(build_article)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = body
    ingest_or_error(zip_bytes(parts), "upload.docx")


@FAST_PROPERTY
@given(text=st.text(max_size=2000))
def test_any_pasted_text_gives_a_clean_document_or_an_ingest_error(text):
    try:
        document = ingest_text(text)
    except IngestError as error:
        assert str(error)
    else:
        assert_clean_document(document)


REFERENCE_PIECES = ["&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&lt", "&#60;", "&eacute;", "&"]
REFERENCE_PIECES += [";", "lt", "amp", "a", "<"]


@FAST_PROPERTY
@given(text=st.lists(st.sampled_from(REFERENCE_PIECES), max_size=40).map("".join) | st.text())
def test_unescaping_matches_the_standard_library(text):
    """ingest's fast path for the references nh3 writes gives what html.unescape gives."""
    from newsroom.ingest import _unescape

    assert _unescape(text) == html.unescape(text)


@FAST_PROPERTY
@given(
    parts=st.lists(st.sampled_from(HTML_FRAGMENTS), max_size=60),
    extension=st.sampled_from(SUPPORTED_EXTENSIONS[:5]),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_markup_soup_gives_a_clean_document_or_an_ingest_error(parts, extension, encoding):
    text = "".join(parts)
    for attempt in (
        lambda: ingest_file(text.encode(encoding, "ignore"), f"soup{extension}"),
        lambda: ingest_text(text),
    ):
        try:
            document = attempt()
        except IngestError:
            continue
        assert_clean_document(document)
        for forbidden in ("alert", "javascript"):
            assert forbidden not in all_text(document)


# --------------------------------------------------------------------------------------------
# Mojibake, long blocks, whole web pages, and the admin's choice of blocks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("He said â€œenoughâ€\x9d and left.", "He said “enough” and left."),
        ("Itâ€™s the cafÃ© on the corner.", "It’s the café on the corner."),
        ("The vote â€” 7-2 â€” was close.", "The vote — 7-2 — was close."),
    ],
)
def test_it_repairs_mojibake_in_every_format(broken, repaired):
    as_text = ingest_file(f"{broken}\n\nSecond paragraph.".encode(), "story.txt")
    as_html = ingest_file(f"<p>{broken}</p><p>Second paragraph.</p>".encode(), "story.html")
    pasted = ingest_text(broken)
    for document in (as_text, as_html, pasted):
        assert document.blocks[0].text == repaired


def test_it_leaves_correct_accents_and_curly_quotes_alone():
    text = "Naïve “quotes”, a café in São Paulo, 10 € and 5 £. NÃO is Portuguese."
    assert ingest_text(text).blocks[0].text == text


def test_hard_wrapped_text_without_blank_lines_is_split_into_paragraphs():
    sentence = "The harbour board met on Tuesday and voted to close the northern wharf. "
    prose = sentence * 2200  # 160,000 characters, wrapped at 70 with no blank line anywhere
    lines = textwrap.wrap(prose, 70)
    document = ingest_file("\n".join(lines).encode(), "wrapped.txt")
    assert len(document.blocks) > 100
    assert all(len(block.text) <= 1500 for block in document.blocks)
    assert all(block.text.endswith("northern wharf.") for block in document.blocks)
    assert document.word_count == len(prose.split())


def test_a_long_paragraph_is_split_at_sentence_ends_not_after_an_abbreviation():
    sentence = "Mr. Goff told Dr. Carter the party would meet on Monday at 9 a.m. sharp. "
    document = ingest_text(sentence * 200)
    assert len(document.blocks) > 1
    assert all(block.text.startswith("Mr. Goff told") for block in document.blocks)
    assert all(block.text.endswith("sharp.") for block in document.blocks)


def test_a_passage_with_no_sentence_end_is_refused_with_a_clear_message():
    with pytest.raises(IngestError, match="no sentence end") as caught:
        ingest_file(("lorem ipsum dolor " * 400).encode(), "runon.txt")
    assert "“lorem ipsum dolor" in str(caught.value)
    assert "break it into paragraphs" in str(caught.value)


def test_a_short_text_has_its_first_heading_line_as_title():
    document = ingest_text("Port workers strike\n\nWorkers walked out on Monday.")
    assert document.title == "Port workers strike"


WHOLE_PAGE = """<!doctype html><html><head>
<title>Port workers strike over pay | Harbour News</title>
<meta property="og:title" content="Port workers strike over pay">
<meta property="og:site_name" content="Harbour News">
<meta property="og:url" content="https://harbour.example/port-strike">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body><header><div class="logo">Harbour News</div></header>
<main><article><h1>Port workers strike over pay</h1>
<p>Port workers walked off the job at dawn on Monday, halting container traffic.</p>
<p>"We have been patient for two years," said union organiser Mere Tane.</p>
<h2>Talks stall</h2>
<p>The company said it had offered a 4 per cent rise and accused the union of delay.</p>
<p>Want more? Sign up for our newsletter</p>
<p>Can't afford to contribute?</p>
</article>
<div class="related"><ul><li><a href="/a">Ferry fares to rise again this year</a></li>
<li><a href="/b">Council approves new wharf plan</a></li></ul></div></main></body></html>"""


def test_a_whole_page_keeps_its_main_text_and_lists_the_rest_as_dropped():
    document = ingest_file(WHOLE_PAGE.encode(), "strike.html")
    assert [block.text for block in document.blocks] == [
        "Port workers walked off the job at dawn on Monday, halting container traffic.",
        '"We have been patient for two years," said union organiser Mere Tane.',
        "Talks stall",
        "The company said it had offered a 4 per cent rise and accused the union of delay.",
    ]
    reasons = {item.text: item.reason for item in document.dropped}
    assert reasons["Harbour News"] == "outside the page's main text"
    assert reasons["Port workers strike over pay"] == "the headline"
    assert reasons["Want more? Sign up for our newsletter"] == "newsletter prompt"
    assert reasons["Can't afford to contribute?"] == "contribution request"
    assert "Ferry fares to rise again this year" in reasons


def test_a_whole_page_gives_its_title_site_date_author_and_address():
    document = ingest_file(WHOLE_PAGE.encode(), "strike.html")
    assert (document.title, document.byline, document.site_name) == (
        "Port workers strike over pay",
        "Jane Doe",
        "Harbour News",
    )
    assert (document.published, document.url) == (
        "2024-03-05",
        "https://harbour.example/port-strike",
    )


def test_a_whole_page_is_still_sanitised():
    page = WHOLE_PAGE.replace(
        "<h2>Talks stall</h2>",
        '<h2 onclick="x()">Talks <script>alert(1)</script>stall</h2><img src=x onerror=y()>',
    )
    document = ingest_file(page.encode(), "strike.html")
    assert_clean_document(document)
    everything = all_text(document)
    assert "alert" not in everything and "onerror" not in everything


def test_the_outline_lists_kept_and_dropped_blocks_in_document_order():
    document = ingest_text("Politics\nBy Jane Smith\nThe first paragraph.\nFollow us on X")
    assert [(block.text, reason) for block, reason in document.outline()] == [
        ("Politics", "section label"),
        ("By Jane Smith", "byline"),
        ("The first paragraph.", ""),
        ("Follow us on X", "social media prompt"),
    ]


def test_choosing_blocks_restores_furniture_and_drops_content():
    document = ingest_text("Politics\nThe first paragraph.\nThe second one.\nFollow us on X")
    chosen = document.choose({0, 2})  # restore the prompt, drop the second paragraph
    assert [block.text for block in chosen.blocks] == ["The first paragraph.", "Follow us on X"]
    assert [(item.text, item.reason, item.position) for item in chosen.dropped] == [
        ("Politics", "section label", 0),
        ("The second one.", "dropped in the preview", 2),
    ]
    assert [block.text for block, _ in chosen.outline()] == [
        block.text for block, _ in document.outline()
    ]
    assert chosen.content_hash != document.content_hash


def test_choosing_to_drop_every_block_is_refused():
    document = ingest_text("One paragraph.\n\nAnother one.")
    with pytest.raises(IngestError, match="keep at least one"):
        document.choose({0, 1})


def test_a_document_survives_its_dict_form_with_positions_and_page_metadata():
    document = ingest_file(WHOLE_PAGE.encode(), "strike.html")
    assert Document.from_dict(json.loads(json.dumps(document.to_dict()))) == document
