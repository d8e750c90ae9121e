"""Staff-facing times (``clinic.admin_display``, shown here through the booking, audit and
account admins): in the zone of the row's location, the zone named, through one helper
(``clinic.admin_display.staff_time``); rows without a location in the staff member's own
location's zone, else the clinic's default one."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.admin_display import staff_time
from scheduling.models import Appointment
from scheduling.services import appointment_cancel
from tests.conftest import login_verified
from tests.factories import LocationFactory, PatientFactory, StaffFactory
from tests.scheduling.helpers import book

# Houston: CDT (UTC-5) until 2026-11-01 2:00, then CST (UTC-6).
BEFORE_FALL_BACK = date(2026, 10, 30)  # a Friday on CDT
AFTER_FALL_BACK = date(2026, 11, 2)  # a Monday on CST
WINTER_DAY = date(2026, 12, 1)  # a Tuesday on CST


@pytest.fixture
def desk(client, houston):
    staff = StaffFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="scheduling"))
    staff.served_locations.set([houston])
    login_verified(client, staff)
    return client


def _book(physician, houston, kind, day, clock=time(10)):
    return book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=kind,
        day=day,
        clock=clock,
    )


def test_the_helper_names_the_zone_and_follows_the_location(houston, lawrenceville):
    ten_cst = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert staff_time(ten_cst, houston) == "Dec 1, 2026, 10:00 AM Central Time (Houston)"
    assert staff_time(ten_cst, lawrenceville) == (
        f"Dec 1, 2026, 11:00 AM Eastern Time ({lawrenceville.city})"
    )
    assert staff_time(None, houston) == "—"


def test_a_10_am_cst_appointment_reads_10_am_central_in_the_list_and_its_history(
    desk, physician, houston, consultation
):
    with time_machine.travel(datetime(2026, 11, 20, 15, 23, tzinfo=UTC), tick=False):
        appointment = _book(physician, houston, consultation, WINTER_DAY)
        appointment_cancel(appointment=appointment, actor=appointment.patient)

    listing = desk.get(reverse("admin:scheduling_appointment_changelist")).content.decode()
    assert "Dec 1, 2026, 10:00 AM Central Time (Houston)" in listing

    page = desk.get(
        reverse("admin:scheduling_appointment_change", args=[appointment.pk])
    ).content.decode()
    assert "Dec 1, 2026, 10:00 AM Central Time (Houston)" in page  # start, and the history
    assert "Nov 20, 2026, 9:23 AM Central Time (Houston)" in page  # booked / cancelled at
    assert "3:23 p.m." not in page
    assert "15:23" not in page


def test_both_sides_of_the_fall_back_read_ten_oclock(desk, physician, houston, consultation):
    with time_machine.travel(datetime(2026, 10, 1, 12, tzinfo=UTC), tick=False):
        before = _book(physician, houston, consultation, BEFORE_FALL_BACK)
        after = _book(physician, houston, consultation, AFTER_FALL_BACK)
    assert (before.start.hour, after.start.hour) == (15, 16)  # UTC: an hour apart

    listing = desk.get(reverse("admin:scheduling_appointment_changelist")).content.decode()
    assert "Oct 30, 2026, 10:00 AM Central Time (Houston)" in listing
    assert "Nov 2, 2026, 10:00 AM Central Time (Houston)" in listing


def test_the_notification_outbox_shows_local_times(desk, physician, houston, consultation):
    with time_machine.travel(datetime(2026, 11, 20, 15, 23, tzinfo=UTC), tick=False):
        _book(physician, houston, consultation, WINTER_DAY)
    listing = desk.get(reverse("admin:scheduling_notification_changelist")).content.decode()
    assert "Nov 20, 2026, 9:23 AM Central Time (Houston)" in listing  # booked: sent at once
    assert "Nov 30, 2026, 10:00 AM Central Time (Houston)" in listing  # the reminder's due time


def _log_reader(*locations):
    group, _ = Group.objects.get_or_create(name="Compliance")
    group.permissions.set(
        Permission.objects.filter(codename__in=["view_phiaccess", "export_phiaccess"])
    )
    reader = StaffFactory()
    reader.groups.add(group)
    reader.served_locations.set(locations)
    return reader


def test_an_audit_log_row_is_labelled_in_the_readers_zone(client, houston, lawrenceville):
    patient = PatientFactory()
    with time_machine.travel(datetime(2026, 12, 1, 16, 0, tzinfo=UTC), tick=False):
        phi_access_record(
            access=AccessContext(actor_id=patient.pk, channel="web", ip="192.0.2.9"),
            action=Action.VIEW,
            model=Appointment,
            object_id="1",
            patient_id=patient.pk,
        )

    login_verified(client, _log_reader(houston))
    html = client.get("/admin/audit/phiaccess/").content.decode()
    assert "Dec 1, 2026, 10:00 AM Central Time (Houston)" in html
    assert "2026-12-01 16:00:00" in html  # the UTC column stays for exact reading

    client.logout()
    login_verified(client, _log_reader())  # serves no location: the clinic's default zone
    html = client.get("/admin/audit/phiaccess/").content.decode()
    assert "Dec 1, 2026, 11:00 AM Eastern Time" in html


def test_accounts_show_when_they_joined_in_the_readers_zone(client, houston, settings):
    settings.CLINIC_DEFAULT_LOCATION = "nowhere"
    LocationFactory(slug="default-place", timezone="America/Denver", city="Denver", sort_order=0)
    with time_machine.travel(datetime(2026, 12, 1, 16, 0, tzinfo=UTC), tick=False):
        patient = PatientFactory()
    admin = StaffFactory(is_superuser=True)
    admin.served_locations.set([houston])
    login_verified(client, admin)
    listing = client.get(reverse("admin:clinic_user_changelist")).content.decode()
    assert "Dec 1, 2026, 10:00 AM Central Time (Houston)" in listing
    page = client.get(reverse("admin:clinic_user_change", args=[patient.pk])).content.decode()
    assert "Dec 1, 2026, 10:00 AM Central Time (Houston)" in page


def test_patients_read_the_zone_by_its_everyday_name_in_the_calendar_file(
    client, physician, houston, consultation
):
    with time_machine.travel(datetime(2026, 11, 20, 15, 23, tzinfo=UTC), tick=False):
        appointment = _book(physician, houston, consultation, WINTER_DAY)
        client.force_login(appointment.patient)
        content = client.get(reverse("scheduling:calendar", args=[appointment.pk])).content.decode()
    unfolded = content.replace("\r\n ", "")
    assert "Tuesday\\, December 1\\, 2026\\, 10:00 AM Central Time (Houston)" in unfolded
    assert "America/Chicago" not in unfolded
