"""stance/templatetags/verdicts.py: the `{% verdict %}` tag and the `ago` filter, through
their public use in a template (what the block says and offers to whom; not its markup)."""

import datetime

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from newsroom import roles
from newsroom.models import Paragraph
from stance.selectors import with_verdicts
from stance.services.classification import articles_classify
from stance.services.labels import label_create
from stance.templatetags.verdicts import ago
from tests.factories import NEWS, make_article, make_user

pytestmark = pytest.mark.django_db

TAG = Template("{% load verdicts %}{% verdict paragraph hide_why=hide_why error=error %}")


def block(paragraph: Paragraph, user, *, hide_why: bool = False, error: str = "") -> str:
    request = RequestFactory().get("/a/?p=2")
    request.user = user
    annotated = with_verdicts(Paragraph.objects.filter(pk=paragraph.pk)).get()
    context = {"paragraph": annotated, "hide_why": hide_why, "error": error}
    return TAG.render(RequestContext(request, context))


@pytest.fixture
def paragraph(db):
    return make_article(NEWS[0]).paragraphs.classifiable().get()


def test_an_unclassified_paragraph_says_so_and_offers_nothing_to_explain(paragraph, editor):
    html = block(paragraph, editor)
    assert "not classified" in html
    assert reverse("paragraph-explain", args=[paragraph.pk]) not in html


def test_the_model_s_label_is_shown_with_its_probability_until_reviewed(
    active_classifier, paragraph, editor
):
    articles_classify(articles=[paragraph.article])
    html = block(paragraph, editor)
    assert 'data-label="news"' in html and "not reviewed" in html
    p = with_verdicts(Paragraph.objects.filter(pk=paragraph.pk)).get().p_opinion
    assert f"{p:.2f}" in html
    explain = reverse("paragraph-explain", args=[paragraph.pk])
    assert explain in html and explain not in block(paragraph, editor, hide_why=True)


def test_an_editor_gets_the_label_buttons_a_reader_does_not(active_classifier, paragraph, editor):
    articles_classify(articles=[paragraph.article])
    html = block(paragraph, editor)
    assert f'action="{reverse("paragraph-label", args=[paragraph.pk])}"' in html
    assert 'value="news"' in html and 'value="opinion"' in html and 'value="confirm"' in html
    assert "csrfmiddlewaretoken" in html and "/a/?p=2" in html  # with the way back
    assert "<form" not in block(paragraph, make_user("reader"))


def test_a_label_names_its_editor_and_the_model_s_disagreement_and_only_they_may_undo(
    active_classifier, paragraph, editor
):
    articles_classify(articles=[paragraph.article])
    label = label_create(paragraph=paragraph, editor=editor, label="opinion")
    mine = block(paragraph, editor)
    assert 'data-label="opinion"' in mine and "by ed" in mine
    assert "model disagreed: news" in mine
    undo = reverse("label-undo", args=[label.pk])
    assert undo in mine and undo not in block(paragraph, make_user("bob", roles.EDITORS))
    assert 'value="confirm"' not in mine  # reviewed: nothing left to confirm


def test_an_error_is_shown_escaped(paragraph, editor):
    html = block(paragraph, editor, error="<b>Unknown</b> label")
    assert "&lt;b&gt;Unknown&lt;/b&gt; label" in html and "<b>" not in html


def test_ago_says_just_now_then_the_largest_unit():
    now = timezone.now()
    assert ago(None) == ""
    assert ago(now - datetime.timedelta(seconds=20)) == "just now"
    assert ago(now - datetime.timedelta(minutes=5, seconds=3)) == "5\xa0minutes ago"
    assert ago(now - datetime.timedelta(days=2, hours=3)) == "2\xa0days ago"
