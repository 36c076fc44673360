import csv
import dataclasses
import itertools
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from newsroom.cleaning import spreadsheet_cell
from newsroom.models import Article, Outlet, Paragraph, Story
from stance import caching, jobs, marks, review, review_session, selectors, tasks, voice
from stance.candidate import candidate_report
from stance.compare import (
    MAX_PIECES,
    PENDING_SECONDS,
    Comparison,
    Filters,
    compare_state,
    comparison,
    labelled,
    piece_label_states,
)
from stance.forms import ImportForm, LabelForm, SpeakerForm
from stance.grid import cell_evidence, story_grid
from stance.models import Job, Label, ModelVersion, SpeakerCorrection, TrainingSet
from stance.quotes import marked_html, opinion_sentences, quote_views
from stance.selectors import opinion_share_by_article, with_verdicts
from stance.services import labels as label_services
from stance.services import speaker_corrections
from stance.services import training_sets as training_set_services
from stance.services import versions as version_services
from stance.templatetags.verdicts import ago


def _get_paragraph(pk: int) -> Paragraph:
    return get_object_or_404(
        with_verdicts(Paragraph.objects.select_related("article__story", "article__outlet")), pk=pk
    )


@require_safe
@vary_on_headers("HX-Request")
def paragraph_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Why the active model labels this paragraph as it does: cues and quoted speech."""
    paragraph = _get_paragraph(pk)
    context = {"paragraph": paragraph, "explanation": None}
    if paragraph.is_classifiable:
        version = ModelVersion.objects.without_artifact().active(ModelVersion.Kind.CLASSIFIER)
        explanation = version and tasks.explanation_request(paragraph, version.pk)
        context["pending"] = version is not None and explanation is None
        if explanation is not None:
            if paragraph.model_label is not None:
                # the verdict shown is the stored one, read sentence by sentence (stance.voice);
                # the cues are the classifier's reading of the paragraph's text as a whole
                explanation = dataclasses.replace(
                    explanation, label=paragraph.model_label, p_opinion=paragraph.p_opinion
                )
            strongest = max((abs(c.weight) for c in explanation.cues), default=1.0) or 1.0
            context.update(
                version=version,
                explanation=explanation,
                sentences=[
                    (paragraph.text[s.start : s.end], s)
                    for s in voice.sentences_from_json(paragraph.model_sentences)
                ],
                cues=[(cue, round(100 * abs(cue.weight) / strongest)) for cue in explanation.cues],
                quoted=marks.spans(paragraph.text, explanation.quoted_spans, "quote"),
            )
    template = "stance/paragraph.html#explanation" if request.htmx else "stance/paragraph.html"
    return render(request, template, context)


@require_safe
@permission_required("stance.view_label", raise_exception=True)
def paragraph_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every label a paragraph was given, with its author, note and time (undone ones too)."""
    paragraph = _get_paragraph(pk)
    template = "stance/paragraph.html#history" if request.htmx else "stance/paragraph.html"
    return render(request, template, {"paragraph": paragraph, "history": review.history(paragraph)})


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def paragraph_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an editor's label (news / opinion) or confirmation of the model's."""
    error = _label_from_form(request, get_object_or_404(Paragraph, pk=pk))
    return _verdict_response(request, pk, error)


def _label_from_form(request: HttpRequest, paragraph: Paragraph) -> str:
    """Validate the label form and record the label; the reason it was refused, or ""."""
    form = LabelForm(request.POST)
    if not form.is_valid():
        note = request.POST.get("note", "")
        if len(note) > LabelForm.NOTE_MAX_CHARS:
            return (
                f"Keep the note to {LabelForm.NOTE_MAX_CHARS:,} characters "
                f"(it has {len(note):,}); nothing was recorded."
            )
        if "note" in form.errors:  # e.g. a NUL character
            return f"The note cannot be recorded: {form.errors['note'][0]}"
        return "Choose news or opinion."
    try:
        label_services.label_create(
            paragraph=paragraph,
            editor=request.user,
            label=form.cleaned_data["label"],
            note=form.cleaned_data["note"],
            action=form.cleaned_data["action"],
        )
    except ValidationError as exc:
        return exc.messages[0]
    return ""


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def label_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a label: an editor undoes their own, an admin anyone's."""
    label = get_object_or_404(Label, pk=pk)
    if label.editor_id != request.user.pk and not request.user.has_perm("stance.change_label"):
        raise PermissionDenied("You can only undo your own labels.")
    error = ""
    try:
        label_services.label_undo(label=label, editor=request.user)
    except ValidationError as exc:
        error = exc.messages[0]
    return _verdict_response(request, label.paragraph_id, error)


