"""Load: the compare and article views under 32 clients while an editor posts labels, and
while long articles are being imported and analysed.

Then compare again while a worker analyses a 300,000-character piece of the story (no
request runs the analysis: the page shows it pending and stays fast).

Starts the production set-up (bench/stack.py: PostgreSQL, gunicorn with
gunicorn.conf.py, two task workers, DEBUG off) on 127.0.0.1 and drives it with wrk
(Debian's package) or, where wrk is missing, with --connections Python threads of plain
keep-alive-free HTTP clients (the figures then include the client's own overhead), in
phases of --duration seconds each:

  trivial    /health/ (one `SELECT 1`), the ceiling for this app on this machine
  compare    /stories/goff-carter/compare/ (the seed story, both pieces)
  article    /articles/<id>/ (the seed report, 50 paragraphs)
  compare, analysing / article, analysing
             the same pages while long articles (one 300,000-character paragraph each,
             which ingest splits at sentence ends) are imported into the seed story one
             after another and analysed by the workers; the article phase reads the long
             article being analysed

During the compare and article phases a second client, signed in as another editor,
labels the seed story's paragraphs through the same htmx POST the pages use, at
--label-rate labels a second. Afterwards every label it saw accepted is looked for in
the database. After those phases and before the analysing ones (so the compare phase
measures the seed story alone, and every later one a story with long pieces), two long
articles are imported on a quiet stack, one after the other: each one's time from import
to analysed (the task done) and the compare page's latency while it is analysed, requested
first every 2 s (as the editor's open page polls for the analysis), then one request after
another (gunicorn then keeps a core busy for that one client); and the task workers' CPU
time meanwhile: they run at TASK_WORKER_NICE, so on a machine busy with other work the time
to analysed is mostly waiting for a core, which the CPU time and the machine's load average
(printed too) tell apart.
Prints requests/s, p50/p95/p99 latency and errors per phase; exits 1 when any request
failed, any label was lost, or compare throughput is under a quarter of the trivial view's.

    .venv/bin/python bench/load.py [--duration 60] [--connections 32] [--label-rate 2]
        [--port 8765] [--database stance_bench_load] [--skip-long]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ProductionStack  # noqa: E402

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%f,"connect":%d,"read":%d,"write":%d,"status":%d,'
    .. '"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


def wrk(url: str, cookie: str, connections: int, seconds: int, script: Path) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={script}",
            "--header",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def python_load(url: str, cookie: str, connections: int, seconds: int, script=None) -> dict:
    """What wrk() measures, with `connections` threads of urllib clients (no wrk here)."""
    from stack import HttpClient

    base, _, path = _split_url(url)
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = {"status": 0, "connect": 0}
    lock = threading.Lock()

    def client() -> None:
        http = HttpClient(base, timeout=10)
        while time.monotonic() < deadline:
            answer = http.get(path, headers={"Cookie": cookie})
            with lock:
                latencies.append(answer.seconds)
                if answer.status == 0:
                    errors["connect"] += 1
                elif answer.status != 200:
                    errors["status"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    micro = sorted(1e6 * s for s in latencies) or [0.0]
    at = lambda q: micro[min(len(micro) - 1, int(q * len(micro)))]  # noqa: E731
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "errors": sum(errors.values()),
        "rps": len(latencies) / elapsed,
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": micro[-1],
    }


def _split_url(url: str) -> tuple[str, str, str]:
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}", "/", "/" + path


LONG_SENTENCES = [
    "The harbour board voted 6-3 on Tuesday to close the northern wharf for repairs.",
    '"This is a disgrace and the board knows it," said Ana Roe, the mayor.',
    "Board chair Tom Hale said the decision was overdue and the wharf was unsafe.",
    "Frankly, the board has treated the fishing fleet with contempt for a decade.",
    "Repairs are expected to cost $14 million and take eighteen months.",
    "According to the fishing co-operative, 40 boats will have to moor elsewhere.",
]


def long_text(number: int, size: int = 300_000) -> str:
    """One paragraph of `size` characters with no blank line (a .txt as one block)."""
    out, n = [], 0
    while n < size:
        sentence = f"{LONG_SENTENCES[len(out) % len(LONG_SENTENCES)]} (Import {number}.{len(out)}.)"
        out.append(sentence)
        n += len(sentence) + 1
    return " ".join(out)[:size]


def import_long(number: int):
    """Import one long article into the seed story as the upload view does (ingest, store,
    queue analyse_articles for the workers); returns the article and its task result."""
    from newsroom import ingest
    from newsroom.models import Story
    from newsroom.services import ArticleDraft, article_upload
    from stance.tasks import analyse_articles

    draft = ArticleDraft(
        document=ingest.ingest_text(long_text(number)),
        source=f"long-{number}.txt",
        headline=f"A 300,000-character paragraph ({number})",
        outlet="Load bench Gazette",
    )
    (article,) = article_upload(drafts=[draft], story=Story.objects.get(slug="goff-carter"))
    return article, analyse_articles.enqueue([article.pk])


def wait_done(result, timeout: float = 600.0) -> bool:
    from django_tasks import TaskResultStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return True
        if result.status == TaskResultStatus.FAILED:
            return False
        time.sleep(0.1)
    return False


class LongImports(threading.Thread):
    """Long articles imported one after another, each waited for until analysed."""

    def __init__(self, first_number: int):
        super().__init__(daemon=True)
        self.number = first_number
        self.stop = threading.Event()
        self.seconds: list[float] = []
        self.failed = 0
        self.current = None
        self.started_one = threading.Event()

    def run(self) -> None:
        from django.db import connections

        try:
            while not self.stop.is_set():
                started = time.monotonic()
                self.current, result = import_long(self.number)
                self.started_one.set()
                self.number += 1
                if wait_done(result):
                    self.seconds.append(time.monotonic() - started)
                else:
                    self.failed += 1
        finally:
            connections.close_all()


def cpu_seconds(processes) -> float:
    """The CPU time (user + system) the processes have used so far, from /proc."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def quiet_import(reader, workers, number: int, pace: float = 0.0) -> dict:
    """One long article on a quiet stack: import to analysed, and the compare page's
    latency meanwhile, requested every `pace` seconds (2 s: as an editor's open page polls
    for the analysis) or, with pace 0, one request after another (gunicorn then keeps a core
    busy for this one client, and the nice workers wait for it); and the task workers' CPU
    time meanwhile, the work itself apart from waiting for a core (workers run at
    TASK_WORKER_NICE)."""
    started = time.monotonic()
    worker_cpu = cpu_seconds(workers)
    article, result = import_long(number)
    latencies, statuses = [], []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            answer = reader.get("/stories/goff-carter/compare/")
            latencies.append(answer.seconds)
            statuses.append(answer.status)
            done.wait(pace)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    ok = wait_done(result)
    seconds = time.monotonic() - started
    worker_cpu = cpu_seconds(workers) - worker_cpu
    done.set()
    poller.join()
    return {
        "ok": ok,
        "seconds": seconds,
        "worker_cpu": worker_cpu,
        "paragraphs": article.paragraphs.count(),
        "compare_median": statistics.median(latencies) if latencies else float("nan"),
        "compare_max": max(latencies, default=float("nan")),
        "compare_requests": len(latencies),
        "compare_errors": sum(1 for s in statuses if s != 200),
        "pace": pace,
    }


