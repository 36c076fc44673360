import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from newsroom import roles

pytestmark = pytest.mark.django_db


def test_it_creates_local_accounts_once_and_prints_how_to_sign_in(settings, tmp_path):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_local_accounts", file=str(tmp_path / "acc"), stdout=out)
    passwords = dict(line.split() for line in (tmp_path / "acc").read_text().splitlines())
    assert set(passwords) == {"admin", "datalead", "editor"}
    assert passwords["editor"] in out.getvalue()
    signing_in = RequestFactory().post("/accounts/login/")  # sign-in throttling needs one
    editor = authenticate(signing_in, username="editor", password=passwords["editor"])
    assert [g.name for g in editor.groups.all()] == [roles.EDITORS]
    assert not editor.is_staff
    admin = authenticate(signing_in, username="admin", password=passwords["admin"])
    assert admin.is_superuser and admin.is_staff

    call_command("create_local_accounts", file=str(tmp_path / "acc"), stdout=io.StringIO())
    again = dict(line.split() for line in (tmp_path / "acc").read_text().splitlines())
    assert again == passwords


def test_it_refuses_when_debug_is_off(settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_local_accounts", file=str(tmp_path / "acc"))
