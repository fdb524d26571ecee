from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kyodo.ops"
    label = "ops"
    verbose_name = "運用（バックアップ・ダウンリカバリ・自己診断）"

    def ready(self) -> None:
        from prometheus_client import REGISTRY

        from kyodo.ops.metrics import KyodoCollector

        if not any(isinstance(c, KyodoCollector) for c in list(REGISTRY._collector_to_names)):
            REGISTRY.register(KyodoCollector())
