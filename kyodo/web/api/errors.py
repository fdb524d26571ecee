"""One error shape for the API: {"error": message, "field": …, "source": …}."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from kyodo.platform.errors import KyodoError, NotFound, PermissionDenied, ValidationFailed

STATUS = {ValidationFailed: 422, NotFound: 404, PermissionDenied: 403}


def register(api: NinjaAPI) -> None:
    @api.exception_handler(KyodoError)
    def kyodo_error(request: HttpRequest, exc: KyodoError) -> HttpResponse:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        return api.create_response(
            request, {"error": exc.reason, "field": exc.field, "source": exc.source}, status=status
        )
