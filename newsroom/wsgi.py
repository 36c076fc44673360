"""WSGI entry point: `gunicorn newsroom.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()


def warm() -> None:
    """Import every view (the URLconf), the cache's client library and the busiest pages'
    templates now. Under gunicorn's preload_app this runs once, in the master, so every
    worker forked from it, the ones replacing workers recycled after max_requests too,
    serves its first requests at once: a fresh process spent 850 ms of CPU on its first
    compare page (importing the views, ingest and redis; its third took 9 ms), while its
    threads' connections waited. Nothing here opens a connection to share across forks."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        import redis  # noqa: F401
    for page in WARM_TEMPLATES:
        get_template(page)


WARM_TEMPLATES = ["stance/compare.html", "newsroom/article_detail.html"]

warm()
