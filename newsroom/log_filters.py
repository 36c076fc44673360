"""Logging filters the settings' LOGGING uses."""

import logging


class NoTracebackForClientErrors(logging.Filter):
    """Keep the one-line warning for a refused request (403, 404...), drop its traceback.

    django.request logs every PermissionDenied and Http404 with the exception attached,
    so each refused permission filled the log with a traceback that says nothing new.
    Server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
