import io
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.models import Actor, Paragraph, Story
from stance import align, compare, marks
from stance.compare import Filters, compare_state, compare_story
from stance.models import Frame, ParagraphAnalysis
from stance.selectors import with_verdicts
from stance.services.analysis import articles_analyse
from stance.services.classification import paragraphs_classify
from stance.services.labels import label_create
from stance.services.versions import model_train
from tests.factories import make_article, make_outlet, make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(tiny_corpus):
    call_command("seed_demo", stdout=io.StringIO())
    return Story.objects.get(slug="goff-carter")


@pytest.fixture
def seeded_starter(db):
    """The seed story read by the default model trained on the app's own starter corpus (a
    second or two), not the tiny test corpus: what the seed pieces show depends on a model
    that reads sentences the way the app's does."""
    call_command("seed_demo", stdout=io.StringIO())
    return Story.objects.get(slug="goff-carter")


def compare_url(story, *pieces, **params):
    query = "&".join([f"pieces={p}" for p in pieces] + [f"{k}={v}" for k, v in params.items()])
    return reverse("story-compare", args=[story.slug]) + (f"?{query}" if query else "")


def test_the_seed_story_shows_voice_loaded_words_and_echoes(editor_client, seeded_starter):
    seeded = seeded_starter
    report = seeded.articles.get(genre="news")
    column = seeded.articles.get(genre="opinion")
    pieces = compare_story(seeded, [report.pk, column.pk], Filters())
    report_piece, column_piece = pieces
    voice = {f.actor.name: f.quoted_words for f in report_piece.actors}
    assert voice["Chris Carter"] > 0 and voice["Phil Goff"] > 0
    assert report_piece.quoted_percent > 30  # the report's voice is mostly quoted
    assert (
        column_piece.share.opinion > column_piece.share.labelled / 2
    )  # the column's is the author's
    assert "author's own voice" in column_piece.stance
    assert column_piece.loaded  # loaded words in the column's own voice
    echoes = [row for row in column_piece.rows if row.matches]
    assert echoes and all(m.piece is report_piece for row in echoes for m in row.matches)

    page = editor_client.get(compare_url(seeded, report.pk, column.pk)).content.decode()
    assert "Share of voice" in page and "Loaded terms" in page and "Where the opinion sits" in page
    assert 'class="align-link"' in page and "unique to this piece" in page
    assert '<svg class="strip"' in page and "Opinion paragraphs:" in page  # chart + text


def test_filters_swap_the_columns_in_place(editor_client, seeded):
    report = seeded.articles.get(genre="news")
    carter = Actor.objects.get(story=seeded, name="Chris Carter")
    url = compare_url(seeded, report.pk, only="opinion")
    response = editor_client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="columns"')
    assert "<html" not in page
    everything = editor_client.get(compare_url(seeded, report.pk), headers={"HX-Request": "true"})
    assert page.count('class="cmp-para') < everything.content.decode().count('class="cmp-para')
    by_actor = editor_client.get(compare_url(seeded, report.pk, actor=carter.pk)).content.decode()
    assert "Carter" in by_actor
    assert editor_client.get(compare_url(seeded, report.pk, frame="nonsense")).status_code == 200


def test_the_url_keeps_the_chosen_pieces_and_bad_values_are_ignored(editor_client, seeded):
    column = seeded.articles.get(genre="opinion")
    page = editor_client.get(compare_url(seeded, column.pk, "x", 99999, actor="y")).content.decode()
    assert page.count('class="column"') == 1


def test_the_query_count_does_not_grow_with_paragraphs(editor_client, tiny_corpus):
    call_command("train_classifier", "--activate", stdout=io.StringIO(), stderr=io.StringIO())
    story = make_story("Harbour")
    outlet = make_outlet()

    def piece(n, tag):
        text = "\n\n".join(
            f"The harbour board met on day {i} about {tag}. It was a farce." for i in range(n)
        )
        return make_article(text, story=story, outlet=outlet, headline=tag)

    small = [piece(3, "a"), piece(3, "b")]
    url_small = compare_url(story, *[a.pk for a in small])
    editor_client.get(url_small)  # analyses are stored on first view
    cache.clear()  # measure computing the comparison, not serving it from the cache
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url_small)
    large = [piece(40, "c"), piece(40, "d")]
    url_large = compare_url(story, *[a.pk for a in large])
    editor_client.get(url_large)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        editor_client.get(url_large)
    assert len(many) == len(few)


