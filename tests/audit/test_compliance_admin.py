"""The compliance view of the PHI access log: who may see and export it, its filters, the CSV
export (itself recorded), and the demo compliance officer."""

import csv
import io
from datetime import UTC, datetime
from importlib import import_module
from io import StringIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from audit import demo as audit_demo
from audit.context import AccessContext
from audit.models import Action, PhiAccess
from audit.services import phi_access_record
from clinic import demo as clinic_demo
from clinic.models import User
from tests.audit.conftest import rows
from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory
from triage.models import Assessment

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/phiaccess/"
EXPORT = "/admin/audit/phiaccess/export/"


def _compliance_officer(*, export: bool = True) -> User:
    codenames = ["view_phiaccess", "export_phiaccess"] if export else ["view_phiaccess"]
    group, _ = Group.objects.get_or_create(name="Compliance" if export else "Log readers")
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    officer = StaffFactory()
    officer.groups.add(group)
    return officer


def _record(actor, patient, action=Action.VIEW, *, channel="web", object_id="1", **extra):
    return phi_access_record(
        access=AccessContext(actor_id=actor.pk if actor else None, channel=channel, ip="192.0.2.9"),
        action=action,
        model=Assessment,
        object_id=object_id,
        patient_id=patient.pk if patient else None,
        **extra,
    )


@pytest.fixture
def history():
    """Some accesses: two patients, a staff member, a patient, an anonymous visitor."""
    ann, ben = PatientFactory(email="ann@example.org"), PatientFactory(email="ben@example.org")
    nurse = StaffFactory(email="nurse@example.org")
    with time_machine.travel(datetime(2026, 3, 2, 15, tzinfo=UTC), tick=False):
        _record(nurse, ann, object_id="a1")
        _record(ann, ann, object_id="a1", channel="api")
    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False):
        _record(nurse, None, Action.LIST, channel="admin", patient_ids=[ann.pk, ben.pk])
        _record(None, None, Action.CHANGE, object_id="anon")
        _record(ben, ann, Action.DENIED, object_id="a1")
    return {"ann": ann, "ben": ben, "nurse": nurse}


def _shown_ids(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def test_staff_without_the_permission_cannot_see_the_log(client, history):
    login_verified(client, StaffFactory())
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_a_reader_without_the_export_permission_sees_no_export(client, history):
    login_verified(client, _compliance_officer(export=False))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert EXPORT not in response.content.decode()
    assert client.get(EXPORT).status_code == 403


def test_the_log_lists_newest_first_read_only(client, history):
    login_verified(client, _compliance_officer())
    response = client.get(CHANGELIST)
    html = response.content.decode()
    assert _shown_ids(response) == [5, 4, 3, 2, 1]
    assert "Add PHI access" not in html
    assert 'name="action"' not in html.split('id="changelist-filter"')[0]  # no bulk actions
    assert f'href="{EXPORT}"' in html
    page = client.get(f"{CHANGELIST}1/change/").content.decode()
    assert 'name="_save"' not in page
    assert PhiAccess.objects.get(pk=1).hash in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"patient": "ann@example.org"}, [5, 3, 2, 1]),  # the list row names Ann among others
        ({"patient": "BEN@example.org"}, [3]),
        ({"actor": "nurse@example.org"}, [3, 1]),
        ({"actor": "anonymous"}, [4]),
        ({"action": "denied"}, [5]),
        ({"channel": "api"}, [2]),
        ({"from": "2026-03-03"}, [5, 4, 3]),
        ({"until": "2026-03-02"}, [2, 1]),
        ({"from": "2026-03-02", "until": "2026-03-02", "patient": "ann@example.org"}, [2, 1]),
        ({"patient": "nobody@example.org"}, []),
        ({"q": "a1"}, [5, 2, 1]),
    ],
)
def test_filters(client, history, query, expected):
    login_verified(client, _compliance_officer())
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert _shown_ids(response) == expected


def test_the_patient_filter_takes_an_id_too(client, history):
    login_verified(client, _compliance_officer())
    response = client.get(CHANGELIST, {"patient": str(history["ben"].pk)})
    assert _shown_ids(response) == [3]


