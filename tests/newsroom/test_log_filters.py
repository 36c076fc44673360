"""newsroom.log_filters: a refused request (4xx) is logged as one line, a server error (5xx)
keeps its traceback, and no record is ever dropped."""

import logging
import sys

import pytest

from newsroom.log_filters import NoTracebackForClientErrors


def record(status_code: int | None) -> logging.LogRecord:
    """A django.request record with the exception attached, as Django logs a response."""
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    rec = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /x/", None, exc_info
    )
    rec.exc_text = "Traceback (most recent call last): ..."
    if status_code is not None:
        rec.status_code = status_code
    return rec


@pytest.mark.parametrize("status", [400, 403, 404, 405, 499])
def test_a_client_error_loses_its_traceback_but_is_still_logged(status):
    rec = record(status)
    assert NoTracebackForClientErrors().filter(rec) is True
    assert rec.exc_info is None and rec.exc_text is None
    assert rec.getMessage() == "Not Found: /x/"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_keeps_its_traceback(status):
    rec = record(status)
    assert NoTracebackForClientErrors().filter(rec) is True
    assert rec.exc_info is not None and rec.exc_info[0] is ValueError
    assert rec.exc_text is not None


def test_a_record_without_a_status_code_keeps_its_traceback():
    rec = record(None)
    assert NoTracebackForClientErrors().filter(rec) is True
    assert rec.exc_info is not None


def test_a_formatted_client_error_is_one_line():
    rec = record(404)
    NoTracebackForClientErrors().filter(rec)
    assert logging.Formatter().format(rec) == "Not Found: /x/"
