"""HTML: sanitised structure, metadata, whole web pages and their main text."""

import pytest

from newsroom.ingest import (
    Block,
    BlockKind,
    Dropped,
    IngestError,
    ingest_file,
    ingest_text,
)
from tests.newsroom.ingest.support import (
    HOSTILE_HTML,
    TAG_MARKUP,
    WHOLE_PAGE,
    all_text,
    assert_clean_document,
)


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
