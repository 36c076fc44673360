"""Markdown rendered to blocks, front matter."""

from newsroom.ingest import (
    Block,
    BlockKind,
    ingest_file,
)
from tests.newsroom.ingest.support import (
    all_text,
)

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
