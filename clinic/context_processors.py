from django.conf import settings


def branding(request) -> dict:
    return {
        "CLINIC_NAME": settings.CLINIC_NAME,
        "CLINIC_LOGO_TEXT": settings.CLINIC_LOGO_TEXT,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
        "CLINIC_EMERGENCY_NUMBER": settings.CLINIC_EMERGENCY_NUMBER,
    }
