from django.apps import AppConfig


class KokuhoConfig(AppConfig):
    name = "kyodo.units.kokuho"
    label = "kokuho"
    verbose_name = "国民健康保険 (kokuho)"

    def ready(self) -> None:
        # Its own event types first (kokuho.*), then its subscriptions. The juki.* event types
        # are declared by their owner's ready(), which runs first (INSTALLED_APPS order); this
        # unit only subscribes by name.
        from kyodo.units.kokuho.events import declare_events
        from kyodo.units.kokuho.handlers import subscribe_all
        from kyodo.units.kokuho.parameters import declare_parameters

        declare_events()
        subscribe_all()
        declare_parameters()
