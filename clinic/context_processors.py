from django.conf import settings


def branding(request) -> dict:
    return {
        "CLINIC_NAME": settings.CLINIC_NAME,
        "CLINIC_LOGO_TEXT": settings.CLINIC_LOGO_TEXT,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
        "CLINIC_EMERGENCY_NUMBER": settings.CLINIC_EMERGENCY_NUMBER,
    }


def session_timeout(request) -> dict:
    """Seconds of idle time the page may show before warning (read by session-timeout.js)."""
    from clinic.middleware import idle_timeout_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "SESSION_IDLE_SECONDS": idle_timeout_for(user),
        "SESSION_WARNING_SECONDS": settings.SESSION_IDLE_WARNING,
    }
