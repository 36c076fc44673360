"""Create the local admin and editor accounts for a development machine.

Passwords are generated on first run, never stored in code, and written to a file that
git ignores so the next `make run` can remind the developer of them.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from newsroom import roles

ACCOUNTS = [
    # username, group, is_superuser
    ("admin", roles.ADMINS, True),
    ("datalead", roles.DATA_LEADS, False),
    ("editor", roles.EDITORS, False),
]


class Command(BaseCommand):
    help = (
        "Create local admin, data lead and editor accounts (DEBUG only) and print how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the app will be served."
        )
        parser.add_argument(
            "--file",
            default=str(settings.BASE_DIR / ".local-accounts"),
            help="Where the generated passwords are kept (default: .local-accounts).",
        )

    def handle(self, *args, file: str, url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create accounts with known passwords when DEBUG is off."
            )
        path = Path(file)
        known = _read(path)
        User = get_user_model()
        roles.sync_roles()
        for username, group_name, superuser in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User(username=username, is_staff=superuser, is_superuser=superuser)
                user.set_password(password)
                user.save()
                known[username] = password
            user.groups.add(Group.objects.get(name=group_name))
        _write(path, known)
        self.stdout.write(f"Sign in at {url} with:")
        for username, group_name, _ in ACCOUNTS:
            password = known.get(
                username, "(set before this machine kept passwords; use `manage.py changepassword`)"
            )
            self.stdout.write(f"  {username:<9} {password:<20} {group_name}")
        self.stdout.write(f"(kept in {path.name}, which git ignores)")


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}


def _write(path: Path, known: dict[str, str]) -> None:
    path.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
    path.chmod(0o600)
