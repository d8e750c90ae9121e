"""Demo data of the audit trail: the "Compliance" group that reads and exports the PHI access
log (migration 0003 makes it; a database emptied since has lost it). Its demo member,
compliance@example.com, is one of the demo accounts ``clinic.demo`` makes."""

from django.contrib.auth.models import Group, Permission

COMPLIANCE_GROUP = "Compliance"
COMPLIANCE_PERMISSIONS = ["view_phiaccess", "export_phiaccess"]


def compliance_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COMPLIANCE_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="audit", codename__in=COMPLIANCE_PERMISSIONS
        )
    )
    return group


def seed(*, stdout) -> None:
    compliance_group()
