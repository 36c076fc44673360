"""Errors in the site's own layout: 403/404/500 pages, and htmx failures shown in the page."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_editor_opening_the_upload_page_gets_a_styled_403(editor_client):
    response = editor_client.get(reverse("upload"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "css/app.css" in page and 'class="site-header"' in page  # the site's layout
    assert "You cannot open this page" in page
    assert "your account (ed) does not have" in page
    assert reverse("story-list") in page


def test_a_403_with_a_reason_shows_the_reason(editor_client, editor, active_classifier):
    from stance.services.labels import label_create
    from tests.factories import make_article, make_user

    other = make_user("other", "Editors")
    paragraph = make_article().paragraphs.first()
    label = label_create(paragraph=paragraph, editor=other, label="news")
    response = editor_client.post(
        reverse("label-undo", args=[label.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert "You can only undo your own labels." in response.content.decode()


def test_a_404_uses_the_site_layout(editor_client, settings):
    settings.DEBUG = False
    response = editor_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="site-header"' in page and "There is nothing here" in page


def test_the_500_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "Something went wrong" in page and "data-error-message" in page


def test_pages_in_debug_do_not_load_the_whole_document_error_handler(editor_client, settings):
    settings.DEBUG = True
    page = editor_client.get(reverse("story-list")).content.decode()
    assert "django-htmx.js" not in page  # it replaces the document with an error response
    assert "htmx-2.min.js" in page and "js/errors.js" in page
    assert 'id="page-errors"' in page
