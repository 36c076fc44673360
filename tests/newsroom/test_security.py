import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from newsroom.security import check_proxy_hops, client_ip
from tests.factories import PASSWORD, make_user


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_templates_have_no_inline_scripts_or_styles(editor_client):
    for url in [reverse("story-list"), reverse("review-queue"), reverse("models")]:
        page = editor_client.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page and "<style" not in page, url


# --- Production settings -------------------------------------------------------------

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-4f9c2b7e1d",
    "ALLOWED_HOSTS": "stance.example.org",
    "DATABASE_URL": "postgres://stance@127.0.0.1:5432/stance",
    "TASKS_BACKEND": "database",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # shared by app servers and workers (README)
}


def production_env(**overrides):
    # The browser tests allow async-unsafe calls in this process; production never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, **PRODUCTION_ENV, **overrides}


def run_with_production_env(*args, **overrides):
    env = production_env(**overrides)
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_with_production_env("manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_flags_task_workers_without_a_shared_cache():
    result = run_with_production_env("manage.py", "check", "--deploy", CACHE_URL="")
    assert "stance.W001" in result.stdout + result.stderr


def test_production_settings_are_strict():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.TASKS['default']['BACKEND'], "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )
    result = run_with_production_env("-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        False,
        True,
        True,
        True,
        31_536_000,
        "django_tasks_db.DatabaseBackend",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env(SECRET_KEY="")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600, SECURE_REDIRECT_EXEMPT=[r"^health/$"]
)
def test_https_is_enforced_with_hsts_but_health_answers_over_plain_http():
    client = Client()
    assert client.get(reverse("login")).status_code == 301
    over_tls = client.get(reverse("login"), secure=True)
    assert over_tls.status_code == 200
    assert over_tls["Strict-Transport-Security"].startswith("max-age=3600")
    assert client.get(reverse("health")).json() == {"status": "ok"}


# --- Health ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_without_signing_in(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_health_says_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


# --- Sign-in throttling ------------------------------------------------------------------


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_wrong_passwords_pause_that_account_from_that_address(client):
    make_user("ed", "Editors")
    make_user("sam", "Editors")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "ed", "wrong")
        assert response.status_code == 200
        assert "enter a correct username and password" in response.content.decode()
    locked = sign_in(client, "ed", "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode() and "15 minutes" in locked.content.decode()
    # Even the right password is refused now, from that address...
    assert sign_in(client, "ed", PASSWORD).status_code == 429
    # ...but a colleague at the same address, and the same editor elsewhere, sign in.
    assert sign_in(Client(), "sam", PASSWORD).status_code == 302
    assert sign_in(Client(), "ed", PASSWORD, address="198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_earlier_failures(client):
    make_user("ed", "Editors")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ed", "wrong")
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ed", "wrong").status_code == 200


@pytest.mark.django_db
def test_guessing_across_usernames_from_one_address_stops_but_colleagues_sign_in(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    colleague = make_user("sam", "Editors")
    newcomer = make_user("new", "Editors")
    assert sign_in(Client(), "sam", PASSWORD).status_code == 302  # has signed in from here
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):  # few per name: no pair lockout
        assert sign_in(client, f"user{i % 3}", "guess").status_code == 200
    refused = sign_in(client, "user9", "guess")
    assert refused.status_code == 429
    assert "only accounts that have signed in from this address before" in refused.content.decode()
    # A colleague who signs in from this address still can; an account that never has
    # waits for the cool-off (or signs in from elsewhere).
    assert sign_in(Client(), colleague.username, PASSWORD).status_code == 302
    assert sign_in(Client(), newcomer.username, PASSWORD).status_code == 429
    assert (
        sign_in(Client(), newcomer.username, PASSWORD, address="198.51.100.20").status_code == 302
    )


@pytest.mark.parametrize(
    ("bind", "hops", "warned"),
    [
        ("127.0.0.1:8000", 1, False),
        ("[::1]:8000", 1, False),
        ("unix:/run/stance.sock", 1, False),
        ("0.0.0.0:8000", 1, True),
        ("10.0.0.5:8000", 2, True),
        ("0.0.0.0:8000", 0, False),
    ],
)
def test_start_up_warns_when_proxy_hops_are_trusted_but_gunicorn_is_reachable(
    bind, hops, warned, monkeypatch
):
    monkeypatch.setenv("BIND", bind)
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        messages = check_proxy_hops()
    assert [m.id for m in messages] == (["newsroom.W001"] if warned else [])


def test_the_proxy_check_runs_with_the_deploy_checks():
    result = run_with_production_env(
        "manage.py",
        "check",
        "--deploy",
        TRUSTED_PROXY_HOPS="1",
        BEHIND_TLS_PROXY="1",
        BIND="0.0.0.0:8000",
    )
    assert "newsroom.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy: X-Forwarded-For is the client's to forge
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged entry on the left is ignored
        (2, "198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "", "10.0.0.2"),
    ],
)
def test_client_ip_looks_past_trusted_proxies_only(hops, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_HOPS=hops):
        assert client_ip(request) == expected