def _verdict_response(request: HttpRequest, pk: int, error: str) -> HttpResponse:
    if not request.htmx:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = _get_paragraph(pk).article.get_absolute_url()
        return redirect(target)
    paragraph = _get_paragraph(pk)
    response = render(
        request, "stance/paragraph.html#verdict", {"paragraph": paragraph, "error": error}
    )
    # Every figure the label changed on the page it came from, swapped in by this response.
    article = paragraph.article
    page = urlsplit(request.htmx.current_url or "")
    if page.path == article.get_absolute_url():
        share = opinion_share_by_article([article.pk]).get(article.pk)
        response.write(
            render_to_string(
                "stance/paragraph.html#share-oob", {"article": article, "share": share}
            )
        )
    elif page.path == reverse("story-compare", args=[article.story.slug]):
        state = compare_state(article.story.slug)
        context = _compare_context(request, QueryDict(page.query), state) | {"oob": True}
        response.write(render_to_string("stance/compare.html#summaries", context, request))
    return trigger_client_event(response, "labelled", {"paragraph": pk})


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def story_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Pieces of a story side by side; the URL holds the chosen pieces and filters.

    One template: the page, or for htmx its columns (filters, a finished analysis) or its
    summaries. What labels do not change comes from stance.compare.comparison (cached per
    content state); the rendered content is cached per content and label state, viewer and
    URL. It holds no CSRF token: its htmx forms send the one in <body hx-headers>, which the
    layout renders for each request around it.
    """
    state = compare_state(slug)
    if state is None:
        raise Http404("No such story.")
    # A waiting page's poll: nothing to swap while no analysis is stored (that moves the
    # state) and its alignment is not there (its comparison is kept PENDING_SECONDS).
    polled = request.htmx and request.headers.get("X-Compare-State") == state.content[:16]
    if polled and _comparison_of(request.GET, state)[1].waiting:
        return HttpResponse(status=204)
    part = "content"
    if request.htmx:
        part = "summaries" if request.htmx.target == "summaries" else "columns"
    page = [request.user.pk, request.get_full_path(), part]
    key = "compare-page:" + caching.digest([state.content, state.labels, *page])
    latest = "compare-latest:" + caching.digest(page)

    def rendered() -> tuple[str, int]:
        context = _compare_context(request, request.GET, state)
        html = render_to_string(f"stance/compare.html#{part}", context, request)
        waiting = context["comparison"].waiting
        return html, PENDING_SECONDS if waiting else COMPARE_CACHE_SECONDS

    # While another request renders this state, a full page shows the latest rendering and
    # asks for its columns again (htmx requests, which swap parts in, wait for the render).
    html, current = _COMPARE_PAGES(key, latest, rendered, latest_ok=not request.htmx)
    if request.htmx:
        return HttpResponse(html)
    context = {"content": html, "title": state.title, "updating": not current}
    return render(request, "stance/compare.html", context)


# One render of a page's new state in all processes; the others show its latest meanwhile.
_COMPARE_PAGES = caching.RenderedOnce()

# Relative times in a cached page ("labelled 3 minutes ago") age by at most this, and a
# change of role reaches its buttons within it (every POST checks permissions).
COMPARE_CACHE_SECONDS = 60


def _comparison_of(query, state) -> tuple[Filters, Comparison]:
    filters = Filters(
        only_opinion=query.get("only") == "opinion",
        actor=_int_or_none(query.get("actor")),
        frame=query.get("frame", ""),
    )
    return filters, comparison(state, _int_list(query.getlist("pieces")), filters)


def _compare_context(request: HttpRequest, query, state) -> dict:
    filters, found = _comparison_of(query, state)
    columns = _columns(request, found, filters.only_opinion)
    return {
        "comparison": found,
        "story": found.story,
        "filters": filters,
        "columns": columns,
        "max_pieces": MAX_PIECES,
        "cached": True,  # no CSRF token in its forms (see story_compare)
    }


@dataclasses.dataclass
class PieceHtml:
    """A piece's summary card and column, rendered (stance/compare.html#piece-card and
    #piece-column), beside the piece they show (the page's tabs read its headline)."""

    piece: object
    card_html: str
    column_html: str


