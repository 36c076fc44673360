"""Words, counted one way across the app (pure: no Django).

A word is a run of letters, digits and apostrophes, so a dash or a bullet is not one, and a
hyphenated word or a number with separators counts once per part ("well-known" is two).
Article and paragraph word counts use it, and so does stance.voice for the words of each
sentence, which opinion shares divide: the figures a page shows add up.
"""

import re

WORD_RE = re.compile(r"[\w\u2019']+")


def word_count(text: str) -> int:
    """How many words ``text`` holds."""
    return len(WORD_RE.findall(text))
