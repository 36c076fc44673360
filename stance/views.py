from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.models import Paragraph, Story
from stance import pipeline, registry
from stance.compare import Filters, compare_story
from stance.models import Frame
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
