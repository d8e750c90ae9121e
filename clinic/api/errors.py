"""One exception handler for the whole API: every error is JSON with ``code`` and ``detail``.

Validation errors are a 400 with ``errors`` keyed by field (nested for nested input) and a
``detail`` that names the first offending field. Domain errors (``ClinicError``) carry their
own code and status.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from clinic.errors import ClinicError

# Stable codes for DRF's own exceptions, so clients never depend on DRF internals.
_CODES = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documented in the OpenAPI schema)."""

    code = serializers.CharField(help_text="Stable machine-readable error code.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    errors = serializers.DictField(
        required=False,
        help_text="For validation errors: messages keyed by field name (nested for nested input).",
    )


def _first_error(errors: Any, path: tuple[str, ...] = ()) -> tuple[str, str]:
    """Walk DRF's error structure to the first message and the dotted path of its field."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            return _first_error(value, (*path, str(key)))
    if isinstance(errors, list) and errors:
        first = errors[0]
        if isinstance(first, dict | list):
            return _first_error(first, (*path, "0"))
        return ".".join(path), str(first)
    return ".".join(path), str(errors)


def validation_error_response(errors: Any, status: int = 400) -> Response:
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
    field, message = _first_error(errors)
    detail = f"{field}: {message}" if field and field != "non_field_errors" else message
    return Response({"code": "invalid", "detail": detail, "errors": errors}, status=status)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ClinicError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.detail}
        if exc.field:
            body["errors"] = {exc.field: [exc.detail]}
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "payload_too_large", "detail": _("The request body is too large.")},
            status=413,
        )
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return validation_error_response(errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        response = validation_error_response(exc.detail)
        return response

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = {"code": code, "detail": str(detail)}
    return response
