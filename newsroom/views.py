import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from newsroom import ingest
from newsroom.forms import ActorCurateForm, DocumentMetaForm, UploadForm
from newsroom.models import Actor, Article, Story
from newsroom.services import (
    ArticleDraft,
    DuplicateArticleError,
    article_upload,
    duplicates_in,
    outlet_get_or_create,
    story_get_or_create,
)
from stance import services as stance_services
from stance.models import ModelVersion
from stance.quotes import marked_html, quote_views
from stance.selectors import OpinionShare, opinion_share_by_article, with_verdicts
from stance.tasks import analyse_articles

PASTED = "pasted text"
STAGE_SALT = "newsroom.upload.stage"
STAGE_MAX_AGE = 24 * 3600


@login_not_required
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: the app answers and reaches its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.with_article_counts().prefetch_related("articles__outlet")
    return render(request, "newsroom/story_list.html", {"stories": stories})


@require_safe
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_object_or_404(Story, slug=slug)
    articles = list(story.articles.with_paragraph_counts().select_related("outlet"))
    shares = opinion_share_by_article(a.pk for a in articles)
    for article in articles:
        article.opinion = shares.get(article.pk)
    return render(
        request,
        "newsroom/story_detail.html",
        {
            "story": story,
            "articles": articles,
            "opinion": OpinionShare.total(shares.values()),
            **_actors_context(story),
        },
    )


def _actors_context(story: Story) -> dict:
    actors = list(story.actors.order_by("name"))
    proposed = [a for a in actors if a.status == Actor.Status.PROPOSED]
    return {
        "curated": [a for a in actors if a.status == Actor.Status.CURATED],
        "proposed": sorted(proposed, key=lambda a: (-a.quotes, -a.mentions, a.name)),
        "hidden": [a for a in actors if a.status == Actor.Status.HIDDEN],
        "merge_targets": [a for a in actors if a.status != Actor.Status.HIDDEN],
    }


@require_POST
@permission_required("newsroom.change_actor", raise_exception=True)
def actor_curate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept, hide, rename or merge one of the story's actors (proposals, mostly)."""
    story = get_object_or_404(Story, slug=slug)
    actor = get_object_or_404(story.actors, pk=pk)
    form = ActorCurateForm(request.POST)
    error, done = "", ""
    if not form.is_valid():
        error = "Choose what to do with the actor."
    else:
        action = form.cleaned_data["action"]
        try:
            if action == "accept":
                actor = stance_services.actor_accept(actor=actor)
                done = f"{actor.name} is one of the story's actors."
            elif action == "hide":
                actor = stance_services.actor_hide(actor=actor)
                done = f"{actor.name} is hidden: left out of the analysis."
            elif action == "rename":
                old = actor.name
                actor = stance_services.actor_rename(actor=actor, name=form.cleaned_data["name"])
                done = f"{old} is now {actor.name}."
            else:
                into = story.actors.filter(pk=form.cleaned_data["into"] or 0).first()
                if into is None:
                    raise ValidationError("Choose the actor to merge it into.")
                into = stance_services.actor_merge(actor=actor, into=into)
                done = f"{actor.name} merged into {into.name}."
        except ValidationError as exc:
            error = exc.messages[0]
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect(story)
    context = {"story": story, "actors_error": error, "actors_done": done}
    return render(request, "newsroom/story_detail.html#actors", context | _actors_context(story))


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("story", "outlet"), pk=pk)
    stance_services.articles_analyse(articles=[article])  # a no-op when it is fresh
    paragraphs = list(
        with_verdicts(article.paragraphs.select_related("analysis").order_by("position"))
    )
    actors = {str(actor.pk): actor for actor in article.story.actors.all()}
    quotes = quote_views(paragraphs, actors)
    can_correct = request.user.has_perm("stance.add_speakercorrection")
    for paragraph in paragraphs:
        paragraph.text_html = marked_html(
            paragraph.text, quotes[paragraph.pk], can_correct=can_correct
        )
    return render(
        request,
        "newsroom/article_detail.html",
        {
            "article": article,
            "paragraphs": paragraphs,
            "opinion": opinion_share_by_article([article.pk]).get(article.pk),
            "version": ModelVersion.objects.without_artifact().active(ModelVersion.Kind.CLASSIFIER),
        },
    )


# ---------------------------------------------------------------------------
# Upload: preview (ingest, show the split) then save (store all or nothing).
#
# The preview signs the ingested documents into the form, so the save step stores
# exactly what the admin saw without re-sending files, and nothing is written until
# the admin confirms.


@dataclass(frozen=True)
class Problem:
    """Why a batch was refused; `article` links to the stored piece a duplicate repeats."""

    message: str
    article: Article | None = None


@dataclass
class StagedDocument:
    source: str
    document: ingest.Document
    form: DocumentMetaForm


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("newsroom.add_article", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None, request.FILES or None, initial={"story": request.GET.get("story")}
    )
    context: dict = {"form": form, "staged": [], "batch_errors": [], "stage_token": ""}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save" and not form.cleaned_data.get("files"):
            response = _save_staged(request, form, context)
            if response is not None:
                return response
        else:
            _preview(form, context)
    template = "newsroom/upload.html#upload-form" if request.htmx else "newsroom/upload.html"
    status = 400 if request.method == "POST" and _has_errors(context) else 200
    return render(request, template, context, status=status)