def _columns(request: HttpRequest, found: Comparison, only_opinion: bool) -> list:
    """Each chosen piece's card and column, from the cache unless that piece's labels (or
    the chosen pieces' content, the URL's pieces and filters, or the viewer) moved: after a
    label, only its own piece is read and rendered again, and a piece added to the story
    but not chosen renders none. The fragments take nothing from the
    request but the viewer's verdict blocks (_verdict_blocks), so they hold no token."""
    viewer = _verdict_viewer(request)
    labels = piece_label_states(found.chosen)
    # What the chosen pieces show of themselves and whether they are aligned, not the
    # story's whole content: a piece left out of the URL's choice changes none of these.
    pieces = [(piece.fingerprint, piece.aligning) for piece in found.pieces]
    shared = [pieces, found.chosen, found.filters, only_opinion, viewer]
    keys = {
        piece.article.pk: "compare-piece:"
        + caching.digest([*shared, piece.article.pk, labels[piece.article.pk]])
        for piece in found.pieces
    }
    cached = cache.get_many(list(keys.values()))
    missing = {pk for pk, key in keys.items() if key not in cached}
    rendered = {}
    if missing:
        columns = labelled(found, only_opinion=only_opinion, pieces=missing)
        _verdict_blocks(request, [p for c in columns for _, p in c.rows if p is not None])
        for column in columns:
            context = {"column": column, "pieces": found.pieces, "cached": True}
            rendered[keys[column.piece.article.pk]] = (
                render_to_string("stance/compare.html#piece-card", context),
                render_to_string("stance/compare.html#piece-column", context),
            )
        seconds = PENDING_SECONDS if found.waiting else COMPARE_CACHE_SECONDS
        cache.set_many(rendered, seconds)
    out = []
    for piece in found.pieces:
        card, column = cached.get(keys[piece.article.pk]) or rendered[keys[piece.article.pk]]
        out.append(PieceHtml(piece, card, column))
    return out


@require_safe
@vary_on_headers("HX-Request")
def story_treatment(request: HttpRequest, slug: str) -> HttpResponse:
    """The treatment grid: every piece against every actor; `actor` filters the rows,
    `cell=ACTOR-ARTICLE` opens a cell's evidence (the evidence partial for htmx)."""
    story = get_object_or_404(Story, slug=slug)
    actor_id = _int_or_none(request.GET.get("actor"))
    pending = tasks.articles_analysis_request(story.articles.all())
    grid = story_grid(story, actor_id, pending)
    context = {
        "story": story,
        "grid": grid,
        "actor_id": actor_id,
        "opened": None,
        "pending": pending,
    }
    context["actors"] = story.actors.analysed().order_by("name")
    match = re.fullmatch(r"(\d{1,9})-(\d{1,9})", request.GET.get("cell", ""))
    if match:
        found = cell_evidence(grid, int(match.group(1)), int(match.group(2)))
        if found is not None:
            context["opened"], context["shown"] = found
    if request.htmx and request.GET.get("cell"):
        return render(request, "stance/treatment.html#evidence", context)
    return render(request, "stance/treatment.html", context)


def _verdict_viewer(request: HttpRequest) -> list:
    """What a verdict block shows differently from one viewer to another: their own labels
    (the undo button) and whether they may label."""
    return [request.user.pk, request.user.has_perm("stance.add_label")]


