"""Friendly error pages for people; JSON ``{"code", "detail"}`` under ``/api/``."""

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, title: str, message: str):
    if _is_api(request):
        return JsonResponse({"code": code, "detail": message}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("Bad request"), _("The request was not valid."))


def null_character(request, *, field: str):
    """A NUL character in ``field`` (``clinic.middleware.NullCharacterMiddleware``)."""
    message = str(ProhibitNullCharactersValidator.message)
    if _is_api(request):
        return JsonResponse(
            {"code": "invalid", "detail": f"{field}: {message}", "errors": {field: [message]}},
            status=400,
        )
    return _error(request, 400, "invalid", _("Bad request"), message)


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        "permission_denied",
        _("Not allowed"),
        _("You do not have permission to see this page."),
    )


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: a form sent without its valid token (it lay open too long, or
    cookies are off) gets the portal's page instead of Django's, which needs inline styles."""
    return _error(
        request,
        403,
        "csrf_failed",
        _("This form has expired"),
        _(
            "For your security, forms stop working after a while or when cookies are blocked. "
            "Go back, reload the page and send it again; if it keeps happening, allow cookies "
            "for this site."
        ),
    )


def not_found(request, exception=None):
    return _error(
        request,
        404,
        "not_found",
        _("Page not found"),
        _("We could not find that page. It may have moved, or the link may be mistyped."),
    )


def server_error(request):
    try:
        return _error(
            request,
            500,
            "server_error",
            _("Something went wrong"),
            _("Sorry, something went wrong on our side. Please try again in a few minutes."),
        )
    except Exception:
        return HttpResponseServerError(
            "<!doctype html><title>Server error</title><h1>Something went wrong</h1>",
            content_type="text/html",
        )
