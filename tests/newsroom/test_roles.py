"""newsroom.roles: the role groups, their permissions set to exactly ROLE_PERMISSIONS."""

import pytest
from django.contrib.auth.models import Group, Permission

from newsroom import roles

pytestmark = pytest.mark.django_db


def codes(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_role_groups_exist_with_their_permissions(role_groups):
    editors = role_groups[roles.EDITORS]
    assert editors.permissions.filter(codename="view_article").exists()
    assert not editors.permissions.filter(codename="add_article").exists()
    assert role_groups[roles.ADMINS].permissions.filter(codename="add_article").exists()


def test_a_sync_sets_exactly_the_listed_permissions_and_can_run_again(role_groups):
    editors = role_groups[roles.EDITORS]
    editors.permissions.add(Permission.objects.get(codename="delete_article"))
    roles.sync_roles()
    roles.sync_roles()
    assert codes(editors) == set(roles.ROLE_PERMISSIONS[roles.EDITORS])
    assert Group.objects.count() == len(roles.ROLE_PERMISSIONS)


def test_an_app_wildcard_grants_every_permission_of_that_app(role_groups):
    admins = codes(role_groups[roles.ADMINS])
    for app in ("newsroom", "stance"):
        every = Permission.objects.filter(content_type__app_label=app)
        assert {f"{app}.{p.codename}" for p in every} <= admins
    assert "auth.delete_user" not in admins
