from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from newsroom.models import Paragraph, Story
from stance import pipeline, registry
from stance.compare import Filters, compare_story
from stance import services
from stance.forms import LabelForm
from stance.models import Frame, Label
from stance.selectors import with_verdicts


def _get_paragraph(pk: int) -> Paragraph:
    return get_object_or_404(
        with_verdicts(Paragraph.objects.select_related("article__story", "article__outlet")), pk=pk
    )


@require_GET
@vary_on_headers("HX-Request")
def paragraph_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Why the active model labels this paragraph as it does: cues and quoted speech."""
    paragraph = _get_paragraph(pk)
    context = {"paragraph": paragraph, "explanation": None, "segments": [(paragraph.text, False)]}
    if paragraph.is_classifiable:
        try:
            version, model = registry.active_classifier()
        except registry.NoActiveModel:
            version = None
        if version is not None:
            explanation = pipeline.explain(model, paragraph.text)
            strongest = max((abs(c.weight) for c in explanation.cues), default=1.0) or 1.0
            context.update(
                version=version,
                explanation=explanation,
                cues=[(cue, round(100 * abs(cue.weight) / strongest)) for cue in explanation.cues],
                segments=split_spans(paragraph.text, explanation.quoted_spans),
            )
    template = "stance/paragraph.html#explanation" if request.htmx else "stance/paragraph.html"
    return render(request, template, context)


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def paragraph_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an editor's label (news / opinion) or confirmation of the model's."""
    paragraph = get_object_or_404(Paragraph, pk=pk)
    form = LabelForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.label_create(
                paragraph=paragraph,
                editor=request.user,
                label=form.cleaned_data["label"],
                note=form.cleaned_data["note"],
                action=form.cleaned_data["action"],
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = "Choose news or opinion."
    return _verdict_response(request, pk, error)


@require_POST
@permission_required("stance.add_label", raise_exception=True)
def label_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a label: an editor undoes their own, an admin anyone's."""
    label = get_object_or_404(Label, pk=pk)
    if label.editor_id != request.user.pk and not request.user.has_perm("stance.change_label"):
        raise PermissionDenied("You can only undo your own labels.")
    error = ""
    try:
        services.label_undo(label=label, editor=request.user)
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
    return trigger_client_event(response, "labelled", {"paragraph": pk})


def split_spans(text: str, spans) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_inside_a_span) segments, in order."""
    segments, at = [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            segments.append((text[at:start], False))
        segments.append((text[start:end], True))
        at = end
    if at < len(text):
        segments.append((text[at:], False))
    return segments


@require_GET
@vary_on_headers("HX-Request")
def story_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Pieces of a story side by side; the URL holds the chosen pieces and filters."""
    story = get_object_or_404(Story, slug=slug)
    articles = list(story.articles.select_related("outlet").order_by("published", "created"))
    chosen = _int_list(request.GET.getlist("pieces")) or [a.pk for a in articles[:MAX_PIECES]]
    chosen = chosen[:MAX_PIECES]
    actor = _int_or_none(request.GET.get("actor"))
    filters = Filters(
        only_opinion=request.GET.get("only") == "opinion",
        actor=actor,
        frame=request.GET.get("frame", ""),
    )
    pieces = compare_story(story, chosen, filters)
    context = {
        "story": story,
        "articles": articles,
        "chosen": [piece.article.pk for piece in pieces],
        "pieces": pieces,
        "filters": filters,
        "actors": story.actors.all(),
        "frames": Frame.objects.filter(is_active=True),
        "max_pieces": MAX_PIECES,
    }
    template = "stance/compare.html#columns" if request.htmx else "stance/compare.html"
    return render(request, template, context)


MAX_PIECES = 4


def _int_list(values: list[str]) -> list[int]:
    out = []
    for value in values:
        number = _int_or_none(value)
        if number is not None and number not in out:
            out.append(number)
    return out


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
