"""Fuzz the upload page with random and hostile files, and print what happened.

    .venv/bin/python bench/fuzz_upload.py [--cases N] [--seed S] [--show K] [--verbose]
    .venv/bin/python bench/fuzz_upload.py --seed S --only NUMBER     # replay one case
    .venv/bin/python bench/fuzz_upload.py --cases 0 --timings        # ingest's worst inputs

Runs the app in-process on a throwaway SQLite database (a temporary directory, migrated from
scratch; the app's own database is never touched), with DEBUG off as in production. An admin
in the Admins group signs in through the sign-in page, then every case is posted to /upload/
as a browser posts it: multipart form with the CSRF token, preview, then save with the
staged batch id the preview returned. The generators and the checks live in
tests/newsroom/upload_fuzz.py, shared with tests/newsroom/test_upload_fuzz.py.

Prints a table per category (cases, files, accepted, refused, 5xx, cases with problems), the
count of every kind of problem (each must be 0), the slowest request (wall clock and CPU) and
the elapsed time, then the first K failing cases. Exits 1 when any problem was found. The same
seed gives the same cases. --timings then times ingest alone on the slowest inputs known for
each format (the tests check what those inputs give, not how long they take).
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


def configure(workdir: Path, database_url: str, **environment: str) -> None:
    """Environment for newsroom.settings: a throwaway database, production-like security
    (also used by fuzz_inputs.py, with its own ``environment``)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # The test client speaks plain HTTP; everything else about DEBUG=0 stays as deployed.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "0"
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))


