"""The Django admin keeps the record: paragraph text is read-only, labels are never lost."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from newsroom.models import Article, Paragraph
from stance.models import Label, ParagraphAnalysis, Prediction, SentenceLabel, SpeakerCorrection
from stance.services.analysis import articles_analyse
from stance.services.labels import label_create, sentence_label_create
from stance.services.speaker_corrections import speaker_correct
from tests.factories import make_article, make_classified_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_article():
    return make_article("\n\n".join(f"Paragraph number {i} of a long piece." for i in range(400)))


def article_form(article: Article) -> dict:
    return {
        "story": article.story_id,
        "outlet": article.outlet_id,
        "headline": "A corrected headline",
        "byline": article.byline,
        "genre": article.genre,
        "published": "",
        "source_url": "",
        "attribution": "",
    }


def test_an_article_of_hundreds_of_paragraphs_saves_in_its_admin_page(admin_client_, long_article):
    url = reverse("admin:newsroom_article_change", args=[long_article.pk])
    page = admin_client_.get(url).content.decode()
    assert "400 paragraphs, read-only (the first 200 shown)" in page
    assert "Paragraph number 199 of" in page and "Paragraph number 200 of" not in page
    assert (
        "<textarea"
        not in page.split('id="article_form"')[1].split("</form>")[0].split("Paragraphs")[1]
    )
    response = admin_client_.post(url, article_form(long_article))
    assert response.status_code == 302
    long_article.refresh_from_db()
    assert long_article.headline == "A corrected headline"
    assert long_article.paragraphs.count() == 400


def test_paragraph_text_cannot_be_edited_in_the_admin(admin_client_):
    paragraph = make_article().paragraphs.first()
    url = reverse("admin:newsroom_paragraph_change", args=[paragraph.pk])
    assert 'name="text"' not in admin_client_.get(url).content.decode()
    admin_client_.post(url, {"text": "Rewritten.", "position": 9, "kind": "heading"})
    assert Paragraph.objects.get(pk=paragraph.pk).text == paragraph.text
    assert admin_client_.get(reverse("admin:newsroom_paragraph_add")).status_code == 403


QUOTED = '"We will appeal," Mayor Ann Hale said.'


def record(kind: str, paragraph: Paragraph, editor) -> None:
    """One editor's word on the paragraph: a label, a sentence label or a speaker correction."""
    if kind == "label":
        label_create(paragraph=paragraph, editor=editor, label="opinion")
    elif kind == "sentence label":
        start, end = Prediction.objects.of_active().get(paragraph=paragraph).sentences[0][:2]
        sentence_label_create(
            paragraph=paragraph, editor=editor, start=start, end=end, label="opinion"
        )
    else:
        articles_analyse(articles=[paragraph.article])
        (quote,) = ParagraphAnalysis.objects.get(paragraph=paragraph).data["quotes"]
        speaker_correct(
            paragraph=paragraph,
            start=quote["start"],
            end=quote["end"],
            editor=editor,
            choice="other",
            name="A spokesman",
        )


RECORDS = {"label": Label, "sentence label": SentenceLabel, "speaker correction": SpeakerCorrection}


@pytest.fixture(params=list(RECORDS))
def labelled_paragraph(request, active_classifier, editor):
    """A paragraph with one editor's record of one kind on it, and nothing else."""
    paragraph = make_classified_article(QUOTED).paragraphs.first()
    record(request.param, paragraph, editor)
    paragraph.records = RECORDS[request.param].objects.filter(paragraph=paragraph)
    return paragraph


def test_labels_are_never_deleted_with_their_paragraph(labelled_paragraph):
    with pytest.raises(ProtectedError):
        labelled_paragraph.delete()
    with pytest.raises(ProtectedError):
        labelled_paragraph.article.delete()
    assert labelled_paragraph.records.count() == 1


@pytest.mark.parametrize("model", ["paragraph", "article"])
def test_deleting_something_labelled_in_the_admin_says_why_not(
    admin_client_, labelled_paragraph, model
):
    target = labelled_paragraph if model == "paragraph" else labelled_paragraph.article
    url = reverse(f"admin:newsroom_{model}_delete", args=[target.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.content.decode()
    response = admin_client_.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert labelled_paragraph.records.count() == 1
    assert Paragraph.objects.filter(pk=labelled_paragraph.pk).exists()


def test_an_unlabelled_article_can_still_be_deleted(admin_client_, active_classifier):
    article = make_classified_article()
    url = reverse("admin:newsroom_article_delete", args=[article.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
