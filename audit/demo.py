"""Demo data of the audit trail: the "Compliance" group and compliance@example.com in it, with the
demo password and the demo authenticator (the same key as staff@example.com's, so
``manage.py demo_totp_code`` prints its code too). staff@example.com is not in the group."""

from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_DEVICE_NAME, DEMO_TOTP_KEY_HEX, _user

COMPLIANCE_GROUP = "Compliance"
COMPLIANCE_PERMISSIONS = ["view_phiaccess", "export_phiaccess"]


def seed(*, stdout) -> None:
    group, _ = Group.objects.get_or_create(name=COMPLIANCE_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="audit", codename__in=COMPLIANCE_PERMISSIONS
        )
    )
    officer = _user(
        "compliance@example.com", first_name="Casey", last_name="Compliance", is_staff=True
    )
    officer.groups.set([group])
    TOTPDevice.objects.update_or_create(
        user=officer,
        name=DEMO_TOTP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )
    stdout.write(
        f"Compliance officer (password {DEMO_PASSWORD}, same authenticator as staff): "
        "compliance@example.com reads and exports the PHI access log at "
        "/admin/audit/phiaccess/"
    )
