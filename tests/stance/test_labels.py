import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from stance import services
from stance.models import Label
from stance.selectors import with_verdicts
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Heading\n\nThe council voted 7-2 on Monday to raise parking fees by 5 per cent.\n\n"
    "This is frankly absurd, surely?"
)


@pytest.fixture
def paragraph(active_classifier):
    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    return article.paragraphs.get(position=2)


def verdict(paragraph):
    return with_verdicts(type(paragraph).objects.filter(pk=paragraph.pk)).get()


def test_the_effective_label_is_the_latest_editor_label_else_the_model(paragraph, editor):
    assert verdict(paragraph).effective_label == verdict(paragraph).model_label == "news"
    services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    assert verdict(paragraph).effective_label == "opinion"
    services.label_create(paragraph=paragraph, editor=editor, label="news", note="fact")
    assert verdict(paragraph).effective_label == "news"


def test_labels_are_append_only_and_undo_appends_too(paragraph, editor):
    first = services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    undo = services.label_undo(label=first, editor=editor)
    assert Label.objects.count() == 2
    assert undo.undoes == first and undo.action == "undo"
    assert verdict(paragraph).effective_label == "news"  # back to the model
    with pytest.raises(ValidationError, match="already been undone"):
        services.label_undo(label=first, editor=editor)


def test_a_label_remembers_what_the_model_said(paragraph, editor):
    label = services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    assert (label.model_label, label.model_version.number) == ("news", 1)
    assert label.model_disagreed


def test_confirming_records_the_models_label(paragraph, editor):
    label = services.label_create(paragraph=paragraph, editor=editor, label="", action="confirm")
    assert (label.label, label.action) == ("news", "confirm")
    assert verdict(paragraph).label_action == "confirm"


def test_headings_are_not_labelled(paragraph, editor):
    heading = paragraph.article.paragraphs.get(position=1)
    with pytest.raises(ValidationError):
        services.label_create(paragraph=heading, editor=editor, label="news")


def test_an_editor_labels_in_place_with_htmx(editor_client, paragraph):
    url = reverse("paragraph-label", args=[paragraph.pk])
    response = editor_client.post(
        url, {"label": "opinion", "note": "voice"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div class="verdict"')
    assert "labelled by ed" in page and "model disagreed: news" in page and "Undo" in page
    assert "labelled" in response["HX-Trigger"]
    assert Label.objects.get().note == "voice"


def test_without_javascript_a_label_redirects_back(editor_client, paragraph):
    url = reverse("paragraph-label", args=[paragraph.pk])
    response = editor_client.post(url, {"label": "news", "next": "https://evil.example/"})
    assert response["Location"] == paragraph.article.get_absolute_url()


def test_an_unknown_label_is_refused_with_a_message(editor_client, paragraph):
    url = reverse("paragraph-label", args=[paragraph.pk])
    page = editor_client.post(url, {"label": "maybe"}, headers={"HX-Request": "true"}).content
    assert b"Choose news or opinion." in page
    assert not Label.objects.exists()


def test_a_note_over_the_limit_is_told_about_the_note(editor_client, paragraph):
    url = reverse("paragraph-label", args=[paragraph.pk])
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


def test_undo_through_the_page(editor_client, editor, paragraph):
    label = services.label_create(paragraph=paragraph, editor=editor, label="opinion")
    response = editor_client.post(
        reverse("label-undo", args=[label.pk]), headers={"HX-Request": "true"}
    )
    assert "model's label" in response.content.decode()


def test_an_editor_cannot_undo_someone_elses_label(editor_client, paragraph):
    other = make_user("other", "Editors")
    label = services.label_create(paragraph=paragraph, editor=other, label="opinion")
    response = editor_client.post(reverse("label-undo", args=[label.pk]))
    assert response.status_code == 403
    assert Label.objects.count() == 1


def test_labelling_needs_the_permission_and_a_post(client, paragraph):
    url = reverse("paragraph-label", args=[paragraph.pk])
    client.force_login(make_user("reader"))
    assert client.post(url, {"label": "news"}).status_code == 403
    assert client.get(url).status_code == 405
    assert not Label.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_editors_labelling_at_once_both_keep_their_labels(active_classifier):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database locks whole tables; PostgreSQL runs it")
    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    paragraph = article.paragraphs.get(position=2)
    editors = [make_user(f"e{i}") for i in range(6)]
    barrier = threading.Barrier(len(editors))
    errors = []

    def label(editor, value):
        try:
            barrier.wait()
            services.label_create(paragraph=paragraph, editor=editor, label=value)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=label, args=(e, "opinion" if i % 2 else "news"))
        for i, e in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Label.objects.filter(paragraph=paragraph).count() == len(editors)


@pytest.mark.django_db(transaction=True)
def test_labelling_during_retrain_and_activation_loses_nothing(active_classifier):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database locks whole tables; PostgreSQL runs it")
    from stance.models import ModelVersion

    article = make_article(TEXT)
    services.articles_classify(articles=[article])
    paragraphs = list(article.paragraphs.filter(kind="paragraph"))
    candidate = services.model_train()
    editors = [make_user(f"busy{i}") for i in range(4)]
    errors = []

    def label(editor):
        try:
            for i in range(10):
                paragraph = paragraphs[i % len(paragraphs)]
                services.label_create(paragraph=paragraph, editor=editor, label="opinion")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def flip_versions():
        try:
            for version in [candidate, active_classifier] * 5:
                services.model_activate(version=version)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=label, args=(e,)) for e in editors]
    threads.append(threading.Thread(target=flip_versions))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Label.objects.count() == 40
    assert ModelVersion.objects.filter(is_active=True).count() == 1
