from typing import Any

from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "kyodo.platform"
    label = "platform"
    verbose_name = "基盤 (platform)"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_migrate

        from kyodo.platform import checks  # noqa: F401  (registers system checks)
        from kyodo.platform.audit.signals import on_logged_in, on_logged_out

        post_migrate.connect(_after_migrate, dispatch_uid="kyodo-after-migrate")
        user_logged_in.connect(on_logged_in, dispatch_uid="kyodo-audit-login")
        user_logged_out.connect(on_logged_out, dispatch_uid="kyodo-audit-logout")


def _after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # post_migrate is sent once per app, after all migrations ran; act once, for the platform.
    if getattr(sender, "label", None) != "platform":
        return
    from kyodo.platform.accounts.services import roles_sync
    from kyodo.platform.tenancy.guard import apply_tenant_guards

    roles_sync()
    apply_tenant_guards(using=using)
