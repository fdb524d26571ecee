from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "kyodo.linkage"
    label = "linkage"
    verbose_name = "データ連携基盤 (linkage)"
