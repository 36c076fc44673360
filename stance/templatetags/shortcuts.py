"""The keyboard shortcuts of each page: one list, shown in the `?` panel and the help text.

static/js/keys.js implements them; tests/browser/test_desk_journey.py presses them.
"""

from django import template

register = template.Library()

_LABEL = [
    ("n", "Label the paragraph news"),
    ("o", "Label the paragraph opinion"),
    ("c", "Confirm the model's label"),
    ("u", "Undo what you labelled here"),
    ("w", "Why? (the cues behind the label)"),
    ("i", "History: the paragraph's labels and notes"),
]
_GENERAL = [
    ("?", "Show or hide this panel"),
    ("Esc", "Leave a field (e.g. the note), or close this panel"),
]

SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    "article": [
        ("j", "Next paragraph"),
        ("k", "Previous paragraph"),
        *_LABEL,
        ("s", "Mark one sentence (news or opinion; arrows choose it, Tab reaches the buttons)"),
        *_GENERAL,
    ],
    "compare": [
        ("j", "Next paragraph, in reading order across the pieces"),
        ("k", "Previous paragraph, in reading order across the pieces"),
        ("l", "Next piece (the matching paragraph if there is one)"),
        ("h", "Previous piece (the matching paragraph if there is one)"),
        *_LABEL,
        *_GENERAL,
    ],
    "review": [
        ("n", "News"),
        ("o", "Opinion"),
        ("c", "Confirm the model's label"),
        ("s", "Skip"),
        ("u", "Undo your last label"),
        ("j", "Next in the queue"),
        ("k", "Previous in the queue"),
        ("w", "Why? (the cues behind the model's label)"),
        *_GENERAL,
    ],
}


def _short(what: str) -> str:
    """The help line's words for a key: its description up to the first comma or bracket."""
    for stop in (",", " (", ":"):
        what = what.split(stop)[0]
    return what.removeprefix("Label the paragraph ").lower()


@register.inclusion_tag("_shortcuts.html")
def shortcuts(page: str, inline: bool = False) -> dict:
    """`{% shortcuts "compare" %}` (the panel's list) or `{% shortcuts "compare" inline=True %}`
    (a help line)."""
    keys = SHORTCUTS[page]
    if inline:
        keys = [(key, "all shortcuts" if key == "?" else _short(what)) for key, what in keys]
    return {"keys": keys, "inline": inline}
