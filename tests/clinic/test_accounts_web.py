import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import PatientProfile, User
from clinic.services import email_verification_token
from tests.factories import PASSWORD, LocationFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "New.Patient@Example.org",
    "first_name": "Ana",
    "last_name": "Lopez",
    "date_of_birth": "1980-02-03",
    "phone": "(713) 555-0123",
    "preferred_location": "",
    "preferred_language": "es",
    "password1": "a long and memorable passphrase",
    "password2": "a long and memorable passphrase",
}


def login(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_email_is_unique_regardless_of_case():
    UserFactory(email="ana@example.org")
    duplicate = User(email="ANA@example.org")
    duplicate.set_password(PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_signup_creates_a_patient_logs_in_and_sends_a_verification_email(
    client, django_capture_on_commit_callbacks
):
    location = LocationFactory(slug="houston-tx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {**SIGNUP, "preferred_location": location.slug})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    user = User.objects.get()
    assert user.email == "new.patient@example.org"
    assert user.check_password(SIGNUP["password1"])
    assert not user.email_verified
    profile = PatientProfile.objects.get(user=user)
    assert (profile.phone, str(profile.date_of_birth), profile.preferred_language) == (
        "(713) 555-0123",
        "1980-02-03",
        "es",
    )
    assert profile.preferred_location == location
    assert response.cookies["django_language"].value == "es"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.patient@example.org"]
    assert client.get("/dashboard/").status_code == 200


BOOKING = "/appointments/?location=houston-tx&type=new-consultation"


def test_signup_from_the_log_in_page_keeps_where_the_visitor_was_going(client):
    """A visitor sent to log in on the way to booking signs up instead and lands on the booking
    page, not on the dashboard."""
    log_in_page = client.get("/accounts/login/", {"next": BOOKING}).content.decode()
    link = re.search(r'href="(/accounts/signup/[^"]*)">Create an account<', log_in_page)[1]
    assert link == (
        "/accounts/signup/?next=/appointments/%3Flocation%3Dhouston-tx%26type%3Dnew-consultation"
    )

    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<input type="hidden" name="next" value="{BOOKING.replace("&", "&amp;")}">' in form
    response = client.post("/accounts/signup/", {**SIGNUP, "next": BOOKING})
    assert response.status_code == 302
    assert response["Location"] == BOOKING
    assert client.get(BOOKING).status_code == 200


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/"])
def test_signup_never_sends_to_another_site(client, target):
    response = client.post("/accounts/signup/", {**SIGNUP, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_signup_with_an_existing_email_in_another_case_is_a_form_error(client):
    UserFactory(email="new.patient@example.org")
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_signup_refuses_a_common_password(client):
    response = client.post(
        "/accounts/signup/", {**SIGNUP, "password1": "password123", "password2": "password123"}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.exists()


def test_password_validators_accept_a_64_character_passphrase_and_refuse_common_ones():
    passphrase = "correct horse battery staple and a violin under the kitchen table!"[:64]
    assert len(passphrase) == 64
    password_validation.validate_password(passphrase)
    with pytest.raises(ValidationError):
        password_validation.validate_password("qwertyuiop")


def test_email_verification_link_marks_the_address_verified(client):
    user = PatientFactory()
    response = client.get(f"/accounts/verify-email/{email_verification_token(user=user)}/")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_verified


def test_a_tampered_or_stale_verification_link_is_refused(client):
    user = PatientFactory()
    token = email_verification_token(user=user)
    assert client.get(f"/accounts/verify-email/{token}x/").status_code == 400
    user.email = "changed@example.org"
    user.save()
    assert client.get(f"/accounts/verify-email/{token}/").status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_verification_link_carries_no_email_address():
    user = PatientFactory(email="private.person@example.org")
    token = email_verification_token(user=user)
    assert "private" not in token
    import base64

    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"private" not in decoded


def test_login_is_case_insensitive_and_sets_the_preferred_language(client):
    user = PatientFactory(email="pat@example.org", profile__preferred_language="es")
    response = login(client, "PAT@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_unknown_email_and_wrong_password_look_the_same(client):
    PatientFactory(email="pat@example.org")
    wrong = login(client, "pat@example.org", "not-the-password")
    unknown = login(client, "nobody@example.org", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_five_failures_lock_the_account_for_15_minutes_then_it_unlocks(client):
    PatientFactory(email="pat@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert login(client, "pat@example.org", "wrong-password").status_code == 200
        fifth = login(client, "pat@example.org", "wrong-password")
        assert fifth.status_code == 429
        locked = login(client, "pat@example.org", PASSWORD)
        assert locked.status_code == 429
        assert "locked" in locked.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert login(client, "pat@example.org", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = login(client, "pat@example.org", PASSWORD)
        assert response.status_code == 302
        assert "_auth_user_id" in client.session


def test_lockout_counts_failures_in_any_letter_case(client):
    PatientFactory(email="pat@example.org")
    for email in [
        "pat@example.org",
        "PAT@example.org",
        "Pat@Example.org",
        "pat@EXAMPLE.org",
        "PAT@EXAMPLE.ORG",
    ]:
        login(client, email, "wrong-password")
    assert login(client, "pat@example.org", PASSWORD).status_code == 429


def test_password_reset_by_email(client):
    from knox.models import AuthToken

    user = PatientFactory(email="pat@example.org")
    AuthToken.objects.create(user=user)
    response = client.post("/accounts/password-reset/", {"email": "Pat@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a brand new long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert not AuthToken.objects.filter(user=user).exists()
    client.logout()
    assert login(client, "pat@example.org", new).status_code == 302


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_edit_updates_name_phone_location_and_language(client):
    user = PatientFactory()
    location = LocationFactory(slug="lawrenceville-nj")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Maria",
            "last_name": "Gomez",
            "date_of_birth": "1975-06-01",
            "phone": "(609) 555-0177",
            "preferred_location": "lawrenceville-nj",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Maria", "Gomez")
    profile = user.patient_profile
    assert (profile.phone, profile.preferred_location, profile.preferred_language) == (
        "(609) 555-0177",
        location,
        "es",
    )


def test_profile_refuses_a_birth_date_in_the_future(client):
    user = PatientFactory()
    client.force_login(user)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        "/accounts/profile/",
        {"first_name": "A", "last_name": "B", "date_of_birth": future, "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors


def test_dashboard_and_profile_need_a_login(client):
    for url in ["/dashboard/", "/accounts/profile/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_logout_ends_the_session(client):
    client.force_login(PatientFactory())
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_pages_render_in_spanish(client):
    client.cookies["django_language"] = "es"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
