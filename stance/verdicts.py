"""A paragraph's verdict block: its label, who gave it, and the correction buttons.

Built in Python rather than a template because a comparison shows one per paragraph,
and the compare view fills them into cached columns after every label: plain string
building with explicit escaping costs a few microseconds where a template partial cost
a millisecond. The paragraph needs `stance.selectors.with_verdicts()`'s annotations.
One function serves every page (article, compare, paragraph, the label POST's htmx
swap) through the `{% verdict %}` tag.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils import timezone
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


@lru_cache(maxsize=8)
def _url_parts(name: str) -> tuple[str, str]:
    """A URL reversed once with a stand-in id, split around it (reverse() is slow)."""
    head, _, tail = reverse(name, args=[987654321]).partition("987654321")
    return head, tail


def _url(name: str, pk: int) -> str:
    head, tail = _url_parts(name)
    return f"{head}{pk}{tail}"


def verdict_html(
    paragraph: Paragraph, viewer: Viewer, *, hide_why: bool = False, error: str = ""
) -> SafeString:
    pk = paragraph.pk
    effective = paragraph.effective_label
    line = []
    if effective:
        label = escape(effective)
        line.append(f'<span class="label-chip label-{label}">{label.capitalize()}</span>')
    if paragraph.p_opinion is not None:
        line.append(
            '<span class="prob" title="The model\'s probability that this paragraph is '
            f'opinion">p(opinion) {paragraph.p_opinion:.2f}</span>'
        )
    if paragraph.label_id:
        verb = {"confirm": "confirmed", "adjudicate": "settled"}.get(
            paragraph.label_action, "labelled"
        )
        created = paragraph.label_created
        line.append(
            f'<span class="by">{verb} by {escape(paragraph.label_editor)}, '
            f'<time datetime="{localtime(created).isoformat()}" '
            f'title="{localtime(created):%-d %B %Y, %H:%M}">{ago(created)}</time></span>'
        )
        if paragraph.model_label and paragraph.model_label != paragraph.editor_label:
            model = escape(paragraph.model_label)
            line.append(
                f'<span class="disagree" title="The active model says {model}">'
                f"model disagreed: {model}</span>"
            )
    elif effective:
        line.append('<span class="muted">model\'s label · not reviewed</span>')
    else:
        line.append('<span class="muted">not classified</span>')
    if effective and not hide_why:
        explain = _url("paragraph-explain", pk)
        line.append(
            f'<a class="why" href="{explain}" hx-get="{explain}" hx-target="#why-{pk}" '
            f'hx-swap="innerHTML" hx-push-url="false" aria-controls="why-{pk}" data-key="w" '
            'title="Why? (w)">Why?</a>'
        )
    if paragraph.label_id:  # its labels, notes and authors, loaded when opened
        history = _url("paragraph-history", pk)
        line.append(
            f'<details class="history"><summary hx-get="{history}" hx-trigger="click once" '
            f'hx-target="next .history-body" data-key="i" title="History (i)">History</summary>'
            '<div class="history-body" aria-live="polite"></div></details>'
        )
    actions = _label_actions(paragraph, viewer) if viewer.can_label else ""
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return mark_safe(
        f'<div class="verdict" id="verdict-{pk}" data-paragraph="{pk}" '
        f'data-label="{escape(effective or "")}">'
        f'<div class="verdict-line">{" ".join(line)}</div>{actions}{problem}</div>'
    )


def ago(moment) -> str:
    """ "just now", "5 minutes ago", "2 days ago"; the exact time is in the title."""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment).split(', ')[0]} ago"


def _label_actions(paragraph: Paragraph, viewer: Viewer) -> str:
    pk = paragraph.pk
    hidden = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}">'
        f'<input type="hidden" name="next" value="{escape(viewer.path)}#p{paragraph.position}">'
    )
    pressed = paragraph.editor_label
    buttons = _button("news", "n", "Label as news (n)", "News", pressed == "news")
    buttons += _button("opinion", "o", "Label as opinion (o)", "Opinion", pressed == "opinion")
    if paragraph.model_label and not paragraph.label_id:
        buttons += _button("confirm", "c", "The model is right (c)", "Confirm", False)
    label_url = _url("paragraph-label", pk)
    forms = (
        f'<form method="post" action="{label_url}" hx-post="{label_url}" '
        f'hx-target="#verdict-{pk}" hx-swap="outerHTML">{hidden}{buttons}'
        '<input type="text" name="note" maxlength="2000" placeholder="note (optional)" '
        'aria-label="Note for this label"></form>'
    )
    if paragraph.label_id and paragraph.label_editor == viewer.username:
        undo_url = _url("label-undo", paragraph.label_id)
        forms += (
            f'<form method="post" action="{undo_url}" hx-post="{undo_url}" '
            f'hx-target="#verdict-{pk}" hx-swap="outerHTML">{hidden}'
            '<button type="submit" class="link-like" data-key="u" title="Undo your label (u)">'
            "Undo</button></form>"
        )
    return f'<div class="label-actions">{forms}</div>'


def _button(value: str, key: str, title: str, text: str, pressed: bool) -> str:
    aria = ' aria-pressed="true"' if pressed else ""
    return (
        f'<button type="submit" name="label" value="{value}" data-key="{key}" '
        f'title="{title}"{aria}>{text}</button>'
    )
