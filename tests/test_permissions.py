"""Every URL of the app, as every role: the expected answer, generated from the URLconf.

A new view without a row in EXPECTED fails `test_every_view_has_a_rule`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from newsroom.services import article_upload_preview, upload_stage
from stance.services.actors import actor_hide
from stance.services.analysis import articles_analyse
from stance.services.labels import label_create
from tests.factories import make_classified_article, make_user

ANON, EDITOR, LEAD, ADMIN = "anonymous", "editor", "data lead", "admin"
ROLES = [ANON, EDITOR, LEAD, ADMIN]

# name -> (method, {role: status}); anonymous always goes to sign-in unless stated.
OK_ALL = {EDITOR: 200, LEAD: 200, ADMIN: 200}
EXPECTED = {
    "story-list": ("get", OK_ALL),
    "story-detail": ("get", OK_ALL),
    "article-detail": ("get", OK_ALL),
    "article-analysis": ("get", OK_ALL),
    "story-compare": ("get", OK_ALL),
    "story-treatment": ("get", OK_ALL),
    "paragraph-explain": ("get", OK_ALL),
    "paragraph-history": ("get", OK_ALL),
    "upload": ("get", {EDITOR: 403, LEAD: 403, ADMIN: 200}),
    "upload-blocks": ("get", {EDITOR: 403, LEAD: 403, ADMIN: 200}),  # the admin's own batch
    "paragraph-label": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "quote-speaker": ("get", OK_ALL),
    "sentence-label": ("get", OK_ALL),
    "actor-curate": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "label-undo": ("post", {EDITOR: 302, LEAD: 403, ADMIN: 302}),  # an editor's own label
    "review-queue": ("get", OK_ALL),
    "review-skip": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "review-label": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "review-undo": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "review-reset": ("post", {EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "agreement": ("get", OK_ALL),
    "models": ("get", OK_ALL),
    "model-retrain": ("post", {EDITOR: 403, LEAD: 302, ADMIN: 302}),
    "training-set-import": ("post", {EDITOR: 403, LEAD: 302, ADMIN: 302}),
    "model-activate": ("post", {EDITOR: 403, LEAD: 302, ADMIN: 302}),
    "model-discard": ("post", {EDITOR: 403, LEAD: 302, ADMIN: 302}),
    "job-status": ("get", OK_ALL),
    "job-retry": ("post", {EDITOR: 403, LEAD: 302, ADMIN: 302}),
    "labels-export": ("get", OK_ALL),
    "health": ("get", {ANON: 200, EDITOR: 200, LEAD: 200, ADMIN: 200}),
    "login": ("get", {ANON: 200, EDITOR: 302, LEAD: 302, ADMIN: 302}),
    "logout": ("post", {ANON: 302, EDITOR: 302, LEAD: 302, ADMIN: 302}),
}


def app_url_names(patterns=None, skip=("admin",)):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name in skip or "admin" in str(pattern.pattern):
                continue
            yield from app_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name


def test_every_view_has_a_rule():
    assert set(app_url_names()) == set(EXPECTED)


@pytest.fixture
def world(active_classifier):
    article = make_classified_article(
        "The council met on Monday.\n\nIt was frankly a farce.\n\n"
        '"We will appeal," Mayor Ann Hale said.'
    )
    articles_analyse(articles=[article])
    paragraph = article.paragraphs.first()
    quoted = article.paragraphs.get(position=3)
    (quote,) = quoted.analysis.data["quotes"]
    actor = actor_hide(actor=article.story.actors.create(name="Ann Hale"))
    users = {
        EDITOR: make_user("ed", "Editors"),
        LEAD: make_user("lead", "Data leads"),
        ADMIN: make_user("boss", "Admins"),
    }
    label = label_create(paragraph=paragraph, editor=users[EDITOR], label="opinion")
    from stance.models import Job

    job = Job.objects.create(kind=Job.Kind.TRAIN, status=Job.Status.DONE)
    staged = upload_stage(
        user=users[ADMIN], drafts=article_upload_preview(text="A staged piece of text.")
    )
    args = {
        "story-detail": [article.story.slug],
        "story-compare": [article.story.slug],
        "story-treatment": [article.story.slug],
        "article-detail": [article.pk],
        "article-analysis": [article.pk],
        "paragraph-explain": [paragraph.pk],
        "paragraph-history": [paragraph.pk],
        "paragraph-label": [paragraph.pk],
        "quote-speaker": [quoted.pk],
        "sentence-label": [paragraph.pk],
        "actor-curate": [article.story.slug, actor.pk],
        "label-undo": [label.pk],
        "model-activate": [active_classifier.pk],
        "model-discard": [active_classifier.pk],
        "job-status": [job.pk],
        "job-retry": [job.pk],
        "labels-export": ["csv"],
        "upload-blocks": [staged.id, 0],
    }
    data = {
        "paragraph-label": {"label": "news"},
        "review-skip": {"paragraph": paragraph.pk},
        "review-label": {"paragraph": paragraph.pk, "label": "news"},
        "quote-speaker": {"start": quote["start"], "end": quote["end"]},
        "actor-curate": {"action": "accept"},
    }
    return users, args, data


@pytest.fixture(params=ROLES)
def role(request) -> str:
    return request.param


@pytest.fixture
def role_client(client, world, role):
    """The test client signed in as `role` (not signed in for ANON)."""
    if role != ANON:
        client.force_login(world[0][role])
    return client


@pytest.mark.django_db
def test_each_role_gets_the_expected_answer_from_every_url(role_client, world, role):
    client = role_client
    users, args, data = world
    for name, (method, expected) in EXPECTED.items():
        url = reverse(name, args=args.get(name, []))
        response = getattr(client, method)(url, data.get(name, {}))
        want = expected.get(role, 302)
        assert response.status_code == want, f"{role} {method.upper()} {url}"
        if role == ANON and want == 302 and name not in {"logout", "login"}:
            assert response["Location"].startswith(reverse("login")), url
        if role != ANON and name == "logout":
            client.force_login(users[role])


@pytest.mark.django_db
def test_writes_refuse_get(client, world):
    users, args, _ = world
    client.force_login(users[ADMIN])
    for name, (method, _) in EXPECTED.items():
        if method == "post" and name != "logout":
            assert client.get(reverse(name, args=args.get(name, []))).status_code == 405, name


@pytest.mark.django_db
def test_writes_without_a_csrf_token_are_refused(world):
    from django.test import Client

    users, args, data = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[ADMIN])
    for name, (method, _) in EXPECTED.items():
        if method == "post":
            url = reverse(name, args=args.get(name, []))
            assert client.post(url, data.get(name, {})).status_code == 403, name


@pytest.mark.django_db
def test_head_answers_wherever_get_does(role_client, world, role):
    client = role_client
    _, args, data = world
    for name, (method, _) in EXPECTED.items():
        if method == "get":
            url = reverse(name, args=args.get(name, []))
            head = client.head(url, data.get(name, {}))
            get = client.get(url, data.get(name, {}))
            assert head.status_code == get.status_code != 405, f"{role} HEAD {url}"
            body = b"".join(head.streaming_content) if head.streaming else head.content
            assert body == b"", url


@pytest.mark.django_db
def test_no_page_runs_the_analysis(client, world, monkeypatch, settings):
    """Issue 14, finding 1: every page and every write answers from what is stored while
    the analysis is missing; only a task (queued here, run by nobody) may analyse."""
    from stance import framing
    from stance.models import ParagraphAnalysis

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    users, args, data = world
    ParagraphAnalysis.objects.all().delete()

    def refused(*args, **kwargs):
        raise AssertionError("a request ran the analysis")

    monkeypatch.setattr(framing, "analyse_article", refused)
    client.force_login(users[ADMIN])
    for name, (method, _) in EXPECTED.items():
        if method == "get":
            url = reverse(name, args=args.get(name, []))
            answer = client.get(url, data.get(name, {}))
            assert answer.status_code < 500, f"GET {url}: {answer.status_code}"
    # Nor does any write, sent from the compare page as htmx sends it (a label's answer
    # carries the compare page's summaries).
    compare = reverse("story-compare", args=args["story-compare"])
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{compare}"}
    for name, (method, _) in EXPECTED.items():
        if method == "post" and name != "logout":
            url = reverse(name, args=args.get(name, []))
            answer = client.post(url, data.get(name, {}), headers=htmx)
            assert answer.status_code < 500, f"POST {url}: {answer.status_code}"
    assert not ParagraphAnalysis.objects.exists()
