"""Notes, history and disagreements: a paragraph's labels one click away, conflicts
between editors first in the queue for adjudication, and the adjudication winning."""

import pytest
from django.urls import reverse

from newsroom import roles
from newsroom.models import Paragraph
from stance import review, selectors
from stance.models import Label
from stance.selectors import with_verdicts
from stance.services.labels import label_create, label_undo
from tests.factories import make_classified_article, make_user

pytestmark = pytest.mark.django_db

TEXT = "\n\n".join(
    [
        "The council voted 7-2 on Monday to close the wharf.",
        "This is frankly absurd, surely?",
        "Rates will rise by 4 per cent, the mayor said.",
    ]
)


@pytest.fixture
def disputed(active_classifier, editor):
    """ed says news, bob says opinion (with a note) on the first paragraph."""
    article = make_classified_article(TEXT)
    first = article.paragraphs.order_by("position").first()
    bob = make_user("bob", roles.EDITORS)
    label_create(paragraph=first, editor=editor, label="news", note="Just the vote.")
    label_create(paragraph=first, editor=bob, label="opinion", note="Loaded verb.")
    return first, bob


def effective(paragraph) -> str:
    return with_verdicts(Paragraph.objects.filter(pk=paragraph.pk)).get().effective_label


def test_a_conflict_comes_first_even_for_the_editors_who_disagree(disputed, editor):
    first, bob = disputed
    for user in (editor, bob, make_user("third")):
        items = review.queue(review.Scope(), user_id=user.pk, skipped=set())
        assert (items[0].paragraph_id, items[0].reason) == (first.pk, "editors disagree")


def test_the_queue_shows_both_labels_with_notes_and_offers_to_settle(disputed, editor_client):
    page = editor_client.get(reverse("review-queue")).content.decode()
    assert "Editors disagree." in page
    assert "Just the vote." in page and "Loaded verb." in page and "bob" in page
    assert "Settle: news" in page and 'name="adjudicate" value="1"' in page


def test_the_adjudicated_label_wins_and_is_recorded_as_such(disputed, editor_client, editor):
    first, bob = disputed
    assert first.pk in review.conflicts()
    editor_client.post(
        reverse("review-label"),
        {"paragraph": first.pk, "label": "opinion", "adjudicate": "1"},
        headers={"HX-Request": "true"},
    )
    settled = Label.objects.get(action=Label.Action.ADJUDICATE)
    assert settled.editor == editor and settled.label == "opinion"
    # ed's own plain label was news and is later than bob's; the adjudication still counts.
    assert effective(first) == "opinion"
    assert first.pk not in review.conflicts()
    assert all(d.kind != "editors" for d in review.disagreements())
    items = review.queue(review.Scope(), user_id=bob.pk, skipped=set())
    assert first.pk not in [i.paragraph_id for i in items]
    # Training learns the settled label.
    rows = dict((pk, label) for pk, _, label in selectors.training_rows_editor_labels())
    assert rows[f"paragraph-{first.pk}"] == "opinion"


def test_a_later_disagreeing_label_reopens_a_settled_conflict(disputed, editor):
    first, bob = disputed
    label_create(paragraph=first, editor=editor, label="opinion", action=Label.Action.ADJUDICATE)
    label_create(paragraph=first, editor=bob, label="news")  # bob changes his mind
    label_create(paragraph=first, editor=editor, label="opinion")
    assert first.pk in review.conflicts()
    assert effective(first) == "opinion"  # the adjudication stands until settled again


def test_undoing_an_adjudication_reopens_the_conflict(disputed, editor):
    first, _ = disputed
    settled = label_create(
        paragraph=first, editor=editor, label="opinion", action=Label.Action.ADJUDICATE
    )
    label_undo(label=settled, editor=editor)
    assert first.pk in review.conflicts()


def test_history_lists_labels_notes_authors_and_undos(disputed, editor, editor_client):
    first, bob = disputed
    later = label_create(paragraph=first, editor=editor, label="opinion")
    label_undo(label=later, editor=editor)
    response = editor_client.get(
        reverse("paragraph-history", args=[first.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page  # the partial alone
    assert page.count("<li") == 4
    assert "Just the vote." in page and "Loaded verb." in page
    assert "ed</strong>" in page and "bob</strong>" in page
    assert "undid their opinion" in page and "undone" in page
    assert 'title="' in page and "<time" in page  # absolute time on hover


def test_the_verdict_block_links_the_history_one_click_away(disputed, editor_client):
    first, _ = disputed
    page = editor_client.get(first.article.get_absolute_url()).content.decode()
    url = reverse("paragraph-history", args=[first.pk])
    assert f'hx-get="{url}"' in page and 'data-key="i"' in page


def test_history_needs_the_view_label_permission(disputed, client):
    nobody = make_user("nobody")
    client.force_login(nobody)
    assert client.get(reverse("paragraph-history", args=[disputed[0].pk])).status_code == 403


def test_agreement_shows_the_sample_size_and_says_when_it_is_too_small(disputed, editor_client):
    page = editor_client.get(reverse("agreement")).content.decode()
    assert "n = 1" in page
    assert f"too few to read (n &lt; {review.MIN_KAPPA_SAMPLE})" in page
