"""newsroom.wsgi: what gunicorn loads once, in its master, before forking workers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Which of a page's imports and templates the entry point leaves loaded.
CHILD = """
import sys
import newsroom.wsgi
from django.template import engines
loaders = list(engines["django"].engine.template_loaders)
while not hasattr(loaders[0], "get_template_cache"):  # template_partials wraps the cached one
    loaders = loaders[0].loaders
print("stance.views" in sys.modules, "newsroom.views" in sys.modules, "redis" in sys.modules)
print(sorted(name for name in loaders[0].get_template_cache))
"""


def test_the_entry_point_loads_every_view_and_the_busiest_templates_before_any_request():
    # gunicorn's preload_app imports it in the master: each worker forked from it (and each
    # that replaces a recycled one) then serves its first compare page in milliseconds.
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "CACHE_URL": "redis://127.0.0.1:6379/12",  # no connection is made
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "True True True"
    assert "stance/compare.html" in out[1] and "newsroom/article_detail.html" in out[1]
