"""A paragraph's verdict block: its label, who gave it, and the correction buttons.

Built in Python rather than a template because a comparison shows one per paragraph,
and the compare view fills them into cached columns on every label. The paragraph
needs `stance.selectors.with_verdicts()`'s annotations. One function serves every page
(article, compare, paragraph, the label POST's htmx swap) through the `verdict` tag.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.timezone import localtime

from newsroom.models import Paragraph


@dataclass(frozen=True)
class Viewer:
    """What the verdict block needs to know about who is looking, and from where."""

    username: str
    can_label: bool
    csrf_token: str
    path: str  # the page's path and query, for the no-JavaScript redirect back


def verdict_html(
    paragraph: Paragraph, viewer: Viewer, *, hide_why: bool = False, error: str = ""
) -> SafeString:
    pk = paragraph.pk
    effective = paragraph.effective_label
    line = []
    if effective:
        line.append(
            format_html(
                '<span class="label-chip label-{}">{}</span>', effective, effective.capitalize()
            )
        )
    if paragraph.p_opinion is not None:
        line.append(
            format_html(
                '<span class="prob" title="The model\'s probability that this paragraph is '
                'opinion">p(opinion) {}</span>',
                f"{paragraph.p_opinion:.2f}",
            )
        )
    if paragraph.label_id:
        verb = "confirmed" if paragraph.label_action == "confirm" else "labelled"
        created = paragraph.label_created
        line.append(
            format_html(
                '<span class="by">{} by {}, <time datetime="{}">{} ago</time></span>',
                verb,
                paragraph.label_editor,
                localtime(created).isoformat(),
                timesince(created),
            )
        )
        if paragraph.model_label and paragraph.model_label != paragraph.editor_label:
            line.append(
                format_html(
                    '<span class="disagree" title="The active model says {}">'
                    "model disagreed: {}</span>",
                    paragraph.model_label,
                    paragraph.model_label,
                )
            )
    elif effective:
        line.append(mark_safe('<span class="muted">model\'s label · not reviewed</span>'))
    else:
        line.append(mark_safe('<span class="muted">not classified</span>'))
    if effective and not hide_why:
        explain = reverse("paragraph-explain", args=[pk])
        line.append(
            format_html(
                '<a class="why" href="{}" hx-get="{}" hx-target="#why-{}" hx-swap="innerHTML" '
                'hx-push-url="false" aria-controls="why-{}">Why?</a>',
                explain,
                explain,
                pk,
                pk,
            )
        )
    actions = _label_actions(paragraph, viewer) if viewer.can_label else ""
    problem = format_html('<p class="error" role="alert">{}</p>', error) if error else ""
    return format_html(
        '<div class="verdict" id="verdict-{}" data-paragraph="{}">'
        '<div class="verdict-line">{}</div>{}{}</div>',
        pk,
        pk,
        mark_safe(" ".join(line)),
        actions,
        problem,
    )


def _label_actions(paragraph: Paragraph, viewer: Viewer) -> SafeString:
    pk = paragraph.pk
    back = f"{viewer.path}#p{paragraph.position}"
    hidden = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">',
        viewer.csrf_token,
        back,
    )
    buttons = [
        _button("news", "n", "Label as news (n)", "News", paragraph.editor_label == "news"),
        _button(
            "opinion", "o", "Label as opinion (o)", "Opinion", paragraph.editor_label == "opinion"
        ),
    ]
    if paragraph.model_label and not paragraph.label_id:
        buttons.append(_button("confirm", "c", "The model is right (c)", "Confirm", False))
    label_url = reverse("paragraph-label", args=[pk])
    forms = [
        format_html(
            '<form method="post" action="{}" hx-post="{}" hx-target="#verdict-{}" '
            'hx-swap="outerHTML">{}{}<input type="text" name="note" maxlength="2000" '
            'placeholder="note (optional)" aria-label="Note for this label"></form>',
            label_url,
            label_url,
            pk,
            hidden,
            format_html_join("", "{}", ((b,) for b in buttons)),
        )
    ]
    if paragraph.label_id and paragraph.label_editor == viewer.username:
        undo_url = reverse("label-undo", args=[paragraph.label_id])
        forms.append(
            format_html(
                '<form method="post" action="{}" hx-post="{}" hx-target="#verdict-{}" '
                'hx-swap="outerHTML">{}<button type="submit" class="link-like" data-key="u" '
                'title="Undo your label (u)">Undo</button></form>',
                undo_url,
                undo_url,
                pk,
                hidden,
            )
        )
    return format_html('<div class="label-actions">{}</div>', mark_safe("".join(forms)))


def _button(value: str, key: str, title: str, text: str, pressed: bool) -> SafeString:
    return format_html(
        '<button type="submit" name="label" value="{}" data-key="{}" title="{}"{}>{}</button>',
        value,
        key,
        title,
        mark_safe(' aria-pressed="true"') if pressed else "",
        text,
    )
