import uuid
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from newsroom.forms import ActorCurateForm, DocumentMetaForm, UploadForm
from newsroom.models import Actor, Article, Outlet, Paragraph, Story
from newsroom.services import (
    ArticleDraft,
    DuplicateArticleError,
    Problem,
    SourceFile,
    StagedBatch,
    UploadRefused,
    UploadTextChanged,
    article_upload_preview,
    article_upload_save,
    upload_stage,
    upload_staged,
)
from stance import caching
from stance.compare import article_fingerprint, piece_label_states
from stance.models import ModelVersion
from stance.quotes import marked_html, opinion_sentences, quote_views
from stance.selectors import (
    OpinionShare,
    analysis_fresh,
    opinion_share_by_article,
    sentence_labels_by_paragraph,
    with_verdicts,
)
from stance.services import actors as actor_services
from stance.tasks import analyse_articles, articles_analysis_request


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
                actor = actor_services.actor_accept(actor=actor)
                done = f"{actor.name} is one of the story's actors."
            elif action == "hide":
                actor = actor_services.actor_hide(actor=actor)
                done = f"{actor.name} is hidden: left out of the analysis."
            elif action == "rename":
                old = actor.name
                actor = actor_services.actor_rename(actor=actor, name=form.cleaned_data["name"])
                done = f"{old} is now {actor.name}."
            else:
                into = story.actors.filter(pk=form.cleaned_data["into"] or 0).first()
                if into is None:
                    raise ValidationError("Choose the actor to merge it into.")
                into = actor_services.actor_merge(actor=actor, into=into)
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


# A long article is shown this many paragraphs at a time: "Show paragraphs …" loads the
# next ones in place (htmx), or opens the next page without JavaScript.
ARTICLE_PAGE_PARAGRAPHS = 200


