from django.apps import AppConfig


class JukiConfig(AppConfig):
    name = "kyodo.units.juki"
    label = "juki"
    verbose_name = "住民記録 (juki)"
