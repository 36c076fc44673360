"""newsroom.models: the rules that live on the models and their querysets (cleaning, slugs,
counts, which actors are analysed, aliases, staged uploads that expire) and the constraints the
database enforces. Paragraph's own constraints are pinned in test_services.py."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from newsroom.models import (
    Actor,
    Article,
    Outlet,
    Paragraph,
    StagedDocument,
    StagedUpload,
    Story,
)
from tests.factories import make_article, make_story, make_user

pytestmark = pytest.mark.django_db


def test_clean_puts_names_and_headlines_on_one_line():
    outlet = Outlet(name="  The Coast\nCourier ")
    outlet.clean()
    story = Story(title="Port\u200b strike\n enters day two")
    story.clean()
    actor = Actor(name="Ruth\n Obi")
    actor.clean()
    article = Article(headline="Strike\nends", byline="By  Sam\nLee")
    article.clean()
    assert outlet.name == "The Coast Courier"
    assert story.title == "Port strike enters day two"
    assert actor.name == "Ruth Obi"
    assert (article.headline, article.byline) == ("Strike ends", "By Sam Lee")


def test_a_slug_keeps_any_script_is_cut_at_100_and_never_ends_in_a_dash():
    assert Story.slug_for("Port strike: day two!") == "port-strike-day-two"
    assert Story.slug_for("Забастовка в порту") == "забастовка-в-порту"
    long = Story.slug_for("word " * 21)  # the 100th character of its slug is a dash
    assert long == "word-" * 19 + "word"


def test_stories_count_their_articles():
    story, empty = make_story("Port strike"), make_story("Quiet week")
    make_article("The strike began on Monday.", story=story)
    make_article("Dockers walked out at dawn.\n\nShips waited offshore.", story=story)
    counts = dict(Story.objects.with_article_counts().values_list("title", "article_count"))
    assert counts == {"Port strike": 2, "Quiet week": 0}
    assert empty.articles.count() == 0


def test_articles_count_their_paragraphs_but_not_headings():
    article = make_article("Strike ends\n\nDockers returned to work.\n\nShips left on time.")
    assert article.paragraphs.filter(kind=Paragraph.Kind.HEADING).count() == 1
    assert Article.objects.with_paragraph_counts().get(pk=article.pk).paragraph_count == 2


def test_only_paragraphs_in_someones_voice_are_classifiable():
    article = make_article(
        "Strike ends\n\nDockers returned to work.\n\na) an item;\n\n"
        "> A quoted line from the union.\n\n- With AP"
    )
    rows = [(p.kind, p.is_classifiable) for p in article.paragraphs.all()]
    assert rows == [
        ("heading", False),
        ("paragraph", True),
        ("list_item", True),
        ("blockquote", True),
        ("credit", False),
    ]
    classifiable = article.paragraphs.classifiable()
    assert [p.kind for p in classifiable] == ["paragraph", "list_item", "blockquote"]


def test_a_paragraph_counts_its_words():
    # newsroom.words: a dash is no word, a hyphenated word is one per part
    paragraph = Paragraph(text="The 24-hour strike — its first — ended, the union's head said.")
    assert paragraph.word_count == 11


def test_hidden_actors_are_not_analysed_and_proposed_ones_are():
    story = make_story()
    curated = Actor.objects.create(story=story, name="Ruth Obi")
    proposed = Actor.objects.create(story=story, name="Sam Lee", status=Actor.Status.PROPOSED)
    Actor.objects.create(story=story, name="Monday", status=Actor.Status.HIDDEN)
    assert set(Actor.objects.analysed()) == {curated, proposed}
    assert list(Actor.objects.proposed()) == [proposed]


def test_an_actors_names_are_its_name_then_its_non_blank_aliases():
    actor = Actor(name="Ruth Obi", aliases="Ms Obi\n\n  Obi  \n \nthe union leader\n")
    assert actor.alias_list == ["Ms Obi", "Obi", "the union leader"]
    assert actor.names == ["Ruth Obi", "Ms Obi", "Obi", "the union leader"]
    assert Actor(name="Sam Lee").names == ["Sam Lee"]


def test_an_actor_name_is_unique_within_its_story_only():
    first, second = make_story("Port strike"), make_story("Rail strike")
    Actor.objects.create(story=first, name="Ruth Obi")
    Actor.objects.create(story=second, name="Ruth Obi")
    with pytest.raises(IntegrityError):
        Actor.objects.create(story=first, name="Ruth Obi")


def test_staged_uploads_older_than_the_maximum_age_are_stale():
    user = make_user("ed")
    old, fresh = StagedUpload.objects.create(user=user), StagedUpload.objects.create(user=user)
    now = timezone.now()
    StagedUpload.objects.filter(pk=old.pk).update(created=now - datetime.timedelta(hours=3))
    stale = StagedUpload.objects.stale(now=now, max_age=datetime.timedelta(hours=2))
    assert list(stale) == [old]
    assert fresh not in StagedUpload.objects.stale(now=now, max_age=datetime.timedelta(hours=2))


def test_a_staged_batch_holds_one_document_per_position():
    upload = StagedUpload.objects.create(user=make_user("ed"))
    StagedDocument.objects.create(upload=upload, position=1, source="a.txt", data=b"x")
    with pytest.raises(IntegrityError):
        StagedDocument.objects.create(upload=upload, position=1, source="b.txt", data=b"y")
