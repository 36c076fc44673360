"""`story_report`: what the compare view shows, as JSON, from the compare view's own code."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from newsroom.models import Story
from stance.compare import Filters, compare_story
from stance.report import story_report

pytestmark = pytest.mark.django_db

PIECE_KEYS = {
    "article_id",
    "headline",
    "outlet",
    "genre_published",
    "words",
    "opinion_words",
    "opinion_share",
    "others_voice_share",
    "summary",
    "actors",
}
ACTOR_KEYS = {
    "name",
    "mentions",
    "quoted_words",
    "reported_words",
    "voice_share",
    "treatment",
    "score",
    "confidence",
    "reason",
    "evidence",
}


@pytest.fixture
def seeded(tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    return Story.objects.get(slug="goff-carter")


def run_report(*args) -> dict:
    out = io.StringIO()
    call_command("story_report", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_it_reports_every_piece_with_the_contract_fields(seeded):
    report = run_report("--story", seeded.slug)
    assert report["story"] == seeded.slug
    pieces = report["pieces"]
    assert [p["article_id"] for p in pieces] == list(
        seeded.articles.order_by("published", "created").values_list("pk", flat=True)
    )
    for piece in pieces:
        assert set(piece) == PIECE_KEYS and piece["actors"]
        assert 0 <= piece["opinion_share"] <= 1 and 0 <= piece["others_voice_share"] <= 1
        assert piece["opinion_words"] <= piece["words"]
        for actor in piece["actors"]:
            assert set(actor) == ACTOR_KEYS
            assert actor["treatment"] in {"critical", "neutral", "favourable", "insufficient"}
            if actor["score"] is None:
                assert actor["treatment"] == "insufficient" and actor["evidence"] == []
    news = next(p for p in pieces if p["genre_published"] == "news")
    carter = next(a for a in news["actors"] if a["name"] == "Chris Carter")
    assert carter["quoted_words"] > 0 and news["others_voice_share"] > 0.3


def test_it_agrees_with_the_compare_view(seeded, editor_client):
    report = story_report(seeded)
    ids = [piece["article_id"] for piece in report]
    pieces = compare_story(seeded, ids, Filters())
    for data, piece in zip(report, pieces, strict=True):
        figures = {f.actor.name: f for f in piece.actors}
        assert data["words"] == piece.words and data["opinion_words"] == piece.share.opinion_words
        for actor in data["actors"]:
            who = figures[actor["name"]]
            assert actor["quoted_words"] + actor["reported_words"] == who.quoted_words
            assert actor["mentions"] == who.mentions

    query = "&".join(f"pieces={pk}" for pk in ids)
    page = editor_client.get(reverse("story-compare", args=[seeded.slug]) + "?" + query)
    html = page.content.decode()
    shown = [int(n) for n in re.findall(r"Quoted or reported speech: (\d+)% of the words", html)]
    assert shown == [round(100 * piece["others_voice_share"]) for piece in report]
    for piece in report:
        for actor in piece["actors"]:
            total = actor["quoted_words"] + actor["reported_words"]
            assert f'<th scope="row">{actor["name"]}</th>' in html
            assert f"</svg> {total} <span" in html


def test_it_writes_to_a_file_and_refuses_an_unknown_story(seeded, tmp_path):
    target = tmp_path / "report.json"
    call_command(
        "story_report", "--story", seeded.slug, "--output", str(target), stderr=io.StringIO()
    )
    assert len(json.loads(target.read_text())["pieces"]) == 2
    with pytest.raises(CommandError, match="No story"):
        call_command("story_report", "--story", "no-such-story")
