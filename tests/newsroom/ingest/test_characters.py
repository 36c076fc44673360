"""Character clean-up: line endings, invisible characters, NFC, markup, entities, mojibake."""

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom.ingest import (
    ingest_file,
    ingest_text,
)
from tests.newsroom.ingest.support import (
    FAST_PROPERTY,
    REFERENCE_PIECES,
    SEED_DIR,
)

# ---------------------------------------------------------------------------------------------
# Line endings, encodings and character clean-up
# ---------------------------------------------------------------------------------------------


def test_it_treats_windows_and_old_mac_line_endings_like_unix_ones(report):
    unix = (SEED_DIR / "herald-report.txt").read_bytes()
    windows = ingest_file(unix.replace(b"\n", b"\r\n"), "report.txt")
    old_mac = ingest_file(unix.replace(b"\n", b"\r"), "report.txt")
    assert windows.blocks == report.blocks
    assert old_mac.blocks == report.blocks


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


@FAST_PROPERTY
@given(text=st.lists(st.sampled_from(REFERENCE_PIECES), max_size=40).map("".join) | st.text())
def test_unescaping_matches_the_standard_library(text):
    """ingest's fast path for the references nh3 writes gives what html.unescape gives."""
    from newsroom.ingest.characters import unescape

    assert unescape(text) == html.unescape(text)


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
