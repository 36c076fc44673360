import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from newsroom import roles
from stance import review, review_session
from stance.models import Label, Prediction
from stance.services import labels as label_services
from stance.services.labels import label_create
from tests.factories import make_classified_article, make_user

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    [
        "The council voted 7-2 on Monday to close the wharf.",
        "This is frankly absurd, surely?",
        "Rates will rise by 4 per cent, the mayor said.",
        "It is time the board resigned.",
    ]
)


@pytest.fixture
def paragraphs(active_classifier):
    article = make_classified_article(TEXT)
    return list(article.paragraphs.order_by("position"))


def set_p(paragraph, p):
    Prediction.objects.filter(paragraph=paragraph).update(
        p_opinion=p, label="opinion" if p >= 0.5 else "news"
    )


def test_the_queue_puts_disagreements_first_then_the_most_uncertain(paragraphs):
    a, b, c, d = paragraphs
    for paragraph, p in zip(paragraphs, [0.9, 0.55, 0.1, 0.3], strict=True):
        set_p(paragraph, p)
    ann, bob, me = make_user("ann"), make_user("bob"), make_user("me")
    label_create(paragraph=a, editor=ann, label="news")
    label_create(paragraph=a, editor=bob, label="opinion")  # editors disagree
    label_create(paragraph=c, editor=ann, label="opinion")  # overrules the model
    items = review.queue(review.Scope(), user_id=me.pk, skipped=set())
    assert [(i.paragraph_id, i.reason) for i in items] == [
        (a.pk, "editors disagree"),
        (c.pk, "second opinion"),
        (b.pk, "uncertain"),  # p = 0.55
        (d.pk, "uncertain"),  # p = 0.30
    ]
    # What I have labelled or skipped leaves my queue.
    label_create(paragraph=b, editor=me, label="opinion")
    items = review.queue(review.Scope(), user_id=me.pk, skipped={d.pk})
    assert [i.paragraph_id for i in items] == [a.pk, c.pk]


def test_the_queue_is_filtered_by_story_outlet_and_genre(paragraphs, tiny_corpus):
    other = make_classified_article("Another piece entirely.", headline="Other", genre="opinion")
    scope = review.Scope(genre="opinion")
    assert [i.paragraph_id for i in review.queue(scope, user_id=0, skipped=set())] == [
        other.paragraphs.get().pk
    ]
    assert review.progress(review.Scope(story=other.story_id)) == (0, 5)


HTMX = {"HX-Request": "true"}


