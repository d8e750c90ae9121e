import pytest

from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_the_admin_client_fixture_reaches_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200


def test_staff_with_a_verified_session_and_a_permission_see_only_what_they_may(client):
    from django.contrib.auth.models import Permission

    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="view_location"))
    login_verified(client, staff)
    assert client.get("/admin/clinic/location/").status_code == 200
    assert client.get("/admin/clinic/user/").status_code == 403


def test_staff_without_verification_are_sent_to_verify_not_to_a_second_login_form(client):
    staff = StaffFactory()
    login_verified(client, staff)
    client.logout()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/verify/")


def test_anonymous_admin_visitors_go_to_the_portal_login(client):
    response = client.get("/admin/clinic/location/", follow=True)
    assert response.redirect_chain[-1] == (
        "/accounts/login/?next=%2Fadmin%2Fclinic%2Flocation%2F",
        302,
    )
    assert response.status_code == 200


def test_a_logged_in_patient_asking_for_the_admin_is_refused_not_sent_round_in_circles(client):
    client.force_login(PatientFactory())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
