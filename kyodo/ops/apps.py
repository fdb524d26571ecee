from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kyodo.ops"
    label = "ops"
    verbose_name = "運用（バックアップ・ダウンリカバリ・自己診断）"