def _verdict_blocks(request: HttpRequest, paragraphs: list[Paragraph]) -> None:
    """Give each paragraph its verdict block (`verdict_html`), from the cache when the
    viewer and what the block shows are the same: after a label, one block is rendered,
    not one per paragraph. The blocks hold no token (see story_compare)."""
    viewer = _verdict_viewer(request)
    keys = {
        p.pk: "verdict:"
        + caching.digest(
            [*viewer, *(getattr(p, name) for name in VERDICT_FIELDS), ago(p.label_created)]
        )
        for p in paragraphs
    }
    found = cache.get_many(list(keys.values()))
    rendered = {}
    for p in paragraphs:
        html = found.get(keys[p.pk])
        if html is None:
            context = {"paragraph": p, "cached": True}
            html = rendered[keys[p.pk]] = render_to_string(
                "stance/paragraph.html#verdict", context, request
            )
        p.verdict_html = html
    cache.set_many(rendered, COMPARE_CACHE_SECONDS)


# What a verdict block shows of its paragraph (stance/paragraph.html#verdict)
VERDICT_FIELDS = [
    "pk",
    "effective_label",
    "p_opinion",
    "model_label",
    "editor_label",
    "label_id",
    "label_action",
    "label_editor",
    "label_created",
]


def _int_list(values: list[str]) -> list[int]:
    out = []
    for value in values:
        number = _int_or_none(value)
        if number is not None and number not in out:
            out.append(number)
    return out


def _int_or_none(value: str | None) -> int | None:
    """An id from the query or form, or None; one no database column can hold is None too."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -(2**63) <= number < 2**63 else None


# ---------------------------------------------------------------------------
# Review queue and agreement


def _scope(params) -> review.Scope:
    return review.Scope(
        story=_int_or_none(params.get("story")),
        outlet=_int_or_none(params.get("outlet")),
        genre=params.get("genre", "") if params.get("genre") in Article.Genre.values else "",
    )


@require_safe
@permission_required("stance.add_label", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    """One paragraph at a time, in the order that most helps the model."""
    return _review_render(request, at=_int_or_none(request.GET.get("at")))


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def review_skip(request: HttpRequest) -> HttpResponse:
    """Leave this paragraph out of the editor's queue for this session."""
    paragraph_id = _int_or_none(request.POST.get("paragraph"))
    if paragraph_id:
        review_session.skipped_set(
            request.session, review_session.skipped(request.session) | {paragraph_id}
        )
    return _review_answer(request)


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def review_label(request: HttpRequest) -> HttpResponse:
    """Label the queue's paragraph; a refused label stays on screen with its reason."""
    paragraph_id = _int_or_none(request.POST.get("paragraph"))
    if not paragraph_id:
        return _review_answer(request)
    error = _label_from_form(request, get_object_or_404(Paragraph, pk=paragraph_id))
    return _review_answer(request, at=paragraph_id if error else None, error=error)


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def review_undo(request: HttpRequest) -> HttpResponse:
    """Undo the editor's last label and show that paragraph again."""
    try:
        undo = label_services.label_undo_last(editor=request.user)
    except ValidationError as exc:  # nothing to undo, or a concurrent undo (double press) won
        return _review_answer(request, error=exc.messages[0])
    return _review_answer(request, at=undo.paragraph_id)


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def review_reset(request: HttpRequest) -> HttpResponse:
    """Bring the skipped paragraphs back into the queue."""
    review_session.skipped_set(request.session, set())
    return _review_answer(request)


def _review_answer(request: HttpRequest, *, at: int | None = None, error: str = "") -> HttpResponse:
    """After a queue action: htmx gets the queue partial (with any error); a plain form
    post goes back to the queue with the same scope, at the given paragraph."""
    if request.htmx:
        return _review_render(request, at=at or _int_or_none(request.GET.get("at")), error=error)
    query = request.GET.copy()
    if at:
        query["at"] = at
    return redirect(f"{reverse('review-queue')}?{query.urlencode()}")