def test_looking_at_the_log_is_itself_recorded(client, history):
    officer = _compliance_officer()
    login_verified(client, officer)
    client.get(CHANGELIST, {"patient": "ann@example.org"})
    row = PhiAccess.objects.order_by("-id").first()
    assert (row.action, row.object_type, row.actor_id, row.channel) == (
        "list",
        "audit.phiaccess",
        officer.pk,
        "admin",
    )
    assert row.patient_id == history["ann"].pk  # every row shown is about Ann
    assert row.detail == "4 shown of 4; patient=ann%40example.org"


def test_the_export_streams_the_filtered_rows_as_csv_and_is_recorded(client, history):
    officer = _compliance_officer()
    login_verified(client, officer)
    response = client.get(EXPORT, {"patient": "ann@example.org"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="phi-access-')
    assert response.streaming
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    ann, ben = history["ann"], history["ben"]
    assert [row["id"] for row in table] == ["1", "2", "3", "5"]
    first = table[0]
    stored = PhiAccess.objects.get(pk=1)
    assert first == {
        "id": "1",
        "time_utc": "2026-03-02T15:00:00.000000Z",
        "actor_id": str(history["nurse"].pk),
        "actor_email": "nurse@example.org",
        "action": "view",
        "channel": "web",
        "object_type": "triage.assessment",
        "object_id": "a1",
        "patient_id": str(ann.pk),
        "patient_email": "ann@example.org",
        "patients_listed": "",
        "ip": "192.0.2.9",
        "request_id": "",
        "detail": "",
        "previous_hash": stored.previous_hash,
        "hash": stored.hash,
    }
    assert table[2]["patients_listed"] == f"{min(ann.pk, ben.pk)} {max(ann.pk, ben.pk)}"
    export = rows(action=Action.EXPORT)
    assert [(r.actor_id, r.object_type, r.patient_id, r.detail) for r in export] == [
        (officer.pk, "audit.phiaccess", ann.pk, "4 rows; patient=ann%40example.org")
    ]


def test_the_export_quotes_text_a_spreadsheet_would_run(client, history):
    _record(history["nurse"], None, Action.LIST, detail='=HYPERLINK("http://x")')
    login_verified(client, _compliance_officer())
    response = client.get(EXPORT, {"action": "list"})
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[-1]["detail"] == '\'=HYPERLINK("http://x")'


def test_streaming_the_export_is_one_query_whatever_the_rows(client, django_assert_num_queries):
    nurse = StaffFactory()
    for n in range(30):
        _record(nurse, None, object_id=str(n))
    officer = _compliance_officer()
    login_verified(client, officer)
    response = client.get(EXPORT)
    with django_assert_num_queries(1):
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + 30  # the header and the rows before the export's own row


def _seed_demo() -> None:
    for app in (clinic_demo, audit_demo):
        app.seed(stdout=StringIO())


def test_the_demo_has_a_compliance_officer_and_staff_is_not_one():
    _seed_demo()
    officer = User.objects.get(email="compliance@example.com")
    staff = User.objects.get(email="staff@example.com")
    assert officer.is_staff
    assert officer.has_perm("audit.view_phiaccess")
    assert officer.has_perm("audit.export_phiaccess")
    assert not staff.has_perm("audit.view_phiaccess")
    assert officer.check_password("demo-pass-2026")
    assert officer.totpdevice_set.filter(confirmed=True).exists()
    _seed_demo()  # idempotent
    assert User.objects.filter(email="compliance@example.com").count() == 1
    assert list(officer.groups.values_list("name", flat=True)) == ["Compliance"]


def test_a_migration_makes_the_compliance_group():
    """So that production only adds people to it."""
    Group.objects.filter(name="Compliance").delete()
    import_module("audit.migrations.0003_compliance_group").create_group(django_apps, None)
    group = Group.objects.get(name="Compliance")
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "view_phiaccess",
        "export_phiaccess",
    }


def test_times_show_in_utc_whatever_the_server_zone(client, history, settings):
    settings.TIME_ZONE = "America/Chicago"
    login_verified(client, _compliance_officer())
    html = client.get(CHANGELIST).content.decode()
    assert "Time (UTC)" in html
    assert "2026-03-02 15:00:00" in html


def test_the_log_speaks_spanish_too(client, history):
    login_verified(client, _compliance_officer())
    html = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Exportar estas filas (CSV)" in html
    assert "id o correo electrónico" in html
