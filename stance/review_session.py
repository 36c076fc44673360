"""The paragraphs an editor skipped in the review queue, kept in their session."""

from django.contrib.sessions.backends.base import SessionBase

SKIPPED_KEY = "review_skipped"
SKIPPED_KEPT = 1000  # the most recent skips kept, so the session stays small


def skipped(session: SessionBase) -> set[int]:
    """The paragraph ids this editor skipped."""
    return set(session.get(SKIPPED_KEY, []))


def skipped_set(session: SessionBase, paragraph_ids: set[int]) -> None:
    """Replace the skipped paragraphs (an empty set brings them all back)."""
    session[SKIPPED_KEY] = sorted(paragraph_ids)[-SKIPPED_KEPT:]
