from django.apps import AppConfig


class MadoguchiConfig(AppConfig):
    name = "kyodo.madoguchi"
    label = "madoguchi"
    verbose_name = "総合窓口 (madoguchi)"
