"""`import_articles`: the upload service from the command line, all or nothing."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsroom.models import Actor, Article, Outlet, Story
from newsroom.services import SEED_DIR

pytestmark = pytest.mark.django_db(transaction=True)  # the analysis runs on commit

# The raw seed files as scraped (byte for byte ../shared/seeds/*.txt).
SEED_FILES = [
    SEED_DIR / "goff-carter" / "herald-report.txt",
    SEED_DIR / "goff-carter" / "armstrong-column.txt",
]

REPORT = (
    "Mayor Ann Hale said on Tuesday the council would appeal the ruling.\n\n"
    '"We will not back down," Ms Hale said.\n'
)
COLUMN = (
    "The mayor has picked the wrong fight.\n\n"
    '"It is throwing good money after bad," councillor Tom Reyes said.\n'
)


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "column.md").write_text(COLUMN, encoding="utf-8")
    return tmp_path


def test_the_raw_seed_files_in_a_new_story_propose_the_people_of_the_dispute(active_classifier):
    output = run("--story", "labour-split", "--outlet", "NZ Herald", *map(str, SEED_FILES))
    story = Story.objects.get(slug="labour-split")
    assert story.articles.count() == 2 and "Stored 2 articles" in output
    proposed = {a.name: a for a in story.actors.all()}
    assert all(a.status == Actor.Status.PROPOSED for a in proposed.values())
    people = ["Phil Goff", "Chris Carter", "John Key", "Andrew Little", "Mike Williams"]
    for name in people:
        assert name in proposed, f"{name} not proposed: {sorted(proposed)}"
        assert proposed[name].quotes >= 1, f"{name} is credited with no quote"
    assert {"Goff", "Mr Goff"} <= set(proposed["Phil Goff"].alias_list)
    # ...and the analysis and classification ran with them, as after an upload
    paragraphs = story.articles.first().paragraphs
    assert paragraphs.filter(analysis__isnull=False).count() == paragraphs.count()
    assert paragraphs.filter(predictions__isnull=False).exists()


def test_it_stores_files_creating_the_story_and_outlet_and_prints_them(files):
    output = run(
        "--story",
        "harbour-tolls",
        "--title",
        "Harbour tolls",
        "--outlet",
        "The Daily Record",
        "--genre",
        "news",
        str(files / "report.txt"),
        str(files / "column.md"),
    )
    story = Story.objects.get(slug="harbour-tolls")
    assert story.title == "Harbour tolls"
    articles = list(story.articles.order_by("pk"))
    assert [a.outlet.name for a in articles] == ["The Daily Record"] * 2
    assert all(a.genre == "news" for a in articles)
    for article in articles:
        assert f"{article.pk}\t{article.headline}\tThe Daily Record" in output
    assert story.actors.filter(name="Ann Hale", status=Actor.Status.PROPOSED).exists()


def test_a_manifest_gives_each_document_its_own_metadata(files):
    lines = [
        {
            "path": "report.txt",
            "headline": "Council to appeal",
            "outlet": "The Daily Record",
            "byline": "Jo Bloggs",
            "date": "2024-03-05",
            "url": "https://example.org/appeal",
            "genre": "news",
        },
        {"path": "column.md", "headline": "Wrong fight", "outlet": "The Sunday Column"},
    ]
    manifest = files / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    run("--story", "harbour-tolls", "--genre", "opinion", "--manifest", str(manifest))
    report = Article.objects.get(headline="Council to appeal")
    assert report.outlet.name == "The Daily Record" and report.byline == "Jo Bloggs"
    assert report.published == datetime.date(2024, 3, 5)
    assert report.source_url == "https://example.org/appeal" and report.genre == "news"
    column = Article.objects.get(headline="Wrong fight")
    assert column.outlet.name == "The Sunday Column" and column.genre == "opinion"  # the default


@pytest.mark.parametrize(
    "problem",
    ["missing file", "bad file", "duplicate", "bad manifest line", "no outlet"],
)
def test_any_bad_document_stores_nothing_at_all(files, problem):
    args = ["--story", "harbour-tolls", "--outlet", "The Daily Record", str(files / "report.txt")]
    if problem == "missing file":
        args.append(str(files / "nowhere.txt"))
    elif problem == "bad file":
        (files / "scan.pdf").write_bytes(b"%PDF-1.4 not text")
        args.append(str(files / "scan.pdf"))
    elif problem == "duplicate":
        args.append(str(files / "report.txt"))
    elif problem == "bad manifest line":
        (files / "m.jsonl").write_text('{"path": "column.md", "colour": "red"}\n')
        args += ["--manifest", str(files / "m.jsonl")]
    else:
        args = ["--story", "harbour-tolls", str(files / "report.txt")]
    with pytest.raises(CommandError):
        run(*args)
    assert not Story.objects.exists() and not Outlet.objects.exists()
    assert not Article.objects.exists()


def test_a_piece_already_stored_is_named_and_the_batch_refused(files):
    run("--story", "harbour-tolls", "--outlet", "The Daily Record", str(files / "report.txt"))
    with pytest.raises(CommandError, match="already stored"):
        run(
            "--story",
            "other",
            "--outlet",
            "Elsewhere",
            str(files / "column.md"),
            str(files / "report.txt"),
        )
    assert Article.objects.count() == 1 and not Story.objects.filter(slug="other").exists()
