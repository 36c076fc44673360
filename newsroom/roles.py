"""The newsroom's roles as groups of permissions.

Kept as data so the groups can be brought in line with the code after every migration
(`sync_roles`), including permissions that later migrations add.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITORS = "Editors"
DATA_LEADS = "Data leads"
ADMINS = "Admins"

_READ_NEWSROOM = [
    "newsroom.view_outlet",
    "newsroom.view_story",
    "newsroom.view_actor",
    "newsroom.view_article",
    "newsroom.view_paragraph",
]

# Codenames as "app_label.codename". An entry "app_label.*" means every permission of that app.
_READ_STANCE = [
    "stance.view_modelversion",
    "stance.view_prediction",
    "stance.view_label",
    "stance.view_speakercorrection",
    "stance.view_sentencelabel",
]

# Editors correct what the analysis says: paragraph labels (and, under the same permission,
# single sentences: stance.SentenceLabel), who said a quote, and the story's actors
# (accept, hide, rename or merge the ones proposed from the text).
_EDIT = ["stance.add_label", "stance.add_speakercorrection", "newsroom.change_actor"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [*_READ_NEWSROOM, *_READ_STANCE, *_EDIT],
    DATA_LEADS: [
        *_READ_NEWSROOM,
        *_READ_STANCE,
        *_EDIT,
        "stance.add_modelversion",
        "stance.change_modelversion",
    ],
    ADMINS: [
        "newsroom.*",
        "stance.*",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}


def _permissions(specs: list[str]) -> list[Permission]:
    found: list[Permission] = []
    for spec in specs:
        app_label, codename = spec.split(".", 1)
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if codename != "*":
            qs = qs.filter(codename=codename)
        found.extend(qs)
    return found


@transaction.atomic
def sync_roles() -> None:
    """Create the role groups and set their permissions to exactly ROLE_PERMISSIONS."""
    for name, specs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(specs))
