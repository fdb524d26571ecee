from django.apps import AppConfig


class ShunoConfig(AppConfig):
    name = "kyodo.units.shuno"
    label = "shuno"
    verbose_name = "収滞納 (shuno)"
