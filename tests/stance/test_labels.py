"""Labelling through the pages: htmx in place, without JavaScript, permissions."""

import pytest
from django.urls import reverse

from stance.models import Label
from stance.services.labels import label_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_editor_labels_in_place_with_htmx(editor_client, classified_paragraph):
    url = reverse("paragraph-label", args=[classified_paragraph.pk])
    response = editor_client.post(
        url, {"label": "opinion", "note": "voice"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div class="verdict"')
    assert "labelled by ed" in page and "model disagreed: news" in page and "Undo" in page
    assert "labelled" in response["HX-Trigger"]
    assert Label.objects.get().note == "voice"


def test_without_javascript_a_label_redirects_back(editor_client, classified_paragraph):
    url = reverse("paragraph-label", args=[classified_paragraph.pk])
    response = editor_client.post(url, {"label": "news", "next": "https://evil.example/"})
    assert response["Location"] == classified_paragraph.article.get_absolute_url()


def test_an_unknown_label_is_refused_with_a_message(editor_client, classified_paragraph):
    url = reverse("paragraph-label", args=[classified_paragraph.pk])
    page = editor_client.post(url, {"label": "maybe"}, headers={"HX-Request": "true"}).content
    assert b"Choose news or opinion." in page
    assert not Label.objects.exists()


def test_a_note_over_the_limit_is_told_about_the_note(editor_client, classified_paragraph):
    url = reverse("paragraph-label", args=[classified_paragraph.pk])
    response = editor_client.post(
        url, {"label": "opinion", "note": "x" * 2001}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Keep the note to 2,000 characters (it has 2,001)" in page
    assert "Choose news or opinion" not in page
    response = editor_client.post(
        url, {"label": "opinion", "note": "nul \x00 here"}, headers={"HX-Request": "true"}
    )
    assert "The note cannot be recorded: Null characters are not allowed." in (
        response.content.decode()
    )
    assert not Label.objects.exists()


def test_undo_through_the_page(editor_client, editor, classified_paragraph):
    label = label_create(paragraph=classified_paragraph, editor=editor, label="opinion")
    response = editor_client.post(
        reverse("label-undo", args=[label.pk]), headers={"HX-Request": "true"}
    )
    assert "model's label" in response.content.decode()


def test_an_editor_cannot_undo_someone_elses_label(editor_client, classified_paragraph):
    other = make_user("other", "Editors")
    label = label_create(paragraph=classified_paragraph, editor=other, label="opinion")
    response = editor_client.post(reverse("label-undo", args=[label.pk]))
    assert response.status_code == 403
    assert Label.objects.count() == 1


def test_labelling_needs_the_permission_and_a_post(client, classified_paragraph):
    url = reverse("paragraph-label", args=[classified_paragraph.pk])
    client.force_login(make_user("reader"))
    assert client.post(url, {"label": "news"}).status_code == 403
    assert client.get(url).status_code == 405
    assert not Label.objects.exists()
