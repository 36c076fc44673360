"""stance.review_session: the paragraphs an editor skipped, kept in their session."""

from stance import review_session


def test_the_skipped_set_keeps_only_the_latest():
    session = {}
    review_session.skipped_set(session, set(range(review_session.SKIPPED_KEPT + 5)))
    assert review_session.skipped(session) == set(range(5, review_session.SKIPPED_KEPT + 5))


def test_no_skips_until_set_and_an_empty_set_brings_them_all_back():
    session = {}
    assert review_session.skipped(session) == set()
    review_session.skipped_set(session, {3, 1})
    assert review_session.skipped(session) == {1, 3}
    review_session.skipped_set(session, set())
    assert review_session.skipped(session) == set()
