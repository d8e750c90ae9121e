"""Sign-up without telling who has an account (issue 13, item 5), and the way from "Book a
consultation" through log-in or sign-up and e-mail confirmation back to booking (issue 15,
item 4).

The answer to a sign-up is the same for a new and a taken address, on the web and in the API:
"check your e-mail". A new address gets the confirmation link, which signs the person in once
and takes them where they were going; the owner of a taken address is told someone tried.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from clinic.models import User
from tests.factories import LocationFactory, PatientFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and memorable passphrase"
SIGNUP = {
    "email": "ana@example.org",
    "first_name": "Ana",
    "last_name": "Lopez",
    "date_of_birth": "1980-02-03",
    "phone": "(713) 555-0123",
    "preferred_location": "",
    "preferred_language": "en",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
REGISTER = {"email": "ana@example.org", "password": PASSWORD, "first_name": "Ana", "last_name": "L"}
BOOKING = "/appointments/?location=houston-tx&type=new-consultation"


def link_in(message) -> str:
    return (
        urlsplit(re.search(r"https?://\S+", message.body).group(0))
        ._replace(scheme="", netloc="")
        .geturl()
    )


def sign_up(client, **extra):
    return client.post("/accounts/signup/", {**SIGNUP, **extra})


# --- the same answer for new and taken addresses ---------------------------------------------


def test_the_web_answers_a_new_and_a_taken_address_alike(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new = sign_up(Client())
    User.objects.filter(email="ana@example.org").update(email="other@example.org")
    PatientFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(Client())
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == "/accounts/signup/check-your-email/"
    page_new = Client().get(new["Location"]).content
    page_taken = Client().get(taken["Location"]).content
    assert re.sub(rb'nonce="[^"]+"|value="[^"]+"', b"", page_new) == re.sub(
        rb'nonce="[^"]+"|value="[^"]+"', b"", page_taken
    )
    subjects = [(m.to, m.subject) for m in mail.outbox]
    assert subjects == [
        (["ana@example.org"], "Confirm your e-mail address for Larkspur Spine & Pain"),
        (
            ["ana@example.org"],
            "Someone tried to create an account with your address at Larkspur Spine & Pain",
        ),
    ]


def test_neither_sign_up_signs_anyone_in():
    PatientFactory(email="taken@example.org")
    for email in ("ana@example.org", "taken@example.org"):
        browser = Client()
        sign_up(browser, email=email)
        assert "_auth_user_id" not in browser.session
        assert browser.get("/dashboard/").status_code == 302


def test_the_api_answers_a_new_and_a_taken_address_alike(django_capture_on_commit_callbacks):
    PatientFactory(email="taken@example.org", first_name="Real", profile__phone="+16095550111")
    with django_capture_on_commit_callbacks(execute=True):
        new = APIClient().post("/api/v1/auth/register/", REGISTER, format="json")
        taken = APIClient().post(
            "/api/v1/auth/register/", {**REGISTER, "email": "Taken@Example.org"}, format="json"
        )
    assert new.status_code == taken.status_code == 201
    assert {**new.json(), "email": "x"} == {**taken.json(), "email": "x"}
    assert taken.json()["email"] == "taken@example.org"
    assert taken.json()["first_name"] == "Ana"  # what was sent, never the account's data
    assert User.objects.filter(email="taken@example.org").get().first_name == "Real"
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "taken@example.org"]


def test_a_junk_password_is_refused_alike_for_new_and_taken_addresses():
    PatientFactory(email="taken@example.org")
    answers = [
        APIClient().post(
            "/api/v1/auth/register/", {**REGISTER, "email": email, "password": "123"}, format="json"
        )
        for email in ("ana@example.org", "taken@example.org")
    ]
    assert answers[0].status_code == answers[1].status_code == 400
    assert answers[0].json() == answers[1].json()
    assert list(answers[0].json()["errors"]) == ["password"]


def test_the_owner_of_a_taken_address_is_told_how_to_log_in_or_reset(
    django_capture_on_commit_callbacks,
):
    owner = PatientFactory(email="taken@example.org", profile__preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), email="taken@example.org", next=BOOKING)
    [notice] = mail.outbox
    assert notice.to == [owner.email]
    assert "You already have an account with it, so no new one was made." in notice.body
    login = (
        "/accounts/login/?next=%2Fappointments%2F%3Flocation%3Dhouston-tx%26type%3Dnew-consultation"
    )
    assert f"http://127.0.0.1:8000{login}\n" in notice.body
    assert "http://127.0.0.1:8000/accounts/password-reset/\n" in notice.body
    assert "&amp;" not in notice.body
    assert "Ana" not in notice.body
    assert "Lopez" not in notice.body


def test_notices_to_a_taken_address_are_limited_per_hour(django_capture_on_commit_callbacks):
    PatientFactory(email="taken@example.org")
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_up(Client(), email="taken@example.org")
        assert response["Location"] == "/accounts/signup/check-your-email/"
    assert len(mail.outbox) == 3


def test_signing_up_with_a_taken_address_changes_nothing_about_its_account():
    owner = PatientFactory(email="taken@example.org")
    other = "another memorable passphrase"
    sign_up(Client(), email="taken@example.org", password1=other, password2=other)
    owner.refresh_from_db()
    assert owner.check_password("correct-horse-battery-staple")
    assert owner.first_name != "Ana"


# --- from "Book a consultation" back to booking ------------------------------------------------


def test_booking_explains_why_an_account_is_needed_and_keeps_next(client):
    LocationFactory(slug="houston-tx")
    response = client.get(BOOKING)
    assert response.status_code == 302
    login_url = response["Location"]
    assert parse_qs(urlsplit(login_url).query)["next"] == [BOOKING]
    page = client.get(login_url).content.decode()
    assert "Log in to book a consultation" in page
    assert "Booking needs an account" in page
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page).group(1)
    assert parse_qs(urlsplit(signup_link.replace("&amp;", "&")).query)["next"] == [BOOKING]
    signup_page = client.get(signup_link.replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{BOOKING.replace("&", "&amp;")}"' in signup_page
    assert "brings you straight back to booking" in signup_page


def test_a_plain_log_in_page_does_not_talk_about_booking(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Booking needs an account" not in page
    assert 'href="/accounts/signup/"' in page


def test_next_survives_sign_up_and_confirmation_and_lands_signed_in_on_booking(
    django_capture_on_commit_callbacks,
):
    LocationFactory(slug="houston-tx")
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            f"/accounts/signup/?next={BOOKING.replace('&', '%26')}", SIGNUP | {"next": BOOKING}
        )
    [message] = mail.outbox
    link = link_in(message)
    phone = Client()  # the link is opened wherever the e-mail is read
    landing = phone.get(link)
    assert landing.status_code == 200
    assert "Confirm my address and continue" in landing.content.decode()
    assert "_auth_user_id" not in phone.session
    assert not User.objects.get().email_verified
    confirmed = phone.post(link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == BOOKING
    assert int(phone.session["_auth_user_id"]) == User.objects.get().pk
    assert User.objects.get().email_verified
    assert phone.get(BOOKING).status_code == 200


def test_the_link_signs_in_once_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), next="/appointments/")
    link = link_in(mail.outbox[0])
    Client().post(link)
    later = Client()
    page = later.get(link)
    assert "Your e-mail address is already confirmed." in page.content.decode()
    assert 'href="/accounts/login/?next=%2Fappointments%2F"' in page.content.decode()
    again = later.post(link)
    assert again.status_code == 200
    assert "_auth_user_id" not in later.session


def test_without_next_the_link_lands_on_the_dashboard(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client())
    assert Client().post(link_in(mail.outbox[0]))["Location"] == "/dashboard/"


@pytest.mark.parametrize("foreign", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_next_off_this_site_is_dropped(foreign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), next=foreign)
    assert Client().post(link_in(mail.outbox[0]))["Location"] == "/dashboard/"


def test_the_verification_link_carries_no_email_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(Client(), email="private.person@example.org", next="/appointments/")
    assert "private" not in mail.outbox[0].body.split("http", 1)[1]


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_whole_way_on_postgresql_outside_a_test_transaction():
    """The e-mails go out after commit and the confirmation locks the account row: the deployed
    shape, on PostgreSQL, with nothing wrapping the requests."""
    PatientFactory(email="taken@example.org")
    browser = Client()
    sign_up(browser, next="/appointments/")
    sign_up(Client(), email="taken@example.org")
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "taken@example.org"]
    verification = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    confirmed = browser.post(link_in(verification))
    assert confirmed["Location"] == "/appointments/"
    assert User.objects.get(email="ana@example.org").email_verified
