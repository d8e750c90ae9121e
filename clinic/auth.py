"""Glue between django-axes and our e-mail log-in."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


def axes_username(request, credentials: dict | None) -> str:
    """Count failures per account whatever the letter case the visitor typed."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    if not raw and request is not None:
        data = getattr(request, "POST", {}) or {}
        raw = data.get("username") or data.get("email") or ""
    return str(raw).strip().lower()


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out visitor sees: JSON under /api/, the lockout page elsewhere.

    It never says whether the account exists: an unknown address locks the same way.
    """
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    minutes = int(cool_off.total_seconds() // 60)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "code": "account_locked",
                "detail": _(
                    "Too many failed log-in attempts. This account is locked for %(minutes)d "
                    "minutes; try again later or reset your password."
                )
                % {"minutes": minutes},
            },
            status=LOCKOUT_STATUS,
        )
    else:
        response = render(
            request, "registration/locked_out.html", {"minutes": minutes}, status=LOCKOUT_STATUS
        )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
