"""Request body limits (newsroom.middleware.RequestBodyLimitMiddleware) and cache headers."""

import io
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, url: str, length: int, content_type: str = "multipart/form-data"):
    """POST that declares `length` bytes of body, and sends nothing that may be read."""
    return client.generic(
        "POST",
        url,
        CONTENT_TYPE=f"{content_type}; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


def test_a_huge_anonymous_post_to_sign_in_is_refused_unread(client):
    response = post_declaring(client, reverse("login"), 300 * MB)
    assert response.status_code == 413
    assert "at most 0.1 MB" in response.content.decode()


def test_an_upload_over_the_batch_limit_is_refused_unread(admin_client_):
    response = post_declaring(admin_client_, reverse("upload"), 300 * MB)
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


def test_a_form_post_over_the_form_limit_is_refused_unread(editor_client):
    paragraph = make_article().paragraphs.first()
    url = reverse("paragraph-label", args=[paragraph.pk])
    response = post_declaring(editor_client, url, 12 * MB, "application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_batch_within_the_stated_limits_reaches_the_upload_view(admin_client_):
    # 20 files of 2 MB and pasted text: the middleware lets it through, the view reads it.
    batch = settings.UPLOAD_MAX_FILES * settings.UPLOAD_MAX_FILE_BYTES
    with pytest.raises(AssertionError, match="the body was read"):
        post_declaring(
            admin_client_, reverse("upload"), batch + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )


def test_a_training_set_over_its_cap_is_refused_unread(client, data_lead):
    client.force_login(data_lead)
    response = post_declaring(
        client, reverse("training-set-import"), settings.STANCE_TRAINING_SET_MAX_BYTES + 2 * MB
    )
    assert response.status_code == 413


def test_ordinary_posts_pass(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "x"})
    assert response.status_code == 200


# --- Cache-Control ------------------------------------------------------------------


def test_signed_in_pages_and_exports_are_never_stored(editor_client):
    article = make_article()
    urls = [
        reverse("story-list"),
        reverse("article-detail", args=[article.pk]),
        reverse("review-queue"),
        reverse("labels-export", args=["csv"]),
    ]
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_sign_in_page_and_health_are_not_marked_as_signed_in(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]  # Django's own
    assert "Cache-Control" not in client.get(reverse("health"))


# --- Logging ------------------------------------------------------------------------


def test_a_refused_permission_logs_one_line_without_a_traceback(editor_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert editor_client.post(reverse("model-retrain")).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /models/retrain/"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_refused_host_reaches_the_log_as_one_line_without_a_traceback(client):
    """django.security.DisallowedHost logs its 400 with the exception attached; the console
    handler every logger writes to drops the traceback."""
    (console,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    finally:
        console.setStream(previous)
    assert "Invalid HTTP_HOST header: 'evil.example'" in stream.getvalue()
    assert "Traceback" not in stream.getvalue()
