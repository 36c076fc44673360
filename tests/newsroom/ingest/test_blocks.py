"""The shared finishing step: furniture dropped, over-long blocks split, title and byline found."""

import textwrap

import pytest

from newsroom.ingest import (
    MAX_UPLOAD_BYTES,
    BlockKind,
    Dropped,
    IngestError,
    ingest_file,
    ingest_text,
)


def test_it_rejects_a_text_that_is_only_furniture():
    with pytest.raises(IngestError, match="Nothing is left"):
        ingest_text("Advertisement\nShare this article\nAdvertise with NZME.")


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


@pytest.mark.parametrize("mark", ["…", ".", "?!"])
def test_a_line_of_nothing_but_end_marks_is_refused_as_a_run_on(mark):
    """Found by bench/fuzz_upload.py (seed 6, case 219): 2 MB of "…" in one line. Every dot
    used to start a new try at a sentence end running to the end of the line."""
    data = (mark * (MAX_UPLOAD_BYTES // len(mark.encode()))).encode()
    for name in ("dots.md", "dots.txt"):
        with pytest.raises(IngestError, match="no sentence end"):
            ingest_file(data, name)
