"""Fuzz the training-set import and the label note with hostile values, and print what happened.

    .venv/bin/python bench/fuzz_inputs.py [--imports N] [--labels N] [--seed S]
    .venv/bin/python bench/fuzz_inputs.py --postgres postgres://postgres@127.0.0.1:5432

Runs the app in-process with DEBUG off, on a throwaway SQLite database (a temporary
directory), or with --postgres on a throwaway PostgreSQL database created on that server
and dropped at the end (NUL bytes are what PostgreSQL refuses). A data lead posts labelled
TSVs to the models page's import (formula cells, NUL bytes, rows past the csv field limit,
files past the cap, bad UTF-8, broken structure, random mutations); an editor labels
paragraphs with hostile notes and labels and posts hostile review-queue actions. Then the
CSV label export is read back. The cases and checks live in tests/stance/inputs_fuzz.py,
shared with tests/stance/test_inputs_fuzz.py.

Prints a table per kind of case (cases, accepted, refused, 5xx, with problems), the CSV
export's cells and unescaped formulas, and the problems found; each must be 0. Exits 1 when
any problem was found. The same seed gives the same cases.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

# bench/ is on sys.path as a script
from fuzz_upload import configure, print_summary, signed_in_client, start_django

ROOT = Path(__file__).resolve().parents[1]
CAP = 1024 * 1024  # the training-set cap for this run (small, so over-cap files stay cheap)


def _postgres_database(server: str) -> tuple[str, callable]:
    """A new empty database on `server` (postgres://user@host:port); and its dropper."""
    import psycopg

    name = f"fuzz_inputs_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{server}/{name}", drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--imports", type=int, default=700, help="import cases (700)")
    parser.add_argument("--labels", type=int, default=1500, help="label and review cases (1500)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (14)")
    parser.add_argument("--postgres", metavar="URL", help="postgres://user@host:port to use")
    parser.add_argument("--show", type=int, default=10, help="failing cases to print (10)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="fuzz-inputs-"))
    drop = None
    if args.postgres:
        database_url, drop = _postgres_database(args.postgres.rstrip("/"))
    else:
        database_url = f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    configure(
        workdir,
        database_url,
        TASKS_BACKEND="immediate",
        STANCE_TRAINING_SET_MAX_BYTES=str(CAP),
    )
    try:
        return _run(args, database_url)
    finally:
        if drop is not None:
            drop()


def _run(args, database_url: str) -> int:
    start_django(("django.request", "django.security", "stance", "axes"))
    from django.core.management import call_command

    from newsroom import ingest, roles
    from newsroom.models import Outlet
    from newsroom.services import ArticleDraft, article_upload, story_get_or_create
    from tests.stance.inputs_fuzz import FORMULA_PARAGRAPHS, InputsFuzzer, Summary, import_cases

    call_command("migrate", verbosity=0, interactive=False)
    users = {
        username: signed_in_client(username, group, enforce_csrf_checks=False)
        for username, group in (("fuzz-lead", roles.DATA_LEADS), ("fuzz-editor", roles.EDITORS))
    }
    story = story_get_or_create(title="Harbour wharf closure")
    outlet = Outlet.objects.create(name="The Harbour Herald")
    draft = ArticleDraft(
        document=ingest.ingest_text(FORMULA_PARAGRAPHS), source="pasted text", headline="Wharf"
    )
    (article,) = article_upload(story=story, outlet=outlet, drafts=[draft])
    paragraph_ids = list(article.paragraphs.values_list("pk", flat=True))

    fuzzer = InputsFuzzer(users["fuzz-lead"], users["fuzz-editor"], paragraph_ids)
    summary = Summary()
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"fuzzing the training-set import ({args.imports} cases) and the label note "
        f"({args.labels} label + {args.labels // 3} review cases), seed {args.seed}, {engine}"
    )
    started = time.perf_counter()
    for case in import_cases(args.seed, args.imports, cap=CAP):
        summary.add(fuzzer.run_import(case))
    rng = random.Random(args.seed)
    for number in range(args.labels):
        summary.add(fuzzer.run_label(rng, number))
        if number % 3 == 0:
            summary.add(fuzzer.run_review(rng))
    fuzzer.check_export(summary)
    elapsed = time.perf_counter() - started

    print_summary(summary, elapsed)
    for outcome in summary.failed[: args.show]:
        print(f"\n{outcome.kind} {outcome.category} (HTTP {outcome.status}):")
        for kind, detail in outcome.problems:
            print(f"  {kind}: {detail}")
    for cell in summary.unescaped_formulas[: args.show]:
        print(f"unescaped: {cell!r}")
    return 1 if summary.failed or summary.unescaped_formulas else 0


if __name__ == "__main__":
    sys.exit(main())
