"""Every page with keys lists them in its `?` panel and in its help text."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from newsroom.models import Article
from stance.templatetags.shortcuts import SHORTCUTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("article", lambda: Article.objects.first().get_absolute_url()),
        ("compare", lambda: reverse("story-compare", args=["goff-carter"])),
        ("review", lambda: reverse("review-queue")),
    ],
)
def test_each_page_lists_every_key_in_its_panel_and_help(seeded, editor_client, page, url):
    html = editor_client.get(url()).content.decode()
    panel = html[html.index('<dialog id="shortcuts"') : html.index("</dialog>")]
    help_line = html[html.index('class="keys-help') :]
    help_line = help_line[: help_line.index("</p>")]
    assert "Keyboard shortcuts" in panel
    for key, what in SHORTCUTS[page]:
        assert f"<kbd>{key}</kbd></dt><dd>{what}</dd>".replace("'", "&#x27;") in panel
        assert f"<kbd>{key}</kbd>" in help_line
