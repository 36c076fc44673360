from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(using: str = "default", **kwargs) -> None:
    # Django creates permissions app by app in its own post_migrate handler; make sure
    # every app's exist (idempotent) before the role groups are set from them.
    from django.contrib.auth.management import create_permissions

    from newsroom.roles import sync_roles

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.core import checks

        from newsroom.security import check_proxy_hops

        post_migrate.connect(
            _sync_roles_after_migrate, sender=self, dispatch_uid="newsroom.sync_roles"
        )
        checks.register(check_proxy_hops, checks.Tags.security)