def test_the_queue_page_labels_skips_and_undoes_by_post(editor_client, editor, paragraphs):
    page = editor_client.get(reverse("review-queue")).content.decode()
    assert "0</strong> of 4 paragraphs reviewed" in page
    assert f'hx-post="{reverse("review-label")}?' in page
    first = review.queue(review.Scope(), user_id=editor.pk, skipped=set())[0].paragraph_id
    response = editor_client.post(
        reverse("review-label"), {"paragraph": first, "label": "opinion"}, headers=HTMX
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="queue"')
    assert "1</strong> of 4 paragraphs reviewed" in page
    assert Label.objects.get().paragraph_id == first
    second = review.queue(review.Scope(), user_id=editor.pk, skipped=set())[0].paragraph_id
    page = editor_client.post(
        reverse("review-skip"), {"paragraph": second}, headers=HTMX
    ).content.decode()
    assert second in review_session.skipped(editor_client.session)
    assert "1 skipped" in page
    page = editor_client.post(reverse("review-undo"), headers=HTMX).content.decode()
    assert "0</strong> of 4 paragraphs reviewed" in page
    assert f'name="paragraph" value="{first}"' in page  # the undone paragraph is shown again
    assert Label.objects.filter(action="undo").count() == 1


def test_the_queue_page_is_get_only(editor_client, paragraphs):
    assert editor_client.post(reverse("review-queue"), {"action": "skip"}).status_code == 405


def test_skip_then_reset_brings_the_paragraph_back(editor_client, editor, paragraphs):
    first = review.queue(review.Scope(), user_id=editor.pk, skipped=set())[0].paragraph_id
    page = editor_client.post(
        reverse("review-skip"), {"paragraph": first}, headers=HTMX
    ).content.decode()
    assert "1 skipped" in page and f'name="paragraph" value="{first}"' not in page
    assert review_session.skipped(editor_client.session) == {first}
    page = editor_client.post(reverse("review-reset"), headers=HTMX).content.decode()
    assert review_session.skipped(editor_client.session) == set()
    assert "skipped" not in page and f'name="paragraph" value="{first}"' in page


def test_a_refused_label_stays_on_its_paragraph_with_the_reason(editor_client, paragraphs):
    target = paragraphs[2].pk
    page = editor_client.post(
        reverse("review-label"), {"paragraph": target, "label": "maybe"}, headers=HTMX
    ).content.decode()
    assert "Choose news or opinion." in page
    assert f'name="paragraph" value="{target}"' in page
    assert not Label.objects.exists()


def test_plain_posts_go_back_to_the_queue_with_the_same_scope(editor_client, paragraphs):
    target = paragraphs[1].pk
    story = paragraphs[0].article.story_id
    query = f"?story={story}"
    refused = editor_client.post(
        reverse("review-label") + query, {"paragraph": target, "label": "maybe"}
    )
    assert refused.status_code == 302
    assert refused["Location"] == f"{reverse('review-queue')}?story={story}&at={target}"
    skipped = editor_client.post(reverse("review-skip") + query, {"paragraph": target})
    assert skipped["Location"] == f"{reverse('review-queue')}?story={story}"
    reset = editor_client.post(reverse("review-reset") + query)
    assert reset["Location"] == f"{reverse('review-queue')}?story={story}"


def test_undo_with_nothing_to_undo_says_so(editor_client, paragraphs):
    page = editor_client.post(reverse("review-undo"), headers=HTMX).content.decode()
    assert "You have no label to undo." in page
    assert not Label.objects.exists()


def test_an_undo_that_loses_a_race_gets_a_message(editor_client, editor, paragraphs, monkeypatch):
    label = label_create(paragraph=paragraphs[0], editor=editor, label="opinion")
    real_undo = label_services.label_undo

    def undo_after_another_request(**kwargs):  # the same undo pressed twice: the other wins
        real_undo(label=label, editor=editor)
        return real_undo(**kwargs)

    monkeypatch.setattr(label_services, "label_undo", undo_after_another_request)
    response = editor_client.post(reverse("review-undo"), headers=HTMX)
    assert response.status_code == 200
    assert "already been undone" in response.content.decode()
    assert Label.objects.filter(action="undo").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_undo_posts_undo_once_and_all_answer(row_locks, active_classifier):
    article = make_classified_article(TEXT)
    editor = make_user("ed", roles.EDITORS)
    label_create(paragraph=article.paragraphs.first(), editor=editor, label="opinion")
    clients = [Client() for _ in range(4)]
    for client in clients:
        client.force_login(editor)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def undo(client):
        try:
            barrier.wait()
            response = client.post(reverse("review-undo"), headers=HTMX)
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=undo, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(clients)
    assert Label.objects.filter(action="undo").count() == 1


def test_ids_no_database_column_holds_are_ignored(editor_client, paragraphs):
    huge = "9" * 30
    for name in ["review-skip", "review-label", "review-undo"]:
        response = editor_client.post(reverse(name), {"paragraph": huge, "label": "news"})
        assert response.status_code == 302, name
    url = reverse("review-queue")
    assert editor_client.get(f"{url}?at={huge}&story={huge}").status_code == 200
    assert not Label.objects.exists()
    assert review_session.skipped(editor_client.session) == set()


def test_cohen_kappa_between_editors_and_with_each_model_version(paragraphs):
    ann, bob = make_user("ann"), make_user("bob")
    values_ann = ["news", "opinion", "news", "opinion"]
    values_bob = ["news", "opinion", "opinion", "opinion"]
    for paragraph, x, y in zip(paragraphs, values_ann, values_bob, strict=True):
        label_create(paragraph=paragraph, editor=ann, label=x)
        label_create(paragraph=paragraph, editor=bob, label=y)
    (pair,) = review.editor_agreement()
    assert (pair.first, pair.second, pair.n) == ("ann", "bob", 4)
    assert pair.agreement == 0.75
    assert pair.kappa == pytest.approx(0.5)  # p_o = .75, p_e = .5
    (model,) = review.model_agreement()
    assert model.n == 4 and model.second == "News/opinion classifier v1"
    kinds = {d.kind for d in review.disagreements()}
    assert "editors" in kinds


def test_the_agreement_page(editor_client, paragraphs):
    page = editor_client.get(reverse("agreement")).content.decode()
    assert (
        "Between editors" in page and "No paragraph has been labelled by two editors yet." in page
    )


def test_the_queue_and_its_actions_need_the_label_permission(client, paragraphs):
    client.force_login(make_user("reader"))
    assert client.get(reverse("review-queue")).status_code == 403
    for name in ["review-skip", "review-label", "review-undo", "review-reset"]:
        assert client.post(reverse(name), {"paragraph": paragraphs[0].pk}).status_code == 403
    assert not Label.objects.exists()
