import io

import pytest
from django.core.management import call_command

from newsroom.models import Actor, Article, Paragraph, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())
    return Story.objects.get(slug="goff-carter")


def test_it_loads_the_story_its_two_pieces_and_its_actors(seeded):
    report, column = seeded.articles.order_by("genre")
    assert (report.genre, column.genre) == ("news", "opinion")
    assert column.byline == "John Armstrong"
    assert column.headline == "Mischief making weird way to show love of Labour"
    assert {a.outlet.name for a in (report, column)} == {"New Zealand Herald"}
    assert "New Zealand Herald" in report.attribution
    carter = Actor.objects.get(story=seeded, name="Chris Carter")
    assert carter.alias_list == ["Mr Carter", "Carter", "the Te Atatu MP"]
    assert seeded.actors.count() == 6


def test_the_report_keeps_its_subheadings_credit_and_statement(seeded):
    report = seeded.articles.get(genre="news")
    headings = list(report.paragraphs.filter(kind="heading").values_list("text", flat=True))
    assert "Key: Labour not happy team" in headings
    assert "Expulsion 'petty' - Carter" in headings
    assert "Decision regarding Chris Carter" in headings
    assert report.paragraphs.get(kind="credit").text == "- With NZPA"
    assert report.paragraphs.filter(kind="list_item").count() == 6


def test_the_column_loses_its_page_furniture(seeded):
    column = seeded.articles.get(genre="opinion")
    texts = list(column.paragraphs.values_list("text", flat=True))
    assert len(texts) == 13
    assert texts[0].startswith("Phil Goff says he is finished with Chris Carter.")
    assert not any("Advertis" in t or t == "Opinion" or "<i>" in t for t in texts)


def test_it_is_idempotent(seeded):
    counts = (Article.objects.count(), Paragraph.objects.count(), Actor.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Article.objects.count(), Paragraph.objects.count(), Actor.objects.count()) == counts