def test_alignment_links_paragraphs_that_retell_the_same_facts():
    report = ["The council voted to expel the MP after a six-hour meeting.", "Rain is forecast."]
    column = ["Yesterday's six-hour council meeting expelled the MP.", "Cricket is a fine game."]
    matches = align.align([report, column])
    assert [m.paragraph for m in matches[1][0]] == [0]
    assert matches[1][1] == []  # unique to the column
    assert align.align([report]) == [[[], []]]


def test_anonymous_visitors_cannot_compare(client, seeded):
    assert client.get(compare_url(seeded)).status_code == 302


# --- The rendered comparison is cached per state of the story --------------------------


def test_a_repeated_comparison_is_served_from_the_cache(editor_client, seeded, monkeypatch):
    url = compare_url(seeded)
    first = editor_client.get(url).content.decode()
    computed = []
    monkeypatch.setattr(compare, "compare_story", lambda *a: computed.append(a) or [])
    again = editor_client.get(url).content.decode()
    assert computed == []
    assert strip_csrf(again) == strip_csrf(first)


def test_a_label_or_an_activation_shows_at_once(editor_client, editor, seeded):
    url = compare_url(seeded)
    column = seeded.articles.get(genre="opinion")
    paragraph = column.paragraphs.filter(kind="paragraph").first()
    assert "labelled by ed" not in editor_client.get(url).content.decode()
    label_create(paragraph=paragraph, editor=editor, label="news")
    assert "labelled by ed" in editor_client.get(url).content.decode()
    # Another editor's view of the same URL has its own buttons (no Undo of ed's label).
    other = Client()
    other.force_login(make_user("sam", "Editors"))
    assert "Undo your label" not in other.get(url).content.decode()
    assert "Undo your label" in editor_client.get(url).content.decode()


