from django.apps import AppConfig


class JukiConfig(AppConfig):
    name = "kyodo.units.juki"
    label = "juki"
    verbose_name = "住民記録 (juki)"

    def ready(self) -> None:
        from kyodo.units.juki.events import declare_events

        declare_events()
