"""Fuzz the upload page with random and hostile files, and print what happened.

    .venv/bin/python bench/fuzz_upload.py [--cases N] [--seed S] [--show K]

Runs the app in-process on a throwaway SQLite database (a temporary directory, migrated from
scratch; the app's own database is never touched), with DEBUG off as in production. An admin
in the Admins group signs in through the sign-in page, then every case is posted to /upload/
as a browser posts it: multipart form with the CSRF token, preview, then save with the
signed stage token the preview returned. The generators and the checks live in
tests/newsroom/upload_fuzz.py, shared with tests/newsroom/test_upload_fuzz.py.

Prints a table per category (cases, files, accepted, refused, 5xx, cases with problems), the
count of every kind of problem (each must be 0), the slowest case and the elapsed time, then
the first K failing cases. Exits 1 when any problem was found. The same seed gives the same
cases.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _configure(workdir: Path) -> None:
    """Environment for newsroom.settings: a throwaway database, production-like security."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # As deployed: a save enqueues classification and analysis for the worker, which is not run
    # here (analysing a 2 MB paragraph takes minutes; that is the worker's load, not the page's).
    os.environ["TASKS_BACKEND"] = "database"
    # The test client speaks plain HTTP; everything else about DEBUG=0 stays as deployed.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "0"
    sys.path.insert(0, str(ROOT))


def _sign_in(client, username: str, password: str) -> None:
    import re

    from django.urls import reverse

    page = client.get(reverse("login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("login"),
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    if response.status_code != 302:
        raise SystemExit(f"could not sign in (HTTP {response.status_code})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000, help="number of cases (2000)")
    parser.add_argument("--seed", type=int, default=6, help="random seed (6)")
    parser.add_argument("--show", type=int, default=10, help="failing cases to print (10)")
    parser.add_argument("--verbose", action="store_true", help="print every case as it ends")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="fuzz-upload-"))
    _configure(workdir)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client, override_settings

    # Collected static files (the manifest) are a deployment step; serve them plainly here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    # Every 4xx, and Django's refusal of a request with too many files, is expected here.
    for name in ("django.request", "django.security", "django_tasks"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    from newsroom import roles
    from newsroom.models import Outlet
    from newsroom.services import story_get_or_create
    from tests.newsroom.upload_fuzz import Summary, UploadFuzzer, generate_cases

    call_command("migrate", verbosity=0, interactive=False)
    password = secrets.token_urlsafe(16)
    admin = get_user_model().objects.create_user("fuzz-admin", password=password, is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.ADMINS))
    story = story_get_or_create(title="Harbour wharf closure")
    outlet = Outlet.objects.create(name="The Harbour Herald")

    client = Client(enforce_csrf_checks=True)
    _sign_in(client, "fuzz-admin", password)
    fuzzer = UploadFuzzer(client, story, outlet)
    summary = Summary()

    print(f"fuzzing /upload/ with {args.cases} cases, seed {args.seed}, database in {workdir}")
    started = time.perf_counter()
    for case in generate_cases(args.seed, args.cases):
        outcome = fuzzer.run(case)
        summary.add(outcome)
        done = len(summary.outcomes)
        if args.verbose:
            problems = ", ".join(sorted({kind for kind, _ in outcome.problems})) or "ok"
            print(
                f"  #{case.number} {case.category}: {outcome.result}, "
                f"{outcome.seconds:.2f} s, {problems}",
                flush=True,
            )
        if done % 250 == 0 or done == args.cases:
            failed = len(summary.failed)
            print(
                f"  {done:>6} cases, {failed} with problems, {time.perf_counter() - started:.0f} s"
            )
    elapsed = time.perf_counter() - started

    print()
    print(f"cases tried: {len(summary.outcomes)} (seed {args.seed})")
    print(summary.table())
    print(f"elapsed: {elapsed:.1f} s")
    for outcome in summary.failed[: args.show]:
        case = outcome.case
        print(f"\ncase #{case.number} ({case.category}, {outcome.result}):")
        for upload in case.files:
            print(f"  file {upload.name[:80]!r} ({upload.expect})")
        if case.text:
            print(f"  pasted text {case.text[:80]!r}")
        for kind, detail in outcome.problems:
            print(f"  {kind}: {detail}")
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
