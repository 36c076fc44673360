from django.apps import AppConfig


class StanceConfig(AppConfig):
    name = "stance"
    verbose_name = "Stance analysis"
