"""A staff member's mobile for alerts is typed in the admin any usual way and stored in E.164,
which the SMS alert channel texts."""

import pytest
from django.test import Client

from tests.clinic.admin_forms import user_change_post
from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory


@pytest.fixture
def admin(db):
    client = Client()
    login_verified(client, StaffFactory(is_superuser=True))
    return client


def test_the_mobile_for_alerts_is_stored_in_e164_and_shown_as_written(admin):
    responder = PatientFactory(is_staff=True)  # the change form helper posts a profile too
    url, data = user_change_post(admin, responder, alert_phone="(713) 555-0199")
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    responder.refresh_from_db()
    assert responder.alert_phone == "+17135550199"
    assert 'value="(713) 555-0199"' in admin.get(url).content.decode()


def test_a_mobile_that_is_no_phone_number_is_refused_on_its_field(admin):
    responder = PatientFactory(is_staff=True)  # the change form helper posts a profile too
    url, data = user_change_post(admin, responder, alert_phone="call me maybe")
    response = admin.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["alert_phone"]
    responder.refresh_from_db()
    assert responder.alert_phone == ""
