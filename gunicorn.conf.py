"""gunicorn settings for production (`gunicorn newsroom.wsgi`), overridable from the
environment. Read by gunicorn from the working directory; see README "Production".
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Pages are CPU-bound Python, so one process per core plus one to cover I/O waits.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Threads keep connections alive between a client's requests and overlap database waits.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))
# A compare view is well under a second; anything near this limit is a bug to look at.
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks (or a model cache of old versions) cannot grow.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Load the app (Django, scikit-learn) once before forking: faster start, shared memory.
preload_app = True
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"


def when_ready(server):
    """The app is loaded (preload_app): warn, as `manage.py check` does (newsroom.W001),
    when X-Forwarded-For is trusted but this bind lets clients bypass the proxy."""
    from django.conf import settings

    from newsroom.security import PROXY_HINT, PROXY_WARNING, bind_is_private

    bind = ",".join(server.cfg.bind)
    if settings.TRUSTED_PROXY_HOPS > 0 and not bind_is_private(bind):
        hops = settings.TRUSTED_PROXY_HOPS
        server.log.warning("%s %s", PROXY_WARNING.format(hops=hops, bind=bind), PROXY_HINT)
