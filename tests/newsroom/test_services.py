import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from newsroom import ingest
from newsroom.models import Article, Paragraph
from newsroom.services import ArticleDraft, DuplicateArticleError, article_upload
from tests.factories import make_article, make_outlet, make_story

pytestmark = pytest.mark.django_db


def draft(text: str, headline: str = "A headline") -> ArticleDraft:
    return ArticleDraft(document=ingest.ingest_text(text), source="x.txt", headline=headline)


def test_a_failure_midway_rolls_back_the_articles_before_it():
    good = draft("The first piece is fine.")
    bad = draft("The second piece has no headline.", headline="   ")
    with pytest.raises(ValidationError, match="x.txt"):
        article_upload(story=make_story(), outlet=make_outlet(), drafts=[good, bad])
    assert Article.objects.count() == Paragraph.objects.count() == 0


def test_it_refuses_a_piece_already_stored():
    stored = make_article("Same words here.")
    with pytest.raises(DuplicateArticleError) as caught:
        article_upload(
            story=make_story(), outlet=make_outlet(), drafts=[draft("Same  words here.")]
        )
    assert caught.value.existing == stored


def test_it_stores_paragraphs_in_order_with_their_kinds():
    article = make_article("Heading here\n\nFirst paragraph.\n\na) an item;\n\n- With AP")
    rows = list(article.paragraphs.values_list("position", "kind"))
    assert rows == [(1, "heading"), (2, "paragraph"), (3, "list_item"), (4, "credit")]


def test_the_database_refuses_two_paragraphs_at_one_position():
    article = make_article()
    with pytest.raises(IntegrityError):
        Paragraph.objects.create(article=article, position=1, text="Again.")


def test_the_database_refuses_an_empty_paragraph():
    article = make_article()
    with pytest.raises(IntegrityError):
        Paragraph.objects.create(article=article, position=99, text="")


def test_the_database_refuses_the_same_content_twice():
    article = make_article()
    with pytest.raises(IntegrityError):
        Article.objects.create(
            story=article.story,
            outlet=article.outlet,
            headline="Copy",
            content_hash=article.content_hash,
        )
