"""Coarse limits: huge inputs, dense Markdown, deep or attribute-heavy HTML, oversized .docx."""

import io
import zipfile

import pytest

from newsroom.ingest import (
    MAX_UPLOAD_BYTES,
    Block,
    BlockKind,
    IngestError,
    ingest_file,
)
from tests.newsroom.ingest.support import (
    LINKED_LINE,
    assert_clean_document,
    build_article,
    docx_bytes,
    docx_replacing,
    ingest_or_error,
    word_xml,
)


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


def test_a_two_megabyte_text_file_with_many_paragraphs_is_read():
    paragraph = b"He said \x93the council\x92s decision\x94 was final, and left. " * 3 + b"\r\n\r\n"
    data = paragraph * (MAX_UPLOAD_BYTES // len(paragraph))
    document = ingest_file(data, "many.txt")
    assert document.encoding == "cp1252"
    assert len(document.blocks) == MAX_UPLOAD_BYTES // len(paragraph)


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


def test_html_with_more_tags_than_any_article_page_is_refused():
    """The limit on start tags also bounds what a stray end tag hides from the depth count
    (``<div><table></div>``: the parser keeps the <div> open, the count closes it)."""
    ingest_file(("<p>Text.</p>" * 10_000).encode(), "long.html")  # 10,000 tags: read
    with pytest.raises(IngestError, match="more than 20,000 tags"):
        ingest_file(("<div><table></div>" * 10_001).encode(), "tags.html")


def test_an_end_tag_of_a_block_closes_what_was_left_open_inside_it():
    sloppy = "<div><span><b>Text.</div>" * 400  # 1,200 unclosed inline tags, none deep
    document = ingest_file(sloppy.encode(), "sloppy.html")
    assert len(document.blocks) == 400


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
