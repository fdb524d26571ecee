from django.apps import AppConfig


class AtenaConfig(AppConfig):
    name = "kyodo.atena"
    label = "atena"
    verbose_name = "宛名 (atena)"
