"""The cache is chosen by CACHE_URL; tests start from an empty one (tests/conftest.py)."""

import os

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from newsroom.settings import cache_from_url


def test_cache_url_picks_the_backend():
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    folder = cache_from_url("file:///tmp/stance-cache")
    assert folder["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert folder["LOCATION"] == "/tmp/stance-cache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_a_folder_cache_is_shared_between_processes(tmp_path):
    """`make run`'s dev server and task worker: what one process stores, the other reads."""
    import subprocess
    import sys

    config = {"default": cache_from_url(f"file://{tmp_path}")}
    writer = (
        "from django.conf import settings; from django.core.cache import caches;"
        f"settings.configure(CACHES={config!r});"
        "caches['default'].set('explanation:1', {'label': 'news'}, 60)"
    )
    subprocess.run([sys.executable, "-c", writer], check=True)
    with override_settings(CACHES=config):
        assert caches["default"].get("explanation:1") == {"label": "news"}


def test_check_warns_when_task_workers_cannot_reach_the_pages_cache(settings):
    from stance.caching import check_shared_cache

    settings.TASKS_BACKEND = "database"
    settings.CACHES = {"default": cache_from_url("")}
    assert [m.id for m in check_shared_cache()] == ["stance.W001"]
    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:6379/1")}
    assert check_shared_cache() == []
    settings.TASKS_BACKEND = "immediate"
    settings.CACHES = {"default": cache_from_url("")}
    assert check_shared_cache() == []


def test_each_test_starts_with_an_empty_cache_first_half():
    assert cache.get("tests:leak") is None
    cache.set("tests:leak", "from an earlier test", 60)


def test_each_test_starts_with_an_empty_cache_second_half():
    assert cache.get("tests:leak") is None
    cache.set("tests:leak", "from an earlier test", 60)


def test_values_round_trip_through_redis():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one)")
    config = {"default": cache_from_url("redis://127.0.0.1:6379/15")}
    # a key of this process's own: CI's SQLite and PostgreSQL runs, side by side, both run this
    key = f"round-trip-{os.getpid()}"
    with override_settings(CACHES=config):
        shared = caches["default"]
        shared.set(key, {"html": "<p>é</p>", "n": 3}, 30)
        assert shared.get(key) == {"html": "<p>é</p>", "n": 3}
        shared.delete(key)
