"""Request ids, session timeouts and the staff MFA gate.

All three act on the browser session only: API calls with ``Authorization: Token`` are
authenticated later by DRF and never see a session user here.
"""

import logging
import os
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from clinic import selectors

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_META = "HTTP_X_REQUEST_ID"  # the header's name in ``request.META``
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

SESSION_STARTED = "clinic_session_started"
SESSION_LAST_ACTIVITY = "clinic_last_activity"
# Writing the session on every request costs a database write; this much precision is plenty.
ACTIVITY_GRANULARITY = 15


class RequestIdMiddleware:
    """Give every request an id and echo it back. Behind proxies we were told of (DRF's
    ``NUM_PROXIES``, the setting that also decides whose ``X-Forwarded-For`` is believed) the
    proxy's ``X-Request-ID`` is kept when sane, so its access log and ours share the id; a
    client talking to us directly could put anything in that header (another request's id,
    to muddle the PHI access log), so without proxies it is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def request_id_for(request) -> str:
        """Give ``request`` its id (``request.request_id``) and return it."""
        incoming = request.META.get(_REQUEST_ID_META, "") if api_settings.NUM_PROXIES else ""
        # 32 random hex digits, as ``uuid.uuid4().hex`` but without building a UUID.
        request.request_id = incoming if _REQUEST_ID_OK.match(incoming) else os.urandom(16).hex()
        return request.request_id

    def __call__(self, request):
        self.request_id_for(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class PrivateResponseMiddleware:
    """``Cache-Control: no-store, private`` on every response that may carry someone's own
    data: any request with a session cookie (a signed-in patient or staff member, or a visitor
    whose session holds a symptom check), any response that sets one, and any API request with
    credentials. Neither the browser's cache nor a shared one keeps a copy of a dashboard, a
    profile, an appointment or a result. Responses marked ``public`` (the public location,
    physician and article API, the same for everyone) keep their caching.

    It sits outside the session middleware, so it sees the session cookie a response sets, and
    decides without loading the session or the user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cookie = settings.SESSION_COOKIE_NAME
        personal = (
            cookie in request.COOKIES
            or cookie in response.cookies
            or "HTTP_AUTHORIZATION" in request.META
        )
        if personal and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _session_user(request):
    """The logged-in user of the browser session, or ``None``.

    A request without a session cookie is anonymous: answering so without touching the
    session keeps public responses free of ``Vary: Cookie``, so caches and CDNs can share them.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def idle_timeout_for(user) -> int:
    """Seconds of inactivity after which the user's session ends."""
    return (
        settings.SESSION_IDLE_TIMEOUT_STAFF
        if user.is_staff
        else settings.SESSION_IDLE_TIMEOUT_PATIENT
    )


def session_seconds_left(request, now: float | None = None) -> int:
    """How long the current session has before idle or absolute expiry, whichever is first."""
    now = time.time() if now is None else now
    session = request.session
    last = session.get(SESSION_LAST_ACTIVITY, now)
    started = session.get(SESSION_STARTED, now)
    idle_left = idle_timeout_for(request.user) - (now - last)
    absolute_left = settings.SESSION_ABSOLUTE_LIFETIME - (now - started)
    return max(0, int(min(idle_left, absolute_left)))


class SessionTimeoutMiddleware:
    """Log out after the idle timeout (staff 15, patients 30 minutes) or the absolute lifetime.

    Requests marked passive (the session-status poll of the timeout warning) do not count as
    activity.
    """

    PASSIVE_PATHS = ("/accounts/session/status/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _session_user(request) is not None:
            now = time.time()
            session = request.session
            session.setdefault(SESSION_STARTED, now)
            session.setdefault(SESSION_LAST_ACTIVITY, now)
            if session_seconds_left(request, now) <= 0:
                return self._expired(request)
            if request.path not in self.PASSIVE_PATHS and (
                now - session[SESSION_LAST_ACTIVITY] >= ACTIVITY_GRANULARITY
            ):
                session[SESSION_LAST_ACTIVITY] = now
        return self.get_response(request)

    def _expired(self, request):
        logger.info("session of user %s expired", request.user.pk)
        logout(request)
        detail = _("You were logged out because your session expired. Please log in again.")
        if _is_api(request):
            return JsonResponse({"code": "session_expired", "detail": detail}, status=401)
        messages.info(request, detail)
        login_url = reverse("clinic:login")
        if request.method == "GET":
            login_url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(login_url)


class MFAEnforcementMiddleware:
    """Staff must enrol and use TOTP; a patient who enrolled must use it too.

    Until the session is verified only the MFA pages, log-out and static files are reachable.
    """

    EXEMPT_PREFIXES = (
        "/accounts/mfa/",
        "/accounts/logout/",
        "/static/",
        "/i18n/",
        "/healthz",
        "/readyz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _session_user(request)
        if (
            user is not None
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            has_device = selectors.mfa_has_device(user=user)
            if has_device or (user.is_staff and settings.MFA_REQUIRED_FOR_STAFF):
                return self._challenge(request, enrol=not has_device)
        return self.get_response(request)

    def _challenge(self, request, *, enrol: bool):
        if _is_api(request):
            return JsonResponse(
                {
                    "code": "mfa_required",
                    "detail": _("Two-step verification is required for this account."),
                },
                status=403,
            )
        target = reverse("clinic:mfa-setup" if enrol else "clinic:mfa-verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def _null_character_field(request) -> str | None:
    """The first query parameter or form field (or the path) holding a NUL character."""
    if "\x00" in request.path_info:
        return "path"
    sources = [request.GET]
    if not _is_api(request) and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "")
    return None


class NullCharacterMiddleware:
    """A NUL character in the path, a query parameter or a form field is a 400 before any view
    runs (JSON under ``/api/``, the error page elsewhere; API bodies are checked by
    ``clinic.api.parsers``). PostgreSQL text cannot hold it: a lookup with one (a slug filter,
    a choice field backed by a query, the admin's search) fails as a database error, a 500,
    instead of finding nothing. No real input contains one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _null_character_field(request)
        if field is None:
            return self.get_response(request)
        from clinic.errors_views import null_character

        return null_character(request, field=field)