def test_the_cached_page_holds_no_token_and_its_forms_post_with_the_body_s(editor, seeded):
    url = compare_url(seeded)
    warm = Client(enforce_csrf_checks=True)
    warm.force_login(editor)
    warm.get(url)  # cached under this editor and URL
    fresh = Client(enforce_csrf_checks=True)  # a second session of the same editor
    fresh.force_login(editor)
    page = fresh.get(url).content.decode()
    columns = page[page.index('id="columns"') : page.index("</main>")]
    assert "csrfmiddlewaretoken" not in columns and "hx-post=" in columns
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "(\w+)"\}\'', page).group(1)
    paragraph = seeded.articles.get(genre="opinion").paragraphs.filter(kind="paragraph").first()
    label = reverse("paragraph-label", args=[paragraph.pk])
    answer = fresh.post(label, {"label": "opinion"}, headers={"HX-Request": "true"})
    assert answer.status_code == 403  # no token, no label
    answer = fresh.post(
        label, {"label": "opinion"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert answer.status_code == 200 and "labelled by ed" in answer.content.decode()


def strip_csrf(html: str) -> str:
    """The page without its CSRF tokens (masked afresh for every request)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<token>", html)


def test_a_label_shows_on_the_cached_comparison_exactly_as_on_a_fresh_one(
    editor_client, editor, seeded
):
    url = compare_url(seeded)
    editor_client.get(url)  # the comparison is cached
    column = seeded.articles.get(genre="opinion")
    for paragraph in column.paragraphs.filter(kind="paragraph")[:3]:
        label_create(paragraph=paragraph, editor=editor, label="news")
    refilled = editor_client.get(url).content.decode()
    cache.clear()
    fresh = editor_client.get(url).content.decode()
    assert strip_csrf(refilled) == strip_csrf(fresh)
    assert "labelled by ed" in fresh


def test_a_label_renders_again_only_its_own_pieces_card_and_column(
    editor_client, editor, seeded, monkeypatch
):
    from stance import views

    url = compare_url(seeded)
    report, column = seeded.articles.get(genre="news"), seeded.articles.get(genre="opinion")
    editor_client.get(url)  # every piece's card and column cached
    read = []
    real = views.labelled
    monkeypatch.setattr(
        views, "labelled", lambda *a, **kw: read.append(kw["pieces"]) or real(*a, **kw)
    )
    paragraph = column.paragraphs.filter(kind="paragraph").first()
    label_create(paragraph=paragraph, editor=editor, label="news")
    page = editor_client.get(url).content.decode()
    assert read == [{column.pk}]  # the report's card and column came from the cache
    assert f'id="verdict-{paragraph.pk}" data-paragraph="{paragraph.pk}" data-label="news"' in page
    # and a label in the report reads the report alone
    label_create(
        paragraph=report.paragraphs.filter(kind="paragraph").first(), editor=editor, label="news"
    )
    editor_client.get(url)
    assert read == [{column.pk}, {report.pk}]


def test_a_label_answer_carries_the_new_summary_of_its_piece_and_the_others(editor_client, seeded):
    url = compare_url(seeded)
    report, column = seeded.articles.get(genre="news"), seeded.articles.get(genre="opinion")
    page = editor_client.get(url).content.decode()
    before = _cards(page)
    paragraph = with_verdicts(column.paragraphs.filter(kind="paragraph")).first()
    answer = editor_client.post(
        reverse("paragraph-label", args=[paragraph.pk]),
        {"label": "news" if paragraph.effective_label == "opinion" else "opinion"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"},
    ).content.decode()
    after = _cards(answer)
    assert after[report.pk] == before[report.pk]  # the other piece's card as it was
    assert after[column.pk] != before[column.pk]  # its own card's figures moved
    assert _cards(editor_client.get(url).content.decode()) == after  # and the page agrees


def _cards(html: str) -> dict[int, str]:
    """{article id: its summary card} from a compare page or a label's answer."""
    section = html[html.index('<section class="summaries"') :]
    section = section[: section.index("</section>")]
    cards = section.split('<article class="card summary"')[1:]
    return {int(re.search(r'href="/articles/(\d+)/"', card).group(1)): card for card in cards}


def _rows_read(queries: CaptureQueriesContext) -> list[set[int]]:
    """Per query that read paragraphs with their stored analysis, the articles whose
    paragraphs it read: the pieces whose rows a page computed rather than took from the
    cache."""
    found = []
    for query in queries.captured_queries:
        sql = query["sql"]
        joined = 'LEFT OUTER JOIN "stance_paragraphanalysis"'
        if sql.startswith('SELECT "newsroom_paragraph"."id"') and joined in sql:
            ids = re.search(r'"newsroom_paragraph"\."article_id" IN \(([\d, ]+)\)', sql)
            found.append({int(i) for i in ids.group(1).split(",")})
    return found


def test_a_new_piece_computes_its_own_rows_alone(editor_client, seeded):
    with CaptureQueriesContext(connection) as first:
        editor_client.get(compare_url(seeded))  # each piece's rows and figures cached
    assert _rows_read(first) == [set(seeded.articles.values_list("pk", flat=True))]
    added = make_article("A third piece arrives.\n\nIt says little.", story=seeded)
    with CaptureQueriesContext(connection) as second:
        page = editor_client.get(compare_url(seeded)).content.decode()
    assert _rows_read(second) == [{added.pk}]  # the story's content moved; the old came cached
    assert "A third piece arrives." in page and 'class="seg' in page  # their marks too
    assert page.count('class="column"') == 3


def test_a_new_comparison_marks_each_paragraph_once(editor_client, seeded, monkeypatch):
    """A piece computed afresh renders its paragraphs' marked text once, for its cached body
    and the comparison alike (the text of a long piece is most of a new state's cost)."""
    marked = []
    real = compare.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template.endswith("#row-text"):
            marked.append(context["row"].paragraph.pk)
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(compare, "render_to_string", counting)
    page = editor_client.get(compare_url(seeded)).content.decode()
    assert marked and len(marked) == len(set(marked))
    assert page.count('class="seg') > 0


def test_a_piece_left_out_of_the_choice_leaves_the_columns_cached(
    editor_client, seeded, monkeypatch
):
    from stance import views

    report, column = seeded.articles.get(genre="news"), seeded.articles.get(genre="opinion")
    url = compare_url(seeded, report.pk, column.pk)
    editor_client.get(url)
    read = []
    real = views.labelled
    monkeypatch.setattr(views, "labelled", lambda *a, **kw: read.append(kw) or real(*a, **kw))
    make_article("It says little.", story=seeded, headline="A third piece")  # content moves
    page = editor_client.get(url).content.decode()
    assert read == [] and page.count('class="column"') == 2
    assert "A third piece" in page  # in the chooser, not the columns


def test_pieces_past_the_fourth_are_named_as_not_shown_with_the_way_to_see_them(
    editor_client, seeded
):
    """Compare shows MAX_PIECES columns; a fifth piece chosen (or in the story, when none is
    chosen) is named above the columns, never dropped in silence."""
    extra = [
        make_article(f"Piece {n} reports the vote.", story=seeded, headline=f"Extra piece {n}")
        for n in range(1, 4)
    ]
    chosen = [*seeded.articles.order_by("published", "created").values_list("pk", flat=True)]
    assert len(chosen) == compare.MAX_PIECES + 1
    for url in (compare_url(seeded, *chosen), reverse("story-compare", args=[seeded.slug])):
        page = editor_client.get(url).content.decode()
        assert page.count('class="column"') == compare.MAX_PIECES
        notice = re.search(r"Compare shows 4 pieces side by side\. Not shown: (.*?);", page)
        assert notice and notice.group(1) == f"<cite>{extra[-1].headline}</cite>"
        assert reverse("story-treatment", args=[seeded.slug]) in page
    page = editor_client.get(compare_url(seeded, *chosen[:4])).content.decode()
    assert "not shown" not in page


def test_marked_text_escapes_every_run_and_names_a_quotes_speaker_after_it():
    text = 'Ann <b> said "no & never" today'
    quote_at = text.index('"')
    said = marks.Mark(quote_at, text.index(" today"), "quote", 'quote speech: Ann "A"', "Ann & Co")
    named = marks.Mark(0, 3, "mention", "Ann Hale")
    inner = marks.Mark(text.index("no"), text.index("no") + 2, "loaded", "loaded language")
    html = compare.marked_text(marks.runs(text, [said, named, inner]))
    assert html == (
        '<span class="seg mention" title="Ann Hale">Ann</span> &lt;b&gt; said '
        '<span class="seg quote" title="quote speech: Ann &quot;A&quot;">&quot;</span>'
        '<span class="seg loaded quote" title="quote speech: Ann &quot;A&quot;; loaded '
        'language">no</span>'
        '<span class="seg quote" title="quote speech: Ann &quot;A&quot;"> &amp; never&quot;</span>'
        '<span class="seg speaker" title="speaker of the quote">Ann &amp; Co</span> today'
    )
    assert compare.marked_text(marks.runs("plain", [])) == "plain"


def test_a_cached_comparison_keeps_no_paragraph_text_or_analysis(editor_client, seeded):
    state = compare_state(seeded.slug)
    found = compare.comparison(state, [], Filters())
    assert found.pieces and all(row.text_html for piece in found.pieces for row in piece.rows)
    for piece in found.pieces:
        for row in piece.rows:
            assert row.paragraph.text == ""
            assert not Paragraph.analysis.is_cached(row.paragraph)
            assert not Paragraph.article.is_cached(row.paragraph)
    assert "Compare the pieces" in editor_client.get(compare_url(seeded)).content.decode()


def test_a_hostile_query_string_is_escaped_in_the_cached_columns(editor_client, seeded):
    url = compare_url(seeded) + '?frame="><script>alert(1)</script>&actor=<img onerror=x>'
    for _ in range(2):  # computed, then served from the cache
        page = editor_client.get(url).content.decode()
        assert "<script>alert" not in page and "<img onerror" not in page


def test_the_state_moves_with_labels_activations_refreshes_and_edits(editor, seeded):
    def state():
        fingerprint = compare_state(seeded.slug)
        return fingerprint.content, fingerprint.labels

    content, labels = state()
    paragraph = seeded.articles.first().paragraphs.filter(kind="paragraph").first()
    label_create(paragraph=paragraph, editor=editor, label="opinion")
    assert state()[0] == content and state()[1] != labels

    content, labels = state()
    model_train(activate=True)  # a new active classifier
    assert state()[0] != content
    content = state()[0]
    paragraphs_classify(paragraphs=paragraph.article.paragraphs.all())
    assert state()[0] != content  # its predictions arrived
    for edit in [
        lambda: seeded.actors.first().save(),
        lambda: Frame.objects.first().save(),
        lambda: paragraph.article.save(),  # e.g. a headline corrected in the admin
        lambda: paragraph.article.outlet.save(),
        lambda: make_article("Another piece arrives.", story=seeded),
    ]:
        content = state()[0]
        edit()
        assert state()[0] != content and state()[1] == labels
    assert compare_state("no-such-story") is None


def test_a_pending_message_is_shown_once_not_cached(editor_client, seeded, rf):
    url = compare_url(seeded)
    editor_client.get(url)  # cached
    storage, response = CookieStorage(rf.get("/")), HttpResponse()
    storage.add(messages.SUCCESS, "Retrain started: you can keep working.")
    storage.update(response)  # as the message middleware sets it
    editor_client.cookies["messages"] = response.cookies["messages"].value
    shown = editor_client.get(url).content.decode()
    assert "Retrain started" in shown
    assert "Retrain started" not in editor_client.get(url).content.decode()


# --- No request runs the analysis --------------------------------------------------------


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run (as with a worker that has not got to them yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


def test_a_stale_analysis_shows_pending_is_queued_once_and_the_page_updates_when_done(
    editor_client, seeded, queued_tasks, django_capture_on_commit_callbacks
):
    report = seeded.articles.get(genre="news")
    # as after a change to the analysis, its actors or its frames
    ParagraphAnalysis.objects.filter(paragraph__article=report).update(signature="stale")
    report_analysis = report.paragraphs.first().analysis.created
    url = compare_url(seeded, report.pk)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            page = editor_client.get(url).content.decode()
        assert "Analysis pending" in page and 'id="analysis-poll"' in page
    assert [r.args for r in queued_tasks] == [[[report.pk]]]  # three views, one task
    assert report.paragraphs.first().analysis.created == report_analysis  # none ran here
    since = re.search(r'"X-Compare-State": "(\w+)"', page).group(1)
    poll = {"HX-Request": "true", "X-Compare-State": since}
    assert editor_client.get(url, headers=poll).status_code == 204  # not done yet

    articles_analyse(articles=[report])  # the worker runs the task
    done = editor_client.get(url, headers=poll)
    assert done.status_code == 200
    columns = done.content.decode()
    assert columns.lstrip().startswith('<div id="columns"') and "Analysis pending" not in columns
    assert "Analysis pending" not in editor_client.get(url).content.decode()


def test_long_pieces_are_aligned_by_a_task_and_the_page_asks_until_it_is_done(
    editor_client, seeded, queued_tasks, monkeypatch
):
    monkeypatch.setattr(compare, "ALIGN_INLINE_CHARS", 100)  # as if the pieces were long
    url = compare_url(seeded)
    page = editor_client.get(url).content.decode()
    assert "finding counterparts" in page and 'class="align-link"' not in page
    assert "unique to this piece" not in page  # not yet known
    since = re.search(r'"X-Compare-State": "(\w+)"', page).group(1)
    poll = {"HX-Request": "true", "X-Compare-State": since}
    assert editor_client.get(url, headers=poll).status_code == 204
    (task,) = [r for r in queued_tasks if r.task.name == "align_pieces"]

    cache.clear()  # a while later: the short-lived pending entries are gone
    task.task.call(*task.args)  # the worker aligns
    columns = editor_client.get(url, headers=poll).content.decode()
    assert 'class="align-link"' in columns and "finding counterparts" not in columns


def test_a_new_alignment_method_never_shows_an_older_ones_matches(
    editor_client, seeded, queued_tasks, monkeypatch
):
    monkeypatch.setattr(compare, "ALIGN_INLINE_CHARS", 100)  # aligned by the worker only
    monkeypatch.setattr(align, "METHOD", "older-method")
    url = compare_url(seeded)
    editor_client.get(url)
    (task,) = [r for r in queued_tasks if r.task.name == "align_pieces"]
    cache.clear()  # a while later: the short-lived pending entries are gone
    task.task.call(*task.args)  # the worker aligns with the older method
    assert 'class="align-link"' in editor_client.get(url).content.decode()

    monkeypatch.setattr(align, "METHOD", "newer-method")  # a deploy changes the method
    page = editor_client.get(url).content.decode()
    assert "finding counterparts" in page and 'class="align-link"' not in page
