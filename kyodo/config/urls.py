"""Top-level URL map: the web shell and health probes."""

from django.urls import include, path

urlpatterns = [
    path("", include("kyodo.web.urls")),
]

handler403 = "kyodo.web.views.errors.forbidden"
handler404 = "kyodo.web.views.errors.not_found"
