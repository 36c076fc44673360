"""The in-process page benches' set-up (bench/compare.py, bench/article_page.py): Django on
a throwaway SQLite database with the seed story, and a test client signed in as an editor.

Import this module before anything from Django: it points DATABASE_URL at the throwaway
database and sets Django up.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="stance-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["TASKS_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def seeded_editor_client() -> Client:
    """Migrate, load the seed story and sign in a new editor (DEBUG off); the client's
    `user` is that editor."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    user = get_user_model().objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    client.user = user
    return client