class LabelPoster(threading.Thread):
    """One editor labelling paragraphs at a steady pace, as the review queue would."""

    def __init__(self, client, paragraph_ids: list[int], rate: float):
        super().__init__(daemon=True)
        self.client = client
        self.paragraph_ids = paragraph_ids
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.stop = threading.Event()
        self.accepted = 0
        self.failed: list[str] = []
        self.latencies: list[float] = []

    def run(self) -> None:
        rng = random.Random(7)
        next_at = time.monotonic()
        while not self.stop.is_set():
            paragraph = rng.choice(self.paragraph_ids)
            answer = self.client.post(
                f"/paragraphs/{paragraph}/label/",
                {"label": rng.choice(["news", "opinion"])},
                headers={"HX-Request": "true"},
            )
            self.latencies.append(answer.seconds)
            if answer.status == 200 and "labelled by" in answer.body:
                self.accepted += 1
            else:
                self.failed.append(f"HTTP {answer.status}: {answer.body[:120]!r}")
            next_at += self.interval
            self.stop.wait(max(0.0, next_at - time.monotonic()))


LONG_CHARS = 300_000
# The quiet imports' compare-page pace: as an open page polls, then flat out.
PACES = (2.0, 0.0)


def compare_while_analysing(stack, reader, cookie: str, args, script: Path, load) -> dict:
    """Compare the seed report with a 300,000-character piece of the same story, uploaded
    just now, while a worker analyses it: one client alone, then `load`'s clients (wrk or
    python_load)."""
    from newsroom import ingest
    from newsroom.models import Article
    from newsroom.services import ArticleDraft, article_upload
    from stance.selectors import articles_analysis_stale

    report = Article.objects.get(story__slug="goff-carter", genre="news")
    text = " ".join(report.paragraphs.values_list("text", flat=True))
    long_text = ((text + " ") * (LONG_CHARS // len(text) + 1))[:LONG_CHARS]
    draft = ArticleDraft(
        document=ingest.ingest_text(long_text), source="long.txt", headline="A very long piece"
    )
    (article,) = article_upload(drafts=[draft], story=report.story, outlet=report.outlet)
    path = f"/stories/goff-carter/compare/?pieces={report.pk}&pieces={article.pk}"
    started = time.monotonic()
    alone = [reader.get(path) for _ in range(20)]  # first, while the analysis runs
    figures = load(stack.base_url + path, cookie, args.connections, args.duration, script)
    figures["alone_median"] = statistics.median(1000 * r.seconds for r in alone)
    figures["alone_max"] = max(1000 * r.seconds for r in alone)
    figures["alone_pages"] = len(alone)
    figures["pending_pages"] = sum("Analysis pending" in r.body for r in alone)
    figures["errors"] += sum(r.status != 200 for r in alone)
    while articles_analysis_stale(articles=[article]) and time.monotonic() - started < 600:
        time.sleep(1)
    done = not articles_analysis_stale(articles=[article])
    figures["done_after"] = f"{time.monotonic() - started:.0f} s" if done else "not within 600 s"
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--label-rate", type=float, default=2.0, help="labels/s; 0: flat out")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="stance_bench_load")
    parser.add_argument("--skip-long", action="store_true", help="no long-article phases")
    args = parser.parse_args()
    load, tool = (wrk, "wrk") if shutil.which("wrk") else (python_load, "Python threads")

    load_before = os.getloadavg()[0]
    script = Path(tempfile.mkdtemp()) / "report.lua"
    script.write_text(WRK_REPORT)
    with ProductionStack(database=args.database, port=args.port) as stack:
        from django.contrib.auth import get_user_model

        from newsroom.models import Article, Paragraph
        from stance.models import Label

        report = Article.objects.get(genre="news")
        story_paragraphs = list(
            Paragraph.objects.filter(
                article__story__slug="goff-carter", kind__in=Paragraph.CLASSIFIABLE_KINDS
            ).values_list("pk", flat=True)
        )
        reader = stack.client("editor")
        cookie = "; ".join(f"{c.name}={c.value}" for c in reader.cookies)
        pages = {
            "trivial": "/health/",
            "compare": "/stories/goff-carter/compare/",
            "article": f"/articles/{report.pk}/",
        }
        for path in pages.values():  # every gunicorn process loads its model once
            for _ in range(8):
                assert reader.get(path).status == 200, path
        quiet = []

        labeller = get_user_model().objects.get(username="editor2")
        before = Label.objects.filter(editor=labeller).count()
        results, posters, imports = {}, [], None
        phases = list(pages.items())
        if not args.skip_long:
            imports = LongImports(first_number=len(PACES))
            phases += [("compare, analysing", pages["compare"]), ("article, analysing", None)]
        for phase, path in phases:
            poster = None
            if phase != "trivial":
                poster = LabelPoster(stack.client("editor2"), story_paragraphs, args.label_rate)
                poster.start()
                posters.append(poster)
            if phase == "compare, analysing":
                # The compare phase above measured the seed story's two pieces, as the
                # docstring says; from here on the story holds 300,000-character pieces.
                quiet = [
                    quiet_import(reader, stack.workers, number, pace)
                    for number, pace in enumerate(PACES)
                ]
            if imports is not None and phase.endswith("analysing") and not imports.is_alive():
                imports.start()
                imports.started_one.wait()
            if path is None:  # the long article being analysed right now
                path = f"/articles/{imports.current.pk}/"
            results[phase] = load(
                stack.base_url + path, cookie, args.connections, args.duration, script
            )
            if poster:
                poster.stop.set()
                poster.join()
        if imports is not None:
            imports.stop.set()
            imports.join()
        stored = Label.objects.filter(editor=labeller).count() - before
        served_again = reader.get(pages["compare"]).status
        analysing = compare_while_analysing(stack, reader, cookie, args, script, load)

    accepted = sum(p.accepted for p in posters)
    failed = [f for p in posters for f in p.failed]
    lost = accepted - stored
    post_ms = [1000 * s for p in posters for s in p.latencies]
    workers = os.environ.get("WEB_CONCURRENCY") or f"{os.cpu_count() + 1} (cores + 1)"
    print(f"Load: {tool}, {args.connections} connections, {args.duration} s per phase")
    print(f"machine: {os.cpu_count()} cores; gunicorn gthread, {workers} processes x 4 threads")
    print(
        f"machine load average (1 min) before the stack started {load_before:.2f}, at the end "
        f"{os.getloadavg()[0]:.2f}; task workers at nice "
        f"{os.environ.get('TASK_WORKER_NICE', '10')}"
    )
    for q in quiet:
        polled = f"every {q['pace']:.0f} s" if q["pace"] else "one request after another"
        print(
            f"one 300,000-character paragraph ({q['paragraphs']} paragraphs after ingest), the "
            f"compare page requested {polled}: import to analysed {q['seconds']:.1f} s (target "
            f"< 10 s){'' if q['ok'] else ' FAILED'}, the task workers' CPU meanwhile "
            f"{q['worker_cpu']:.1f} s; compare page meanwhile: median "
            f"{1000 * q['compare_median']:.0f} ms, max {1000 * q['compare_max']:.0f} ms "
            f"over {q['compare_requests']} requests, {q['compare_errors']} errors (target < 1 s)"
        )
    print(f"{'phase':<19} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for phase, r in results.items():
        print(
            f"{phase:<19} {r['rps']:>8.1f} {r['p50'] / 1000:>7.1f} {r['p95'] / 1000:>7.1f} "
            f"{r['p99'] / 1000:>7.1f} {r['errors']:>7}"
        )
    if imports is not None:
        median = statistics.median(imports.seconds) if imports.seconds else float("nan")
        print(
            f"long imports during the analysing phases: {len(imports.seconds)} analysed "
            f"(median {median:.1f} s import to analysed), {imports.failed} failed"
        )
    ratio = results["compare"]["rps"] / results["trivial"]["rps"]
    print(f"compare / trivial throughput: {ratio:.2f} (target >= 0.25)")
    print(
        f"labels: {accepted} accepted, {len(failed)} refused or failed, {stored} stored, "
        f"{lost} lost; label POST median {statistics.median(post_ms):.1f} ms, "
        f"p95 {statistics.quantiles(post_ms, n=20)[-1]:.1f} ms"
    )
    for failure in failed[:5]:
        print("  label failure:", failure)
    a = analysing
    print(
        f"compare of the seed report and a {LONG_CHARS:,}-character piece being analysed: "
        f"{args.connections} clients {a['rps']:.1f} req/s, p50 {a['p50'] / 1000:.1f} ms, "
        f"p99 {a['p99'] / 1000:.1f} ms, {a['errors']} errors; one client alone: median "
        f"{a['alone_median']:.1f} ms, max {a['alone_max']:.1f} ms (target < 1000); "
        f"pending shown {a['pending_pages']} of {a['alone_pages']} times; analysis stored "
        f"{a['done_after']} after the first view"
    )
    errors = sum(r["errors"] for r in results.values()) + a["errors"]
    ok = errors == 0 and not failed and lost == 0 and ratio >= 0.25 and served_again == 200
    ok = ok and all(q["ok"] for q in quiet) and (imports is None or not imports.failed)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
