from django.apps import AppConfig


class ZeiKoteiConfig(AppConfig):
    name = "kyodo.units.zei_kotei"
    label = "zei_kotei"
    verbose_name = "固定資産税 (zei_kotei)"

    def ready(self) -> None:
        # Its own event type first, then its subscription (juki.died, declared by juki's
        # ready(), which runs first in INSTALLED_APPS order).
        from kyodo.units.zei_kotei.events import declare_events
        from kyodo.units.zei_kotei.handlers import subscribe_all
        from kyodo.units.zei_kotei.parameters import declare_parameters

        declare_events()
        subscribe_all()
        declare_parameters()
