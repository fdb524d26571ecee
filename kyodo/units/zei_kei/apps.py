from django.apps import AppConfig


class ZeiKeiConfig(AppConfig):
    name = "kyodo.units.zei_kei"
    label = "zei_kei"
    verbose_name = "軽自動車税 (zei_kei)"

    def ready(self) -> None:
        # Its own event type first, then its subscriptions to juki.* (declared by juki's
        # ready(), which runs first in INSTALLED_APPS order).
        from kyodo.units.zei_kei.events import declare_events
        from kyodo.units.zei_kei.handlers import subscribe_all
        from kyodo.units.zei_kei.parameters import declare_parameters

        declare_events()
        subscribe_all()
        declare_parameters()
