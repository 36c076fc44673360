"""Plain text: the seed articles, hard-wrapped prose, headings, lists, quotes and credits."""

from collections import Counter

import pytest

from newsroom.ingest import (
    Block,
    BlockKind,
    ingest_text,
)
from tests.newsroom.ingest.support import (
    TAG_MARKUP,
    all_text,
    kinds_by_text,
    texts_of,
)

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
