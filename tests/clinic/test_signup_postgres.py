"""Sign-up on PostgreSQL with no wrapping test transaction: the verification e-mail is sent
after the account commits (``on_commit``), a mail server that is down does not undo the
account, of two sign-ups with one address at the same moment the unique index keeps one (both
get the same "check your e-mail" answer, never a 500), and a link confirmed twice at once
signs in once."""

import re
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.test import Client

from clinic.models import PatientProfile, User
from clinic.services import patient_register
from tests.clinic.test_accounts_web import SIGNUP
from tests.concurrency import Background, race, until_blocked

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
EMAIL = "new.patient@example.org"
CHECK_YOUR_EMAIL = "/accounts/signup/check-your-email/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/verify-email/[^/\s]+/)")


def test_sign_up_commits_the_account_then_mails_a_link_that_verifies_it(client):
    committed_when_sent = []
    send = locmem.EmailBackend.send_messages

    def send_and_look(backend, messages):
        account = Background(lambda: User.objects.filter(email=EMAIL).exists())
        committed_when_sent.append(account.result())
        return send(backend, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", send_and_look):
        response = client.post("/accounts/signup/", SIGNUP)
    assert committed_when_sent == [True]
    assert response.status_code == 302
    assert response["Location"] == CHECK_YOUR_EMAIL
    user = User.objects.get()
    assert (user.email, user.email_verified_at) == (EMAIL, None)
    assert PatientProfile.objects.filter(user=user).count() == 1

    [message] = mail.outbox
    assert message.to == [EMAIL]
    [path] = LINK.findall(message.body)
    assert Client().get(path).status_code == 200  # the page asks to confirm: nothing changes
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert Client().post(path)["Location"] == "/dashboard/"
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_mail_server_down_at_sign_up_leaves_the_account_in_place(client, caplog):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
    ):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response["Location"] == CHECK_YOUR_EMAIL
    assert list(User.objects.values_list("email", flat=True)) == [EMAIL]
    assert mail.outbox == []
    assert "SMTPServerDisconnected" in caplog.text


def test_a_sign_up_racing_another_for_one_address_gets_the_same_answer_not_a_500():
    """The first sign-up has inserted the account but not committed: the second passes the
    look-up, waits on the unique index, and then loses to it; it answers like any sign-up."""
    with transaction.atomic():
        patient_register(email=EMAIL, password=SIGNUP["password1"])
        second = Background(lambda: Client().post("/accounts/signup/", SIGNUP))
        until_blocked()
    answer = second.result()
    assert answer.status_code == 302
    assert answer["Location"] == CHECK_YOUR_EMAIL
    assert User.objects.count() == 1
    assert PatientProfile.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_link_confirmed_twice_at_once_signs_in_once(client):
    client.post("/accounts/signup/", SIGNUP)
    [path] = LINK.findall(mail.outbox[0].body)
    first, second = Client(), Client()

    answers = race([lambda: first.post(path), lambda: second.post(path)])

    signed_in = ["_auth_user_id" in browser.session for browser in (first, second)]
    assert sorted(signed_in) == [False, True]
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    assert User.objects.get().email_verified_at is not None
