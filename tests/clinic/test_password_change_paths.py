"""Every way a password changes revokes the user's API tokens and ends their other sessions
(issue 13, item 2): the self-service change, the reset by e-mail, the admin's password form
(a new password, or password log-in turned off), ``manage.py changepassword`` and
``set_password`` from any code. Editing the account in the admin changes no password and
leaves them alone."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from clinic.services import api_token_issue
from tests.clinic.admin_forms import user_change_post
from tests.conftest import login_verified
from tests.factories import PASSWORD, PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

NEW = "a completely new passphrase"


def _self_service(user, admin):
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert browser.get("/dashboard/").status_code == 200  # the session that changed it stays


def _reset_by_email(user, admin):
    visitor = Client()
    visitor.post("/accounts/password-reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[-1].body).group(1)
    form = visitor.get(link, follow=True)
    done = visitor.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302


def _admin_password_form(user, admin):
    response = admin.post(
        f"/admin/clinic/user/{user.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302, response.context["form"].errors


def _admin_turns_password_log_in_off(user, admin):
    response = admin.post(
        f"/admin/clinic/user/{user.pk}/password/",
        {"usable_password": "false", "unset-password": "Disable password-based authentication"},
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert not user.has_usable_password()


def _changepassword_command(user, admin, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", user.email, stdout=StringIO())


def _set_password_in_code(user, admin):
    user.set_password(NEW)
    user.save()


PATHS = {
    "self-service change": _self_service,
    "reset by e-mail": _reset_by_email,
    "admin password form": _admin_password_form,
    "admin turns password log-in off": _admin_turns_password_log_in_off,
    "manage.py changepassword": _changepassword_command,
    "set_password and save": _set_password_in_code,
}


@pytest.fixture
def admin(db):
    client = Client()
    login_verified(client, StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize("path", list(PATHS))
def test_every_password_change_ends_tokens_and_other_sessions(path, admin, monkeypatch):
    user = PatientFactory()
    other = PatientFactory()
    tokens = [api_token_issue(user=user)[0] for _ in range(2)]
    other_token = api_token_issue(user=other)[0]
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get("/dashboard/").status_code == 200

    change = PATHS[path]
    if path == "manage.py changepassword":
        change(user, admin, monkeypatch)
    else:
        change(user, admin)

    for token in tokens:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()
    assert elsewhere.get("/dashboard/").status_code == 302
    still = APIClient()
    still.credentials(HTTP_AUTHORIZATION=f"Token {other_token}")
    assert still.get("/api/v1/me/").status_code == 200


def test_editing_an_account_in_the_admin_changes_no_password_and_keeps_its_tokens(admin):
    user = PatientFactory(first_name="Old")
    token = api_token_issue(user=user)[0]
    url, data = user_change_post(
        admin,
        user,
        first_name="New",
        password="md5$forged$hash",  # read-only: ignored
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.first_name == "New"
    assert user.check_password(PASSWORD)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 200


def test_the_hook_is_configured_and_its_help_text_shown(client):
    client.force_login(PatientFactory())
    page = client.get("/accounts/password/change/").content.decode()
    assert "Changing your password signs you out everywhere else, apps included." in page
