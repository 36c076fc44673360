import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_article, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(
        "Council meets\n\nThe council met on Monday.\n\nIt was a farce.",
        story=make_story("Council row"),
    )


def test_anonymous_visitors_see_only_the_sign_in_page(client, article):
    for url in [
        reverse("story-list"),
        article.story.get_absolute_url(),
        article.get_absolute_url(),
        reverse("upload"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_an_editor_signs_in_and_out(client, editor):
    response = client.post(reverse("login"), {"username": "ed", "password": PASSWORD})
    assert response["Location"] == reverse("story-list")
    assert client.get(reverse("story-list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("story-list")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, editor):
    response = client.post(reverse("login"), {"username": "ed", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_editors_browse_stories_articles_and_paragraphs_in_order(editor_client, article):
    page = editor_client.get(reverse("story-list")).content.decode()
    assert "Council row" in page and "1 article" in page
    page = editor_client.get(article.story.get_absolute_url()).content.decode()
    assert article.headline in page
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert (
        page.index("Council meets") < page.index("The council met") < page.index("It was a farce")
    )
    assert "<h2>Council meets</h2>" in page


def test_editors_do_not_see_the_upload_link(editor_client, article):
    assert reverse("upload") not in editor_client.get(reverse("story-list")).content.decode()


def test_unknown_pages_are_404(editor_client, db):
    assert editor_client.get(reverse("article-detail", args=[999])).status_code == 404
    assert editor_client.get(reverse("story-detail", args=["nope"])).status_code == 404


def test_the_admin_add_article_page_leads_to_the_upload_page(admin_user, client):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.get(reverse("admin:newsroom_article_add"))
    assert response["Location"] == reverse("upload")
    assert (
        reverse("upload")
        in client.get(reverse("admin:newsroom_article_changelist")).content.decode()
    )
