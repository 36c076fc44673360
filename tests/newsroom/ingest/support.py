"""Helpers shared by the ingest tests."""

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from newsroom.ingest import (
    SUPPORTED_EXTENSIONS,
    BlockKind,
    Document,
    IngestError,
    ingest_file,
)

SEED_DIR = Path(__file__).resolve().parents[3] / "newsroom/seed/goff-carter"


# What a browser would read as the start of a tag, comment or doctype. A "</" that ends the
# text starts none (hypothesis found "0</", kept as text by every version of ingest).
TAG_MARKUP = re.compile(r"<[A-Za-z!?]|</(?=.)", re.DOTALL)


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


def run_element(text_tag: str, text: str):
    run = OxmlElement("w:r")
    node = OxmlElement(text_tag)
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    run.append(node)
    return run


# Inputs built to be slow to parse. bench/fuzz_upload.py --timings measures how long they take;
# here, what comes out of them.


LINKED_LINE = "Line {0} links to [the report](https://example.org/{0}) and *stresses* it."


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
    # a block with a letter or digit holds a word; a word is at least a character long
    wordy = [block for block in document.blocks if any(c.isalnum() for c in block.text)]
    assert len(wordy) <= document.word_count <= sum(len(block.text) for block in document.blocks)


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


REFERENCE_PIECES = ["&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&lt", "&#60;", "&eacute;", "&"]


REFERENCE_PIECES += [";", "lt", "amp", "a", "<"]


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