def _review_render(request: HttpRequest, *, at: int | None, error: str = "") -> HttpResponse:
    scope = _scope(request.GET)
    skipped = review_session.skipped(request.session)
    items = review.queue(scope, user_id=request.user.pk, skipped=skipped)
    ids = [item.paragraph_id for item in items]
    if at is not None and at not in ids:
        ids.insert(0, at)
        items.insert(0, review.QueueItem(at, "back for another look"))
    index = ids.index(at) if at in ids else 0
    current = items[index] if items else None
    paragraph = _get_paragraph(current.paragraph_id) if current else None
    context = {
        "scope": scope,
        "item": current,
        "paragraph": paragraph,
        "history": review.history(paragraph) if current and current.adjudicates else None,
        "before": _neighbour(paragraph, -1),
        "after": _neighbour(paragraph, 1),
        "next_id": ids[index + 1] if index + 1 < len(ids) else None,
        "previous_id": ids[index - 1] if index > 0 else None,
        "remaining": len(ids),
        "reviewed": review.progress(scope),
        "skipped": len(skipped),
        "error": error,
        "stories": Story.objects.all(),
        "outlets": Outlet.objects.all(),
        "genres": Article.Genre.choices,
        "query": _scope_query(scope),
    }
    template = "stance/review.html#queue" if request.htmx else "stance/review.html"
    return render(request, template, context)


def _neighbour(paragraph: Paragraph | None, step: int) -> Paragraph | None:
    if paragraph is None:
        return None
    return (
        Paragraph.objects.filter(
            article_id=paragraph.article_id, position=paragraph.position + step
        )
        .exclude(kind=Paragraph.Kind.HEADING)
        .first()
    )


def _scope_query(scope: review.Scope) -> str:
    parts = {"story": scope.story, "outlet": scope.outlet, "genre": scope.genre}
    return "&".join(f"{key}={value}" for key, value in parts.items() if value)


@require_safe
@permission_required("stance.view_label", raise_exception=True)
def agreement(request: HttpRequest) -> HttpResponse:
    """How far editors agree with each other and with each model version."""
    return render(
        request,
        "stance/agreement.html",
        {
            "editors": review.editor_agreement(),
            "models": review.model_agreement(),
            "disagreements": review.disagreements(),
            "min_sample": review.MIN_KAPPA_SAMPLE,
        },
    )


# ---------------------------------------------------------------------------
# Model versions: retrain, compare, activate, roll back; import and export labels


def _models_context(request: HttpRequest, **extra) -> dict:
    jobs.jobs_reap()  # so a job whose worker died shows as failed, with its retry
    versions = list(
        ModelVersion.objects.without_artifact().classifiers().select_related("created_by")
    )
    active = next((v for v in versions if v.is_active), None)
    candidates = [
        v
        for v in versions
        if v.status == ModelVersion.Status.READY and not v.is_active and "editor_eval" in v.metrics
    ]
    candidate = (
        candidates[0]
        if candidates and (active is None or candidates[0].number > active.number)
        else None
    )
    return {
        "versions": versions,
        "active": active,
        "candidate": candidate,
        "report": candidate_report(candidate, active) if candidate else None,
        "jobs": Job.objects.select_related("version")[:5],
        "training_sets": TrainingSet.objects.all(),
        "import_form": ImportForm(),
        **extra,
    }


@require_safe
@permission_required("stance.view_modelversion", raise_exception=True)
def models_page(request: HttpRequest) -> HttpResponse:
    return render(request, "stance/models.html", _models_context(request))


@require_POST
@permission_required("stance.add_modelversion", raise_exception=True)
def model_retrain(request: HttpRequest) -> HttpResponse:
    jobs.jobs_reap()
    try:
        jobs.candidate_train_start(user=request.user)
    except ValidationError as error:
        messages.warning(request, error.messages[0])
    return _back_to_models(request)


