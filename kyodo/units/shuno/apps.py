from django.apps import AppConfig


class ShunoConfig(AppConfig):
    name = "kyodo.units.shuno"
    label = "shuno"
    verbose_name = "収滞納 (shuno)"

    def ready(self) -> None:
        # The tax units come before shuno in INSTALLED_APPS: their events are declared.
        from kyodo.units.shuno.handlers import subscribe_all

        subscribe_all()
