from django.apps import AppConfig


class IkoConfig(AppConfig):
    """移行 (data migration): a whole municipality out to and in from the standard layouts."""

    name = "kyodo.iko"
    label = "iko"
    verbose_name = "移行"
