"""The admin site: staff reach it only with a session verified by two-step verification."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class ClinicAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not settings.MFA_REQUIRED_FOR_STAFF

    def login(self, request, extra_context=None):
        """Send people to the portal's log-in (lockout, MFA) instead of a second log-in form."""
        target = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return redirect(reverse("clinic:mfa-verify") + "?" + urlencode({"next": target}))
        if request.user.is_authenticated:
            # A patient: the portal's log-in would send them straight back here (a loop).
            raise PermissionDenied
        return redirect(reverse("clinic:login") + "?" + urlencode({"next": target}))

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = settings.CLINIC_NAME
        context["site_title"] = settings.CLINIC_NAME
        return context
