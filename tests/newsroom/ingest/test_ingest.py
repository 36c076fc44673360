"""Properties of the public entry points: any input gives a clean Document or an IngestError."""

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from newsroom.ingest import (
    SUPPORTED_EXTENSIONS,
    IngestError,
    ingest_file,
    ingest_text,
)
from tests.newsroom.ingest.support import (
    DOCX_PROPERTY,
    EVERY_EXTENSION,
    FAST_PROPERTY,
    HTML_FRAGMENTS,
    TEXT_ENCODINGS,
    XML_TEXT,
    all_text,
    assert_clean_document,
    build_article,
    docx_bytes,
    ingest_or_error,
    xml_compatible,
    zip_bytes,
)


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
