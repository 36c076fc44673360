from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from newsroom.models import Paragraph
from stance import pipeline, registry
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
