"""Top-level URL map: the web shell, health probes and /metrics."""

from django.urls import include, path

from kyodo.ops.views import metrics

urlpatterns = [
    path("metrics", metrics, name="metrics"),
    path("", include("kyodo.web.urls")),
]

handler403 = "kyodo.web.views.errors.forbidden"
handler404 = "kyodo.web.views.errors.not_found"
