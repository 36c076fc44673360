"""The production set-up, started on this machine for the load and fault benchmarks.

`ProductionStack` does what README "Production" says, against a fresh PostgreSQL
database: migrate, collect static files, seed the demo story, create users, then start
gunicorn (gunicorn.conf.py) with DEBUG off and `manage.py db_worker` processes with
TASKS_BACKEND=database, all sharing one Redis cache (CACHE_URL, as in production: what a
task stores there, such as an alignment, must reach the app servers), under a key
prefix of this run's own, deleted when the stack stops. The calling process has Django
set up against the same database, so a benchmark can count rows afterwards.

Plain HTTP on 127.0.0.1, so the TLS-only settings (redirect, secure cookies) are turned
off the way .env.example documents for a private network; everything else is production.

    with ProductionStack(database="stance_bench") as stack:
        editor = stack.client("editor")
        editor.get("/stories/goff-carter/compare/")
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
# The machine's Redis (README "Production"); BENCH_CACHE_URL picks another database.
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1")


@dataclass
class Response:
    status: int
    body: str
    seconds: float


class HttpClient:
    """A signed-in browser stand-in: keeps cookies, sends the CSRF token on POST."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def request(self, method: str, path: str, data: dict | None = None, headers=None) -> Response:
        body = None
        headers = dict(headers or {})
        if method == "POST":
            payload = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **(data or {})}
            body = urllib.parse.urlencode(payload).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            headers.setdefault("X-CSRFToken", self.cookie("csrftoken"))
        req = urllib.request.Request(self.base_url + path, body, headers, method=method)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as answer:
                status, text = answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            status, text = 0, f"{type(error).__name__}: {error}"
        return Response(status, text, time.perf_counter() - start)

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict | None = None, headers=None) -> Response:
        return self.request("POST", path, data, headers)

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        if answer.status != 302:
            raise RuntimeError(f"sign-in as {username} failed: HTTP {answer.status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects as they are (a label POST answers 302), never follow them."""

    def redirect_request(self, *args, **kwargs):
        return None


class ProductionStack:
    def __init__(
        self,
        database: str = "stance_bench",
        port: int = 8765,
        task_workers: int = 2,
        web_workers: int | None = None,
        log_dir: Path | None = None,
        worker_command: str = "task_worker",
        postgres: str = POSTGRES,
        cache_url: str = CACHE,
    ):
        self.database = database
        self.worker_command = worker_command  # db_worker plus reconnection and the job reaper
        self.postgres = postgres  # server URL without a database name
        self.port = port
        self.task_workers = task_workers
        self.web_workers = web_workers
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="stance-stack-"))
        self.cache_url = cache_url
        self.cache_prefix = f"bench-{database}-{secrets.token_hex(4)}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{postgres}/{database}",
            "TASKS_BACKEND": "database",
            "CACHE_URL": cache_url,
            "CACHE_KEY_PREFIX": self.cache_prefix,
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": str(self.log_dir / "static"),
            "BIND": f"127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
        }
        if web_workers:
            self.env["WEB_CONCURRENCY"] = str(web_workers)
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.users: dict[str, str] = {}
        self._logs: list = []

    # -- set-up ---------------------------------------------------------------------------

    def __enter__(self) -> ProductionStack:
        try:
            self.prepare()
            self.start_web()
            for _ in range(self.task_workers):
                self.start_worker()
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def prepare(self) -> None:
        """A fresh database with the seed story and three users; Django set up here."""
        import psycopg

        with psycopg.connect(f"{self.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        os.environ.update(self.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        self._create_users()
        # This process's connections must not be inherited by anything it starts.
        from django.db import connections

        connections.close_all()

    def _create_users(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from newsroom import roles

        for username, group in [
            ("admin", roles.ADMINS),
            ("datalead", roles.DATA_LEADS),
            ("editor", roles.EDITORS),
            ("editor2", roles.EDITORS),
        ]:
            password = secrets.token_urlsafe(12)
            user = get_user_model().objects.create_user(username, password=password)
            user.groups.add(Group.objects.get(name=group))
            self.users[username] = password

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop())
        self._logs.append(log)
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self) -> None:
        self.web = self._spawn("gunicorn", [str(VENV_BIN / "gunicorn"), "newsroom.wsgi"])

    def start_worker(self) -> subprocess.Popen:
        index = len(self.workers)
        worker = self._spawn(
            f"worker-{index}",
            [
                sys.executable,
                "manage.py",
                self.worker_command,
                "--no-startup-delay",
                "--interval",
                "0.2",
                f"--worker-id=worker-{index}",  # as its log file is named
            ],
        )
        self.workers.append(worker)
        return worker

    def wait_until_serving(self, timeout: float = 60.0) -> float:
        """Seconds until /health/ answers 200; raises if it never does."""
        start = time.monotonic()
        probe = HttpClient(self.base_url, timeout=2)
        while time.monotonic() - start < timeout:
            if self.web and self.web.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_dir / 'gunicorn.log'}")
            if probe.get("/health/").status == 200:
                return time.monotonic() - start
            time.sleep(0.1)
        raise RuntimeError(f"not serving after {timeout:.0f} s; see {self.log_dir}")

    # -- use --------------------------------------------------------------------------------

    def client(self, username: str) -> HttpClient:
        client = HttpClient(self.base_url)
        client.sign_in(username, self.users[username])
        return client

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """SIGKILL: the worker gets no chance to clean up, as when a machine dies."""
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    def stop(self) -> None:
        for process in [*self.workers, self.web]:
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.web]:
            if process:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for log in self._logs:
            log.close()
        self._forget_cache()

    def _forget_cache(self) -> None:
        """Delete this run's cache entries (its key prefix) from the shared Redis."""
        if not self.cache_url.startswith(("redis://", "rediss://", "unix://")):
            return
        import redis

        client = redis.Redis.from_url(self.cache_url)
        try:
            keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
        except redis.RedisError:
            pass  # a Redis that went away keeps nothing worth deleting
        finally:
            client.close()
