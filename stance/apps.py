from django.apps import AppConfig


class StanceConfig(AppConfig):
    name = "stance"
    verbose_name = "Stance analysis"

    def ready(self) -> None:
        from django.core import checks

        from stance.caching import check_shared_cache

        checks.register(check_shared_cache)
