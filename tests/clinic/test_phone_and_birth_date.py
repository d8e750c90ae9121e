"""Sign-up, the profile page and the API take only a plausible date of birth (not in the future,
at most 120 years ago) and a phone number the clinic can call, stored in E.164 (issue 15,
item 3). ``clinic.phones`` is the one place numbers are read."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from clinic.models import PatientProfile, User
from clinic.phones import phone_display, phone_normalise
from clinic.validators import validate_date_of_birth
from tests.clinic.admin_forms import user_change_post
from tests.clinic.test_signup_flow import PASSWORD, SIGNUP
from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

REGISTER = {
    "email": "ana@example.org",
    "password": PASSWORD,
    "first_name": "Ana",
    "last_name": "Lopez",
}
BAD_PHONE = (
    "Enter a phone number we can call, such as (609) 555-0100, or +52 55 1234 5678 from "
    "outside the US."
)
FUTURE = "The date of birth is in the future."
TOO_OLD = "Enter a date of birth within the last 120 years."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(609) 555-0142", "+16095550142"),
        ("609.555.0142", "+16095550142"),
        ("6095550142", "+16095550142"),
        ("+1 609 555 0142", "+16095550142"),
        ("1-609-555-0142", "+16095550142"),
        ("+52 55 1234 5678", "+525512345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["call me maybe", "555-0100", "123", "(000) 555-0142", "+1 609 555 01429999", "x" * 40]
)
def test_what_is_not_a_callable_number_is_refused(typed):
    with pytest.raises(ValidationError) as refusal:
        phone_normalise(typed)
    assert refusal.value.messages == [BAD_PHONE]


def test_numbers_without_a_country_code_are_read_in_the_configured_region(settings):
    settings.PHONE_DEFAULT_REGION = "MX"
    assert phone_normalise("55 1234 5678") == "+525512345678"
    assert phone_display("+525512345678") == "55 1234 5678"
    assert phone_display("+16095550142") == "+1 609-555-0142"


def test_stored_numbers_are_shown_as_people_write_them():
    assert phone_display("+16095550142") == "(609) 555-0142"
    assert phone_display("+442079460958") == "+44 20 7946 0958"
    assert phone_display("call me maybe") == "call me maybe"
    assert phone_display("") == ""


def test_a_date_of_birth_is_between_today_and_120_years_ago():
    with time_machine.travel(date(2026, 10, 5), tick=False):
        validate_date_of_birth(date(2026, 10, 5))  # a newborn
        validate_date_of_birth(date(1906, 10, 5))  # 120 today
        with pytest.raises(ValidationError, match=FUTURE):
            validate_date_of_birth(date(2026, 10, 6))
        with pytest.raises(ValidationError, match=TOO_OLD):
            validate_date_of_birth(date(1906, 10, 4))


def test_web_sign_up_refuses_an_uncallable_phone_and_implausible_birth_dates(client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = {
        "phone": ({"phone": "call me maybe"}, BAD_PHONE),
        "future": ({"date_of_birth": tomorrow}, FUTURE),
        "too old": ({"date_of_birth": "1850-01-01"}, TOO_OLD),
        "year one": ({"date_of_birth": "0001-01-01"}, TOO_OLD),
    }
    for name, (change, message) in cases.items():
        response = client.post("/accounts/signup/", {**SIGNUP, **change})
        assert response.status_code == 200, name
        field = next(iter(change))
        assert response.context["form"].errors == {field: [message]}, name
    assert not User.objects.exists()


def test_web_sign_up_stores_the_phone_in_e164(client):
    client.post("/accounts/signup/", SIGNUP)
    assert PatientProfile.objects.get().phone == "+17135550123"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "call me maybe"}, "phone", BAD_PHONE),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", FUTURE),
        ({"date_of_birth": "1800-01-01"}, "date_of_birth", TOO_OLD),
    ],
)
def test_the_api_refuses_them_too(api_client, patient_client, change, field, message):
    registered = api_client.post("/api/v1/auth/register/", {**REGISTER, **change}, format="json")
    assert registered.status_code == 400
    assert registered.json()["errors"] == {field: [message]}
    patched = patient_client.patch("/api/v1/me/", change, format="json")
    assert patched.status_code == 400
    assert patched.json()["errors"] == {field: [message]}
    assert User.objects.count() == 1


def test_the_api_answers_e164(patient_client):
    response = patient_client.patch("/api/v1/me/", {"phone": "+44 20 7946 0958"}, format="json")
    assert response.json()["phone"] == "+442079460958"
    assert patient_client.patch("/api/v1/me/", {"phone": ""}, format="json").json()["phone"] == ""


def test_the_profile_page_shows_the_number_as_written_and_refuses_nonsense(client):
    patient = PatientFactory(profile__phone="+16095550111")
    client.force_login(patient)
    page = client.get("/accounts/profile/")
    assert 'value="(609) 555-0111"' in page.content.decode()
    data = {
        "first_name": "A",
        "last_name": "B",
        "preferred_language": "en",
        "phone": "call me maybe",
        "date_of_birth": "1850-01-01",
    }
    refused = client.post("/accounts/profile/", data)
    assert refused.context["form"].errors == {"phone": [BAD_PHONE], "date_of_birth": [TOO_OLD]}
    client.post("/accounts/profile/", {**data, "phone": "713 555 0100", "date_of_birth": ""})
    assert PatientProfile.objects.get(user=patient).phone == "+17135550100"


def test_staff_typing_a_number_in_the_admin_store_it_in_e164(client):
    login_verified(client, StaffFactory(is_superuser=True))
    patient = PatientFactory()
    url, data = user_change_post(client, patient, **{"patient_profile-0-phone": "(713) 555-0199"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].formset_errors
    assert PatientProfile.objects.get(user=patient).phone == "+17135550199"
    data["patient_profile-0-phone"] = "call me maybe"
    assert client.post(url, data).status_code == 200


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_stored_numbers_in_e164_and_keeps_unreadable_ones(capsys):
    executor = MigrationExecutor(connection)
    before = [("clinic", "0002_service_provider_spanish")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldUser = old.get_model("clinic", "User")
    OldProfile = old.get_model("clinic", "PatientProfile")
    stored = {"a": "(609) 555-0142", "b": "call me maybe", "c": "", "d": "+17135550187"}
    for name, phone in stored.items():
        OldProfile.objects.create(user=OldUser.objects.create(email=f"{name}@x.org"), phone=phone)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("clinic", "0003_phone_e164_and_birth_date")])
        assert "Phone numbers: 1 rewritten in E.164, 1 left as they were" in capsys.readouterr().out
        assert dict(PatientProfile.objects.values_list("user__email", "phone")) == {
            "a@x.org": "+16095550142",
            "b@x.org": "call me maybe",
            "c@x.org": "",
            "d@x.org": "+17135550187",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_demo_data_stores_e164(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    phones = set(PatientProfile.objects.values_list("phone", flat=True))
    assert phones
    assert all(phone.startswith("+1") for phone in phones)
