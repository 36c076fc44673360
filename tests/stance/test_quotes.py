"""stance.quotes: a paragraph's quotes as the pages show them (quote_views), its text marked
with a speaker chip after each quote (marked_html), in one query for the corrections."""

import pytest
from django.utils.html import escape

from newsroom.models import Paragraph
from stance.quotes import analysis_of, marked_html, quote_views
from stance.services.speaker_corrections import speaker_correct
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def views_of(story):
    paragraphs = list(
        Paragraph.objects.filter(article__story=story)
        .select_related("analysis")
        .order_by("position")
    )
    actors = {str(actor.pk): actor for actor in story.actors.all()}
    return paragraphs, actors


def test_each_quote_names_its_actor_and_is_marked_with_a_chip(quoted_story, hale_quote):
    paragraph, quote = hale_quote
    paragraphs, actors = views_of(quoted_story)
    (view,) = quote_views(paragraphs, actors)[paragraph.pk]
    assert (view.text, view.kind, view.who) == (
        paragraph.text[quote.start : quote.end],
        "direct",
        "Ann Hale",
    )
    assert (view.classes, view.chip_text, view.corrected) == ("q", "Ann Hale", False)
    html = marked_html(paragraph.text, [view], can_correct=False)
    assert f'<span class="q" data-quote="{view.dom_id}"' in html
    assert f'<span class="speaker-chip" id="{view.dom_id}">Ann Hale</span>' in html
    assert html.count("speaker-chip") == 1
    linked = marked_html(paragraph.text, [view], can_correct=True)
    assert f'href="{escape(view.correct_url)}"' in linked and view.correct_url.endswith(
        f"?start={quote.start}&end={quote.end}"
    )


def test_an_editor_s_correction_is_what_the_page_shows_and_what_the_model_said_stays(
    quoted_story, hale_quote, editor, django_assert_num_queries
):
    paragraph, quote = hale_quote
    reyes = quoted_story.actors.get(name="Tom Reyes")
    speaker_correct(
        paragraph=paragraph,
        start=quote.start,
        end=quote.end,
        editor=editor,
        choice="actor",
        actor=reyes,
    )
    paragraphs, actors = views_of(quoted_story)
    with django_assert_num_queries(1):  # the corrections, for every paragraph at once
        views = quote_views(paragraphs, actors)
    (view,) = views[paragraph.pk]
    assert (view.who, view.model_who, view.classes) == (
        "Tom Reyes",
        "Ann Hale (“Ms Hale”)",
        "q corrected",
    )
    assert view.chip_classes == "speaker-chip corrected"


def test_nobody_s_words_are_marked_as_such(quoted_story, hale_quote, editor):
    paragraph, quote = hale_quote
    speaker_correct(
        paragraph=paragraph, start=quote.start, end=quote.end, editor=editor, choice="nobody"
    )
    paragraphs, actors = views_of(quoted_story)
    (view,) = quote_views(paragraphs, actors)[paragraph.pk]
    assert (view.who, view.chip_text, view.classes) == ("", "nobody’s words", "q not-speech")


def test_a_paragraph_without_analysis_has_no_quotes(db):
    article = make_article('"We will appeal," Ms Hale said.')
    paragraph = Paragraph.objects.select_related("analysis").get(article=article)
    assert analysis_of(paragraph).quotes == ()
    assert quote_views([paragraph], {}) == {paragraph.pk: []}
    assert marked_html(paragraph.text, [], can_correct=True) == paragraph.text.replace(
        '"', "&quot;"
    )