def _preview(form: UploadForm, context: dict) -> None:
    """Ingest every file and the pasted text; stage them if all of them are good."""
    sources: list[tuple[str, ingest.Document]] = []
    errors = []
    for upload in form.cleaned_data.get("files") or []:
        name = PurePath(upload.name).name
        if upload.size > ingest.MAX_UPLOAD_BYTES:
            limit = ingest.MAX_UPLOAD_BYTES / 1024 / 1024
            errors.append(
                Problem(
                    f"“{name}”: the file is {upload.size / 1024 / 1024:.1f} MB; "
                    f"the limit is {limit:.0f} MB."
                )
            )
            continue
        try:
            sources.append((name, ingest.ingest_file(upload.read(), name)))
        except ingest.IngestError as error:
            errors.append(Problem(f"“{name}”: {error}"))
    text = form.cleaned_data.get("text", "")
    if text.strip():
        try:
            sources.append((PASTED, ingest.ingest_text(text)))
        except ingest.IngestError as error:
            errors.append(Problem(f"Pasted text: {error}"))
    if not sources and not errors:
        errors.append(Problem("Nothing to upload: choose one or more files or paste some text."))
    if not errors:
        drafts = [ArticleDraft(document=doc, source=name, headline="-") for name, doc in sources]
        errors.extend(_duplicate_problem(error) for error in duplicates_in(drafts))
    if errors:
        context["batch_errors"] = errors
        return
    context["staged"] = [
        StagedDocument(
            name, doc, DocumentMetaForm(prefix=f"doc-{i}", initial=_guess(form, name, doc))
        )
        for i, (name, doc) in enumerate(sources)
    ]
    context["stage_token"] = signing.dumps(
        {"text": _fingerprint(text), "docs": [[name, doc.to_dict()] for name, doc in sources]},
        salt=STAGE_SALT,
        compress=True,
    )


def _save_staged(request: HttpRequest, form: UploadForm, context: dict) -> HttpResponse | None:
    try:
        stage = signing.loads(request.POST.get("stage", ""), salt=STAGE_SALT, max_age=STAGE_MAX_AGE)
    except signing.BadSignature:
        context["batch_errors"] = [
            Problem("The preview has expired or was altered; preview again.")
        ]
        return None
    if stage["text"] != _fingerprint(form.cleaned_data.get("text", "")):
        _preview(form, context)
        messages.warning(request, "The text changed since the preview: check the new split.")
        return None
    staged = [
        StagedDocument(
            name, ingest.Document.from_dict(doc), DocumentMetaForm(request.POST, prefix=f"doc-{i}")
        )
        for i, (name, doc) in enumerate(stage["docs"])
    ]
    context.update(staged=staged, stage_token=request.POST["stage"])
    if not all(item.form.is_valid() for item in staged):
        return None
    try:
        with transaction.atomic():  # a refused batch leaves no new story or outlet behind
            story = form.cleaned_data["story"] or story_get_or_create(
                title=form.cleaned_data["new_story"]
            )
            outlet = form.cleaned_data["outlet"] or outlet_get_or_create(
                name=form.cleaned_data["new_outlet"]
            )
            articles = article_upload(
                story=story,
                outlet=outlet,
                drafts=[_draft(item) for item in staged],
                uploaded_by=request.user,
            )
    except DuplicateArticleError as error:
        context["batch_errors"] = [_duplicate_problem(error)]
        return None
    except ValidationError as error:
        context["batch_errors"] = [Problem(message) for message in error.messages]
        return None
    transaction.on_commit(lambda: analyse_articles.enqueue([a.pk for a in articles]))
    count = len(articles)
    messages.success(request, f"Saved {count} article{'s' if count != 1 else ''} to “{story}”.")
    target = articles[0] if count == 1 else story
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": target.get_absolute_url()})
    return redirect(target)


def _draft(item: StagedDocument) -> ArticleDraft:
    data = item.form.cleaned_data
    return ArticleDraft(
        document=item.document,
        source=item.source,
        headline=data["headline"],
        byline=data["byline"],
        genre=data["genre"],
        published=data["published"],
        source_url=data["source_url"],
    )


def _guess(form: UploadForm, source: str, doc: ingest.Document) -> dict:
    """Initial metadata for a staged document: what the file says, else the batch defaults."""
    headings = [b.text for b in doc.blocks if b.kind == ingest.BlockKind.HEADING]
    if doc.title:
        headline = doc.title
    elif headings:
        headline = headings[0]
    elif source != PASTED:
        headline = PurePath(source).stem.replace("_", " ").replace("-", " ").strip()
    else:
        headline = " ".join(doc.blocks[0].text.split()[:12])
    return {
        "headline": headline[:500],
        "byline": doc.byline,
        "genre": form.cleaned_data["genre"],
        "published": form.cleaned_data["published"],
        "source_url": form.cleaned_data["source_url"],
    }


def _duplicate_problem(error: DuplicateArticleError) -> Problem:
    return Problem(error.messages[0], error.existing)


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def _has_errors(context: dict) -> bool:
    form = context["form"]
    staged_errors = any(item.form.is_bound and item.form.errors for item in context["staged"])
    return bool(form.errors or context["batch_errors"] or staged_errors)
