from django import template
from django.middleware.csrf import get_token

from stance.verdicts import Viewer, ago, verdict_html

register = template.Library()


def viewer_of(request) -> Viewer:
    return Viewer(
        username=request.user.get_username(),
        can_label=request.user.has_perm("stance.add_label"),
        csrf_token=get_token(request),
        path=request.get_full_path(),
    )


@register.simple_tag(takes_context=True)
def verdict(context, paragraph, hide_why=False, error=""):
    """`{% verdict paragraph %}`: the block stance.verdicts.verdict_html() builds."""
    return verdict_html(paragraph, viewer_of(context["request"]), hide_why=hide_why, error=error)


@register.filter(name="ago")
def ago_filter(moment) -> str:
    """`{{ job.finished|ago }}`: "just now", "5 minutes ago" (exact time in a title)."""
    return ago(moment) if moment else ""