@require_safe
@permission_required("stance.view_modelversion", raise_exception=True)
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    jobs.jobs_reap()
    job = get_object_or_404(Job.objects.select_related("version"), pk=pk)
    response = render(request, "stance/models.html#job", {"job": job})
    if job.is_finished and request.GET.get("was") == "running":
        response = trigger_client_event(response, "jobFinished", {"job": job.pk})
    return response


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed job again (its worker died, or the work failed) as a new job.

    Whoever may start the job may retry it: retrain (add), refresh (activate).
    """
    job = get_object_or_404(Job, pk=pk)
    needed = "add" if job.kind == Job.Kind.TRAIN else "change"
    if not request.user.has_perm(f"stance.{needed}_modelversion"):
        raise PermissionDenied

    def retry() -> str:
        return f"{jobs.job_retry(job=job, user=request.user).get_kind_display()}: started again."

    return _model_action(request, retry)


@require_POST
@permission_required("stance.change_modelversion", raise_exception=True)
def model_activate(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion.objects.without_artifact(), pk=pk)

    def activate() -> str:
        active = version_services.model_activate(version=version, activated_by=request.user)
        return f"{active} is active; stored labels are being refreshed."

    return _model_action(request, activate)


@require_POST
@permission_required("stance.change_modelversion", raise_exception=True)
def model_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion.objects.without_artifact(), pk=pk)

    def discard() -> str:
        version_services.model_discard(version=version)
        return f"{version} discarded."

    return _model_action(request, discard)


@require_POST
@permission_required("stance.add_modelversion", raise_exception=True)
def training_set_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["tsv"]

        def import_set() -> str:
            content = training_set_services.training_set_read(upload, name=upload.name)
            item = training_set_services.training_set_import(
                name=upload.name, content=content, uploaded_by=request.user
            )
            return f"Imported {item}: it joins the next retrain."

        _say_outcome(request, import_set)
    else:
        messages.error(request, "Choose a labelled TSV file (id, text, label).")
    return redirect("models")


@require_safe
@permission_required("stance.view_label", raise_exception=True)
def labels_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every label with its editor, time and what the model said, and every speaker
    correction with the quote and what the analysis said, as CSV or JSON Lines."""
    if fmt not in {"csv", "jsonl"}:
        raise Http404("Export as .csv or .jsonl.")
    rows = selectors.editorial_export_rows()
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "jsonl":
        body = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        response = StreamingHttpResponse(body, content_type="application/x-ndjson")
    else:
        buffer = Echo()
        writer = csv.DictWriter(buffer, fieldnames=selectors.EDITORIAL_EXPORT_FIELDS)
        body = itertools.chain(
            [writer.writeheader()],
            (writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()}) for row in rows),
        )
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="labels-{stamp}.{fmt}"'
    return response


class Echo:
    """A file-like object whose write() returns the line (for streaming csv)."""

    def write(self, value: str) -> str:
        return value


def _say_outcome(request: HttpRequest, action: Callable[[], str]) -> None:
    """Run a models-page action and say how it went: the message it returns, or why the
    service refused (its ValidationError)."""
    try:
        message = action()
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, message)


def _model_action(request: HttpRequest, action: Callable[[], str]) -> HttpResponse:
    """The models page after one of its actions, saying how the action went."""
    _say_outcome(request, action)
    return _back_to_models(request)


