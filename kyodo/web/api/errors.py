"""One error shape for the API: {"error": message, "field": …, "source": …}."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from kyodo.platform.errors import KyodoError, NotFound, PermissionDenied, ValidationFailed

STATUS = {ValidationFailed: 422, NotFound: 404, PermissionDenied: 403}


def register(api: NinjaAPI) -> None:
    @api.exception_handler(KyodoError)
    def kyodo_error(request: HttpRequest, exc: KyodoError) -> HttpResponse:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)
        return api.create_response(
            request, {"error": exc.reason, "field": exc.field, "source": exc.source}, status=status
        )

    @api.exception_handler(SchemaError)
    def schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "payload"))
        return api.create_response(
            request,
            {
                "error": first.get("msg", "入力が正しくありません"),
                "field": where or None,
                "source": "request",
                "errors": exc.errors,
            },
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"error": "ログインしていません", "field": None, "source": None}, status=401
        )
