from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kyodo.web"
    label = "web"
    verbose_name = "画面 (web)"