def _back_to_models(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        return render(request, "stance/models.html#workspace", _models_context(request))
    return redirect("models")


# ---------------------------------------------------------------------------
# Who said a quote: editors correct the speaker (append-only corrections)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("stance.add_speakercorrection", raise_exception=True)
def quote_speaker(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick who said one quote of the paragraph (the quote is given by its offsets)."""
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("article__story", "analysis"), pk=pk
    )
    story = paragraph.article.story
    params = request.POST if request.method == "POST" else request.GET
    start, end = _int_or_none(params.get("start")), _int_or_none(params.get("end"))
    actors = {str(actor.pk): actor for actor in story.actors.all()}
    views = quote_views([paragraph], actors)[paragraph.pk]
    quote = next((q for q in views if (q.start, q.end) == (start, end)), None)
    if quote is None:
        raise Http404("No quote there: the paragraph may have been analysed again.")
    form = SpeakerForm(
        request.POST or None,
        actors=story.actors.analysed().order_by("name"),
        initial=_speaker_initial(quote),
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            speaker_corrections.speaker_correct(
                paragraph=paragraph,
                start=start,
                end=end,
                editor=request.user,
                choice=form.cleaned_data["choice"],
                actor=form.cleaned_data["actor"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return _speaker_saved(request, paragraph, actors)
    context = {"paragraph": paragraph, "quote": quote, "form": form, "error": error}
    template = (
        "stance/quote_speaker.html#speaker-form" if request.htmx else "stance/quote_speaker.html"
    )
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _speaker_initial(quote) -> dict:
    if not quote.item.is_speech:
        return {"choice": SpeakerCorrection.Choice.NOBODY}
    if quote.speaker_actor is not None:
        return {"choice": SpeakerCorrection.Choice.ACTOR, "actor": quote.speaker_actor.pk}
    if quote.who:
        return {"choice": SpeakerCorrection.Choice.OTHER, "name": quote.who}
    return {}


def _speaker_saved(request: HttpRequest, paragraph: Paragraph, actors: dict) -> HttpResponse:
    if not request.htmx:
        article = paragraph.article
        messages.success(request, "Speaker corrected.")
        return redirect(f"{article.get_absolute_url()}#p{paragraph.position}")
    paragraph.text_html = marked_html(
        paragraph.text,
        quote_views([paragraph], actors)[paragraph.pk],
        can_correct=True,
        opinion=opinion_sentences(paragraph, _sentence_marks(paragraph)),
    )
    # The paragraph's text with its new speaker replaces the old; the picker goes.
    html = render_to_string(
        "newsroom/article_detail.html#paragraph-text", {"paragraph": paragraph}, request
    )
    html += render_to_string("stance/quote_speaker.html#slot-oob", {"paragraph": paragraph})
    response = reswap(retarget(HttpResponse(html), f"#text-{paragraph.pk}"), "outerHTML")
    return trigger_client_event(response, "speakerCorrected", {"paragraph": paragraph.pk})


# ---------------------------------------------------------------------------
# One sentence: editors mark a single sentence of a paragraph news or opinion


def _sentence_marks(paragraph: Paragraph) -> dict:
    return selectors.sentence_labels_by_paragraph([paragraph.pk]).get(paragraph.pk, {})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("stance.add_label", raise_exception=True)
def sentence_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick one sentence of the paragraph (as the active model split it) and mark it news
    or opinion; `start` preselects the sentence starting there."""
    paragraph = get_object_or_404(
        with_verdicts(Paragraph.objects.select_related("article__story", "analysis")), pk=pk
    )
    marks = _sentence_marks(paragraph)
    sentences = _sentence_choices(paragraph, marks)
    error = ""
    if request.method == "POST":
        span = request.POST.get("sentence", "").partition("-")
        start, end = _int_or_none(span[0]), _int_or_none(span[2])
        if start is None or end is None:
            error = "Choose a sentence."
        else:
            try:
                label_services.sentence_label_create(
                    paragraph=paragraph,
                    editor=request.user,
                    start=start,
                    end=end,
                    label=request.POST.get("label", ""),
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                return _sentence_saved(request, paragraph)
    chosen = _int_or_none(
        request.POST.get("sentence", "").partition("-")[0] or request.GET.get("start")
    )
    context = {"paragraph": paragraph, "sentences": sentences, "chosen": chosen, "error": error}
    template = (
        "stance/sentence_label.html#sentence-form" if request.htmx else "stance/sentence_label.html"
    )
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _sentence_choices(paragraph: Paragraph, marks: dict) -> list[dict]:
    """The paragraph's sentences as the picker lists them, with what the model and the
    latest editor said of each."""
    return [
        {
            "value": f"{s.start}-{s.end}",
            "start": s.start,
            "text": paragraph.text[s.start : s.end],
            "model": s.label if s.counted else "structure",
            "marked": marks.get((s.start, s.end)),
        }
        for s in voice.sentences_from_json(paragraph.model_sentences)
        if s.end <= len(paragraph.text)
    ]


def _sentence_saved(request: HttpRequest, paragraph: Paragraph) -> HttpResponse:
    if not request.htmx:
        messages.success(request, "Sentence marked.")
        return redirect(f"{paragraph.article.get_absolute_url()}#p{paragraph.position}")
    actors = {str(actor.pk): actor for actor in paragraph.article.story.actors.all()}
    paragraph.text_html = marked_html(
        paragraph.text,
        quote_views([paragraph], actors)[paragraph.pk],
        can_correct=request.user.has_perm("stance.add_speakercorrection"),
        opinion=opinion_sentences(paragraph, _sentence_marks(paragraph)),
    )
    # The picker says what was marked; the paragraph's text shows the mark (out of band).
    html = render_to_string(
        "newsroom/article_detail.html#paragraph-text", {"paragraph": paragraph}, request
    ).replace(f'<p id="text-{paragraph.pk}"', f'<p id="text-{paragraph.pk}" hx-swap-oob="true"', 1)
    done = '<p class="done small" role="status">Sentence marked.</p>'
    return HttpResponse(done + html)
