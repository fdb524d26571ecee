from django.apps import AppConfig


class KyogikaiConfig(AppConfig):
    name = "kyodo.kyogikai"
    label = "kyogikai"
    verbose_name = "協議会"
    default_auto_field = "django.db.models.BigAutoField"
