"""The Document: content hash, dict round trip, outline and the admin's choice of blocks."""

import json
import re

import pytest

from newsroom.ingest import (
    Document,
    IngestError,
    ingest_file,
    ingest_text,
)
from tests.newsroom.ingest.support import (
    WHOLE_PAGE,
)

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
