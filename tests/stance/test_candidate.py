"""The candidate card: what changed overall and on editors' labels, the flips by name,
and a recommendation."""

import pytest
from django.urls import reverse

from stance import jobs
from stance.candidate import ENOUGH_EDITOR_LABELS, candidate_report, recommend
from stance.models import ModelVersion, Prediction
from stance.services.labels import label_create
from tests.factories import NEWS, make_classified_article


@pytest.mark.parametrize(
    ("overall", "editors", "n", "action", "phrase"),
    [
        (0.02, 0.05, 40, "activate", "agrees more with editors"),
        (-0.02, 0.05, ENOUGH_EDITOR_LABELS, "activate", "outweigh the fall overall"),
        (-0.02, 0.05, ENOUGH_EDITOR_LABELS - 1, "keep", "too few"),
        (0.03, -0.04, 60, "keep", "agrees less with editors"),
        (-0.03, -0.04, 60, "keep", "agrees less"),
        (0.02, None, 4, "activate", "Too few editor labels"),
        (-0.02, None, 4, "keep", "worse overall"),
        (0.001, 0.002, 50, "either", "No meaningful difference"),
        (0.02, 0.0, 50, "activate", "better overall"),
    ],
)
def test_the_recommendation_weighs_editor_labels_over_the_overall_figure(
    overall, editors, n, action, phrase
):
    advice = recommend(overall_delta=overall, editor_delta=editors, editor_n=n)
    assert advice.action == action
    assert phrase in advice.text


# Not in the tiny starter corpus, so the editors' labels are the only word on them.
PORT = [
    "Dock workers walked off the job at 6am after talks with the port company broke down.",
    "The union said 300 members would picket the main gate until Friday.",
    "Ships waiting to unload were anchored off the harbour entrance on Tuesday night.",
    "The port company said it had offered a 3 per cent rise over two years.",
    "Frankly, the port company's bosses have behaved like spoilt children.",
    "This strike is a disgrace and the workers should be ashamed of themselves.",
    "It is long past time the government stepped in and knocked heads together.",
    "Nobody with any sense could defend an offer this miserly.",
    "Talks are due to resume at 10am on Thursday at the mediation service.",
    "Exporters said the stoppage had delayed 40 containers of kiwifruit.",
    "The port's owners are a shambles, and everyone on the waterfront knows it.",
    "What a pathetic spectacle this dispute has become for the city.",
]


@pytest.fixture
def contradicted(active_classifier, editor):
    """Editors label every paragraph against the active model, then a candidate retrains."""
    article = make_classified_article("\n\n".join(PORT), headline="Port strike talks")
    old = dict(Prediction.objects.values_list("paragraph_id", "label"))
    make_classified_article("\n\n".join(NEWS[8:12]), headline="Quiet week")  # left unlabelled
    for paragraph in article.paragraphs.all():
        opposite = "news" if old[paragraph.pk] == "opinion" else "opinion"
        label_create(paragraph=paragraph, editor=editor, label=opposite)
    candidate = jobs.candidate_train_start(user=None).version
    return article, candidate


@pytest.mark.django_db
def test_flips_are_named_by_article_and_text_with_the_editor_label(contradicted):
    article, candidate = contradicted
    report = candidate_report(candidate, ModelVersion.objects.get(is_active=True))
    assert report.changes >= 1 and report.compared == len(PORT) + 4
    # Every label contradicts the old prediction, so every change on one comes to match it.
    on_labelled = [f for f in report.flips if f.editor_label]
    assert report.toward_editors == len(on_labelled) >= 1 and report.away_from_editors == 0
    first = report.flips[0]
    assert first.headline == "Port strike talks" and first.editor_label == first.after
    assert first.text in article.paragraphs.get(pk=first.paragraph_id).text
    assert report.editor_n == len(PORT) and report.editor_candidate is not None
    assert report.recommendation is not None


@pytest.mark.django_db
def test_the_models_page_card_says_predictions_not_labels(contradicted, data_lead, client):
    article, candidate = contradicted
    client.force_login(data_lead)
    page = client.get(reverse("models")).content.decode()
    assert "model predictions would flip" in page and "not editors' labels" in page
    assert "stored labels would flip" not in page
    assert "Port strike talks, ¶" in page and "Recommendation:" in page
    assert f"On editors' labels ({len(PORT)})" in page
    assert "the change agrees" in page
    assert f"{reverse('article-detail', args=[article.pk])}#p" in page
