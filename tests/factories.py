"""Small builders for test objects (no JSON fixtures)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom import ingest
from newsroom.models import Article, Outlet, Story
from newsroom.services import ArticleDraft, article_upload, story_get_or_create

PASSWORD = "correct horse battery staple"


def make_user(username: str, *group_names: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_story(title: str = "Harbour bridge tolls") -> Story:
    return story_get_or_create(title=title)


def make_outlet(name: str = "The Daily Record") -> Outlet:
    return Outlet.objects.get_or_create(name=name)[0]


def make_article(
    text: str = "The council voted 7-2 to raise tolls.\n\nIt is a shameful decision.",
    *,
    story: Story | None = None,
    outlet: Outlet | None = None,
    headline: str = "Tolls rise",
    genre: str = Article.Genre.NEWS,
    published: datetime.date | None = None,
) -> Article:
    draft = ArticleDraft(
        document=ingest.ingest_text(text),
        source="pasted text",
        headline=headline,
        genre=genre,
        published=published,
    )
    (article,) = article_upload(
        story=story or make_story(), outlet=outlet or make_outlet(), drafts=[draft]
    )
    return article
