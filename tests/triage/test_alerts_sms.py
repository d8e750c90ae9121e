"""Staff alerts by text message: the ``sms`` channel, on when listed in ``ALERT_CHANNELS``,
texts the responders of the alert's location who have a mobile number for alerts; the text
says only that an alert is waiting and links to it."""

import pytest
from django.core import mail

from clinic import sms
from tests.triage.alerting import submit
from triage.alerts import alert_delivery_send
from triage.models import AlertDelivery


@pytest.fixture
def sms_on(alert_setup, settings):
    settings.ALERT_CHANNELS = ["email", "sms"]
    settings.SITE_URL = "https://portal.example"
    return alert_setup


def test_each_channel_has_its_own_row_and_the_text_goes_to_responders_with_a_phone(sms_on):
    with_phone = sms_on.responder(sms_on.north, alert_phone="+16095550123")
    sms_on.responder(sms_on.north)  # no mobile number: e-mail only
    sms_on.responder(sms_on.south, alert_phone="+17135550199")  # another location
    alert = submit().staff_alert
    for delivery in AlertDelivery.objects.order_by("channel"):
        assert alert_delivery_send(delivery_id=delivery.pk).outcome == "sent"
    assert sorted(AlertDelivery.objects.values_list("channel", "status", "recipients")) == [
        ("email", "sent", sorted(u.email for u in sms_on.north.staff.all())),
        ("sms", "sent", ["+16095550123"]),
    ]
    assert sms.outbox == [
        sms.Sms(
            to=with_phone.alert_phone,
            body=f"[Larkspur Spine & Pain] Critical alert {alert.pk} is waiting\n"
            f"https://portal.example/admin/triage/staffalert/{alert.pk}/change/",
        )
    ]
    assert len(mail.outbox) == 1


def test_a_failed_text_is_retried_on_its_own_row(sms_on, settings):
    sms_on.responder(sms_on.north, alert_phone="+16095550123")
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/nothing-here"
    submit()
    text = AlertDelivery.objects.get(channel="sms")
    email = AlertDelivery.objects.get(channel="email")
    assert alert_delivery_send(delivery_id=text.pk).outcome == "retry"
    assert alert_delivery_send(delivery_id=email.pk).outcome == "sent"
    text.refresh_from_db()
    assert (text.status, text.attempts) == ("pending", 1)
    assert text.last_error.startswith("SmsError: the SMS provider did not answer")


def test_without_sms_in_alert_channels_nobody_is_texted(alert_setup):
    alert_setup.responder(alert_setup.north, alert_phone="+16095550123")
    submit()
    assert list(AlertDelivery.objects.values_list("channel", flat=True)) == ["email"]
