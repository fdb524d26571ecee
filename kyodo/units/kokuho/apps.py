from django.apps import AppConfig


class KokuhoConfig(AppConfig):
    name = "kyodo.units.kokuho"
    label = "kokuho"
    verbose_name = "国民健康保険 (kokuho)"