@dataclass(frozen=True)
class ParagraphPage:
    number: int
    size: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    @property
    def has_next(self) -> bool:
        return self.last < self.total

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_first(self) -> int:
        return self.last + 1

    @property
    def next_last(self) -> int:
        return min(self.total, self.last + self.size)

    @property
    def previous_first(self) -> int:
        return self.first - self.size

    @property
    def previous_last(self) -> int:
        return self.first - 1


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The article a page of paragraphs at a time. Nothing is analysed here: paragraphs
    whose analysis is missing or stale show "analysis pending", their analysis is queued
    (once, however many people look) and the page polls article_analysis until it is done.

    The paragraphs are rendered into the cache, keyed by the article's own fingerprint
    (its text, analyses, predictions, speaker corrections, the story's actors and frames,
    the active versions), its labels, the viewer and the URL, without a CSRF token (their htmx forms
    send the one in <body hx-headers>; without JavaScript a paragraph's own page labels),
    and one request renders a new state while the others show the latest rendering."""
    article = get_object_or_404(Article.objects.select_related("story", "outlet"), pk=pk)
    content = article_fingerprint(article)
    labels = piece_label_states([article.pk])[article.pk]
    items = request.htmx and "page" in request.GET  # the next paragraphs, loaded in place
    viewer = [request.user.pk, request.get_full_path(), bool(request.htmx), bool(items)]
    key = "article-items:" + caching.digest([content, labels, *viewer])

    def rendered() -> tuple[tuple[str, dict], int]:
        context = _article_context(request, article)
        html = render_to_string("newsroom/article_detail.html#items", context, request)
        # and the header's figures, which the same fingerprints cover
        header = {
            "page": context["page"],
            "pending": context["pending"],
            "opinion": opinion_share_by_article([article.pk]).get(article.pk),
            "version": ModelVersion.objects.without_artifact().active(ModelVersion.Kind.CLASSIFIER),
        }
        return (html, header), 60

    (html, context), current = _ARTICLE_ITEMS(
        key, "article-latest:" + caching.digest(viewer), rendered, latest_ok=not request.htmx
    )
    if items:
        return HttpResponse(html)
    return render(
        request,
        "newsroom/article_detail.html",
        context | {"article": article, "items_html": html, "updating": not current},
    )


# One render of an article page's new state in all processes; the others show its latest.
_ARTICLE_ITEMS = caching.RenderedOnce()


def _article_context(request: HttpRequest, article: Article) -> dict:
    """The page of paragraphs the request asks for, with their verdicts and marks."""
    signature = articles_analysis_request([article]).get(article.pk, "")
    total = article.paragraphs.count()
    size = ARTICLE_PAGE_PARAGRAPHS
    number = min(_page_number(request.GET.get("page")), max(1, -(-total // size)))
    page = ParagraphPage(number=number, size=size, total=total)
    paragraphs = _paragraphs_shown(request, article, page.first - 1, page.last, signature)
    context = {"article": article, "paragraphs": paragraphs, "page": page, "pending": signature}
    return context | {"cached": True}  # no CSRF token in the verdicts' forms


def _paragraphs_shown(
    request: HttpRequest, article: Article, start: int, stop: int, pending: str = ""
) -> list:
    """Paragraphs start..stop (0-based, by position) with their verdicts and marked text.
    While the article's analysis is `pending` (the signature it will have), those without
    it have `analysis_pending` set and no quote marks yet (opinion sentences come from the
    prediction and are marked)."""
    # The page's ids first: an OFFSET over with_verdicts() would run its subqueries for
    # every paragraph before the page too.
    shown = article.paragraphs.order_by("position").values_list("pk", flat=True)[start:stop]
    paragraphs = list(
        with_verdicts(
            Paragraph.objects.filter(pk__in=list(shown))
            .select_related("analysis")
            .order_by("position")
        )
    )
    actors = {str(actor.pk): actor for actor in article.story.actors.all()}
    quotes = quote_views(paragraphs, actors)
    marks = sentence_labels_by_paragraph(p.pk for p in paragraphs)
    can_correct = request.user.has_perm("stance.add_speakercorrection")
    for paragraph in paragraphs:
        paragraph.analysis_pending = bool(pending) and not analysis_fresh(paragraph, pending)
        paragraph.text_html = marked_html(
            paragraph.text,
            [] if paragraph.analysis_pending else quotes[paragraph.pk],
            can_correct=can_correct,
            opinion=opinion_sentences(paragraph, marks.get(paragraph.pk)),
        )
    return paragraphs


# Pages of paragraphs an "analysis done" answer marks again at most (a reader who loaded
# more than this many reloads the page to see the rest marked).
ANALYSIS_DONE_PAGES = 10


@require_safe
def article_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    """The article page's "analysis pending" status, polled while it shows: still pending
    (and queued again if the queued task was lost), or done, with the paragraphs of the
    pages the reader has open (`page`, one per page loaded) marked again in place, their
    verdicts and the article's opinion share with them."""
    article = get_object_or_404(Article.objects.select_related("story"), pk=pk)
    if article.pk in articles_analysis_request([article]):
        context = {"article": article, "pending": True}
        return render(request, "newsroom/article_detail.html#analysis-status", context)
    numbers = sorted({_page_number(n) for n in request.GET.getlist("page")})[:ANALYSIS_DONE_PAGES]
    size = ARTICLE_PAGE_PARAGRAPHS
    paragraphs = [
        paragraph
        for number in numbers
        for paragraph in _paragraphs_shown(request, article, (number - 1) * size, number * size)
    ]
    context = {
        "article": article,
        "pending": False,
        "done": True,
        "paragraphs": paragraphs,
        "opinion": opinion_share_by_article([article.pk]).get(article.pk),
    }
    return render(request, "newsroom/_analysis_done.html", context)


# ---------------------------------------------------------------------------
# Upload: preview (ingest, show the split) then save (store all or nothing). The workflow
# is newsroom.services' (article_upload_preview, upload_stage, article_upload_save); the
# previewed batch waits on the server, and the page carries only its id.

INLINE_BLOCKS = 200


@dataclass
class StagedItem:
    """A staged document as the preview shows it: its draft and its metadata form."""

    position: int
    draft: ArticleDraft
    form: DocumentMetaForm

    @property
    def outline(self) -> list:
        return self.draft.document.outline()

    @property
    def rows(self) -> list[dict]:
        """Every block with its position, why ingest dropped it, and whether it is dropped:
        as ingest proposed, or as the admin chose when the form comes back with errors."""
        chosen = None
        if self.form.is_bound and self.form.data.get(f"{self.form.prefix}-choices_shown"):
            chosen = set(self.form.data.getlist(f"{self.form.prefix}-drop"))
        return [
            {
                "position": position,
                "block": block,
                "reason": reason,
                "dropped": str(position) in chosen if chosen is not None else bool(reason),
            }
            for position, (block, reason) in enumerate(self.outline)
        ]

    @property
    def reasons(self) -> list[str]:
        """What ingest dropped, counted by reason: "2 newsletter prompts"."""
        counts = Counter(item.reason for item in self.draft.document.dropped)
        return [f"{count} × {reason}" for reason, count in counts.most_common()]

    @property
    def inline(self) -> bool:
        """Small documents show their blocks at once; long ones load them when opened,
        unless the admin's choices come back with an error and must be shown as made."""
        chosen = self.form.is_bound and self.form.data.get(f"{self.form.prefix}-choices_shown")
        return _positions(self.draft) <= INLINE_BLOCKS or bool(chosen)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("newsroom.add_article", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None, request.FILES or None, initial={"story": request.GET.get("story")}
    )
    context: dict = {"form": form, "staged": [], "problems": [], "stage_id": "", "outlets": []}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "save" and not form.cleaned_data.get("files"):
            response = _save(request, form, context)
            if response is not None:
                return response
        else:
            _preview(request, form, context)
    if context["staged"]:
        context["outlets"] = Outlet.objects.values_list("name", flat=True)
    template = "newsroom/upload.html#upload-form" if request.htmx else "newsroom/upload.html"
    status = 400 if request.method == "POST" and _has_errors(context) else 200
    return render(request, template, context, status=status)


def _preview(request: HttpRequest, form: UploadForm, context: dict) -> None:
    text = form.cleaned_data.get("text", "")
    files = [
        SourceFile(upload.name, upload.read()) for upload in form.cleaned_data.get("files") or []
    ]
    try:
        drafts = article_upload_preview(files=files, text=text, defaults=form.defaults())
    except UploadRefused as refused:
        context["problems"] = refused.problems
        return
    batch = upload_stage(user=request.user, drafts=drafts, text=text)
    context["stage_id"] = batch.id
    context["staged"] = [
        StagedItem(
            i,
            draft,
            DocumentMetaForm(
                prefix=f"doc-{i}",
                initial=DocumentMetaForm.initial_for(draft),
                positions=_positions(draft),
            ),
        )
        for i, draft in enumerate(drafts)
    ]


def _save(request: HttpRequest, form: UploadForm, context: dict) -> HttpResponse | None:
    def revisions(batch: StagedBatch) -> list[dict] | None:
        context["stage_id"] = batch.id
        context["staged"] = [
            StagedItem(
                i,
                draft,
                DocumentMetaForm(request.POST, prefix=f"doc-{i}", positions=_positions(draft)),
            )
            for i, draft in enumerate(batch.drafts)
        ]
        forms = [item.form for item in context["staged"]]
        return [f.revision() for f in forms] if all(f.is_valid() for f in forms) else None

    try:
        articles = article_upload_save(
            stage_id=request.POST.get("stage", ""),
            user=request.user,
            text=form.cleaned_data.get("text", ""),
            revisions=revisions,
            story=form.cleaned_data["story"],
            story_title=form.cleaned_data["new_story"],
        )
    except UploadTextChanged as changed:
        _preview(request, form, context)
        messages.warning(request, changed.messages[0])
        return None
    except DuplicateArticleError as error:
        context["problems"] = [Problem(error.messages[0], error.existing)]
        return None
    except ValidationError as error:
        context["problems"] = [Problem(message) for message in error.messages]
        return None
    if articles is None:
        return None
    transaction.on_commit(lambda: analyse_articles.enqueue([a.pk for a in articles]))
    count = len(articles)
    story = articles[0].story
    messages.success(request, f"Saved {count} article{'s' if count != 1 else ''} to “{story}”.")
    target = articles[0] if count == 1 else story
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": target.get_absolute_url()})
    return redirect(target)


@require_safe
@permission_required("newsroom.add_article", raise_exception=True)
def upload_blocks(request: HttpRequest, stage: uuid.UUID, position: int) -> HttpResponse:
    """A staged document's blocks with their keep/drop boxes, loaded when its split is
    opened in the preview (long documents only)."""
    try:
        draft = upload_staged(stage_id=stage, user=request.user).drafts[position]
    except (ValidationError, IndexError):
        raise Http404("No such staged document.") from None
    item = StagedItem(position, draft, DocumentMetaForm(prefix=f"doc-{position}"))
    return render(request, "newsroom/upload.html#blocks", {"item": item})


def _positions(draft: ArticleDraft) -> int:
    return len(draft.document.blocks) + len(draft.document.dropped)


def _has_errors(context: dict) -> bool:
    form = context["form"]
    staged_errors = any(item.form.is_bound and item.form.errors for item in context["staged"])
    return bool(form.errors or context["problems"] or staged_errors)
