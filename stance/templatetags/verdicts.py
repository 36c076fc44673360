from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.simple_tag(takes_context=True)
def verdict(context, paragraph, hide_why=False, error=""):
    """`{% verdict paragraph %}`: the verdict partial of stance/paragraph.html, rendered in
    the page's own context (its request, user, permissions and CSRF token)."""
    partial = context.template.engine.get_template("stance/paragraph.html#verdict")
    with context.push(paragraph=paragraph, hide_why=hide_why, error=error):
        return partial.render(context)


@register.filter
def ago(moment) -> str:
    """`{{ job.finished|ago }}`: "just now", "5 minutes ago" (put the exact time in a title)."""
    if not moment:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return f"{timesince(moment).split(', ')[0]} ago"
