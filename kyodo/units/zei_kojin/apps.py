from django.apps import AppConfig


class ZeiKojinConfig(AppConfig):
    name = "kyodo.units.zei_kojin"
    label = "zei_kojin"
    verbose_name = "個人住民税 (zei_kojin)"

    def ready(self) -> None:
        from kyodo.units.zei_kojin.events import declare_events
        from kyodo.units.zei_kojin.handlers import subscribe_all
        from kyodo.units.zei_kojin.parameters import declare_parameters

        declare_events()
        subscribe_all()
        declare_parameters()