def start_django(quiet_loggers: tuple[str, ...]) -> None:
    """django.setup() for a run in this process: static files served plainly (collecting
    them, and WhiteNoise's manifest, are a deployment step), the expected refusals unlogged."""
    import warnings

    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.test import override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    for name in quiet_loggers:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def signed_in_client(username: str, group: str, *, enforce_csrf_checks: bool, **fields):
    """A test client signed in as a new user of `group` (`fields`: more of the user's, such
    as is_staff) through the sign-in page, as a browser signs in (also for fuzz_inputs.py)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user(username, password=password, **fields)
    user.groups.add(Group.objects.get(name=group))
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    _sign_in(client, username, password)
    return client


def print_summary(summary, elapsed: float, tried: str = "") -> None:
    """The cases tried (and `tried`, what else to say of them), their table and the time
    they took (also for fuzz_inputs.py)."""
    print()
    print(f"cases tried: {len(summary.outcomes)}{tried}")
    print(summary.table())
    print(f"elapsed: {elapsed:.1f} s")


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
    parser.add_argument("--only", type=int, help="replay only the case with this number")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="also time ingest on the slowest inputs known (pathological Markdown, HTML, .docx)",
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="fuzz-upload-"))
    # As deployed: a save enqueues classification and analysis for the worker, which is not run
    # here (analysing a 2 MB paragraph takes minutes; that is the worker's load, not the page's).
    configure(workdir, f"sqlite:///{workdir / 'fuzz.sqlite3'}", TASKS_BACKEND="database")
    # Every 4xx, and Django's refusal of a request with too many files, is expected here.
    start_django(("django.request", "django.security", "django_tasks"))
    from django.core.management import call_command

    from newsroom import roles
    from newsroom.models import Outlet
    from newsroom.services import story_get_or_create
    from tests.newsroom.upload_fuzz import Summary, UploadFuzzer, generate_cases

    call_command("migrate", verbosity=0, interactive=False)
    client = signed_in_client("fuzz-admin", roles.ADMINS, enforce_csrf_checks=True, is_staff=True)
    story = story_get_or_create(title="Harbour wharf closure")
    outlet = Outlet.objects.create(name="The Harbour Herald")
    fuzzer = UploadFuzzer(client, story, outlet)
    summary = Summary()

    what = f"case #{args.only}" if args.only is not None else f"{args.cases} cases"
    print(f"fuzzing /upload/ with {what}, seed {args.seed}, database in {workdir}")
    started = time.perf_counter()
    cases = generate_cases(args.seed, args.cases if args.only is None else args.only + 1)
    for case in cases:
        if args.only is not None and case.number != args.only:
            continue
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
        if done % 250 == 0 or done == args.cases or args.only is not None:
            failed = len(summary.failed)
            print(
                f"  {done:>6} cases, {failed} with problems, {time.perf_counter() - started:.0f} s"
            )
    elapsed = time.perf_counter() - started

    print_summary(summary, elapsed, f" (seed {args.seed})")
    for outcome in summary.failed[: args.show]:
        case = outcome.case
        print(f"\ncase #{case.number} ({case.category}, {outcome.result}):")
        for upload in case.files:
            print(f"  file {upload.name[:80]!r} ({upload.expect})")
        if case.text:
            print(f"  pasted text {case.text[:80]!r}")
        for kind, detail in outcome.problems:
            print(f"  {kind}: {detail}")
    if args.timings:
        _print_timings()
    return 1 if summary.failed else 0


def _worst_inputs() -> list[tuple[str, str, bytes]]:
    """(label, file name, bytes): the slowest inputs found for each reader, each as large as
    the limit allows. Before the limits in newsroom/ingest/ several took 10 s to minutes."""
    import io
    import zipfile

    import docx

    from newsroom.ingest.limits import MARKDOWN_MAX_CHARS, MAX_UPLOAD_BYTES

    def fill(unit: str, size: int = MAX_UPLOAD_BYTES - 1, head: str = "") -> bytes:
        return (head + unit * (size // len(unit) + 1))[:size].encode()

    inputs = [
        (f"markdown 2 MB of {unit!r}", "x.md", fill(unit))
        for unit in ["[", "![", "*a", "**a", "_a", "[x][", "[](", "`a", "<", "&", "#", '"', "- "]
    ]
    inputs += [
        (
            f"markdown {MARKDOWN_MAX_CHARS // 1024} KB of {unit!r}",
            "x.md",
            fill(unit, MARKDOWN_MAX_CHARS),
        )
        for unit in ["{0&amp;<http://a.b>", "}_\n=![a](b)\\*", "**a**[<.  \n", "+ > a\n"]
    ]
    inputs.append(("markdown '![&<a(![](<' + words", "x.md", fill(" a", head="![&<a(![](<")))
    inputs += [
        (f"html 2 MB of {unit[:24]!r}", "x.html", fill(unit))
        for unit in ["<", "&", "&#", "<br>", "<li>x", "<div></x>", '<div title="<">', "<div/>"]
        + ["&lt;div&gt;", "<div>" * 255 + "x" + "</div>" * 255, "<p><b>x"]
    ]
    inputs.append(
        ("html 255 deep, then 2 MB of '<p>x'", "x.html", fill("<p>x", head="<div>" * 255))
    )
    # the simple depth count closes the <div> that the parser keeps open (the <table> is in
    # the way): the limit on start tags bounds it
    inputs.append(
        (
            "html '<div><table></div>' to the tag limit",
            "x.html",
            fill("<div><table></div>", 180_000),
        )
    )
    inputs.append(("html '<svg><div/>' to the tag limit", "x.html", fill("<svg><div/>", 110_000)))
    bold = "".join(f"<p><b class=c{i}>x" for i in range(16_000))
    inputs.append(("html 16,000 distinct unclosed <b>", "x.html", bold.encode()))
    attributes = "<p " + " ".join(f"a{i}=x" for i in range(200_000)) + ">x</p>"
    inputs.append(("html one tag, 200,000 attributes", "x.html", attributes.encode()))
    inputs += [
        (f"text 2 MB of {unit!r}", "x.txt", fill(unit))
        for unit in ["&lt;b&gt;", "&amp;", "<div>", "<li>", ".", "…"]
    ]
    inputs.append(("text '<textarea>' then 2 MB of '<b>'", "x.txt", fill("<b>", head="<textarea>")))

    def word(parts: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            members = {info.filename: archive.read(info) for info in archive.infolist()}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in (members | parts).items():
                archive.writestr(name, data)
        return out.getvalue()

    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = f"<w:document {namespace}><w:body>{{}}</w:body></w:document>"
    paragraph = "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    for label, xml in [
        ("400,000 paragraphs", paragraph * 400_000),
        ("500,000 runs in one paragraph", "<w:p>" + "<w:r><w:t>x</w:t></w:r>" * 500_000 + "</w:p>"),
        (
            "a text box of 500,000 paragraphs",
            f"<w:p><w:r><w:txbxContent>{paragraph * 500_000}</w:txbxContent></w:r></w:p>",
        ),
    ]:
        inputs.append(
            (f"docx {label}", "x.docx", word({"word/document.xml": body.format(xml).encode()}))
        )
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="S{i}"/></w:style>'
        for i in range(150_000)
    )
    inputs.append(
        (
            "docx 150,000 styles",
            "x.docx",
            word({"word/styles.xml": f"<w:styles {namespace}>{styles}</w:styles>".encode()}),
        )
    )
    inputs.append(
        ("docx zip bomb (200 MB of zeros)", "x.docx", word({"word/z.bin": bytes(200 << 20)}))
    )
    return inputs


def _print_timings() -> None:
    from newsroom.ingest import IngestError, ingest_file

    print("\ningest on the slowest inputs known (CPU and wall seconds):")
    slowest = 0.0
    for label, name, data in _worst_inputs():
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            result = f"{len(ingest_file(data, name).blocks)} blocks"
        except IngestError as error:
            result = f"refused: {str(error)[:60]}"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        slowest = max(slowest, cpu)
        print(f"  {label[:46]:<46} {len(data) / 1e6:5.2f} MB {cpu:5.2f} {wall:5.2f}  {result}")
    print(f"slowest: {slowest:.2f} s CPU")


if __name__ == "__main__":
    sys.exit(main())
