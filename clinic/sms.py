"""Text messages: one interface, a backend chosen by the ``SMS_BACKEND`` setting.

- ``console`` (the default, development and ``make run``): the message is written to stdout.
- ``http``: a provider's HTTP API. A JSON POST to ``SMS_HTTP_URL`` of
  ``{"from": SMS_FROM, "to": "+16095550142", "body": "..."}`` with
  ``Authorization: Bearer SMS_HTTP_TOKEN``; any 2xx answer is success, anything else (or no
  answer within ``SMS_HTTP_TIMEOUT`` seconds) raises ``SmsError``, which the outbox records and
  retries. Put a small adapter in front of a provider that wants another shape, or write a
  backend class and name it by its dotted path.
- ``locmem`` (tests): kept in ``clinic.sms.outbox``.

Numbers are E.164 (``clinic.phones``). Bodies carry no health information.
"""

import json
import sys
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider did not take the message."""


@dataclass(frozen=True)
class Sms:
    to: str
    body: str


class SmsBackend(ABC):
    @abstractmethod
    def send(self, message: Sms) -> None:
        """Hand the message over; raise on any failure."""


class ConsoleSmsBackend(SmsBackend):
    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: Sms) -> None:
        self.stream.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
        self.stream.flush()


outbox: list[Sms] = []


class LocmemSmsBackend(SmsBackend):
    def send(self, message: Sms) -> None:
        outbox.append(message)


class HttpSmsBackend(SmsBackend):
    def __init__(self) -> None:
        if not settings.SMS_HTTP_URL:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL")
        self.url = settings.SMS_HTTP_URL
        self.token = settings.SMS_HTTP_TOKEN
        self.sender = settings.SMS_FROM
        self.timeout = settings.SMS_HTTP_TIMEOUT

    def send(self, message: Sms) -> None:
        payload = {"from": self.sender, "to": message.to, "body": message.body}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            self.url, data=json.dumps(payload).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"the SMS provider answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"the SMS provider did not answer: {exc}") from None
        if not 200 <= status < 300:
            raise SmsError(f"the SMS provider answered {status}")


BACKENDS = {
    "console": ConsoleSmsBackend,
    "http": HttpSmsBackend,
    "locmem": LocmemSmsBackend,
}


def sms_backend() -> SmsBackend:
    name = settings.SMS_BACKEND
    backend = BACKENDS.get(name) or import_string(name)
    return backend()


def sms_send(*, to: str, body: str) -> None:
    """Send one text message through the configured backend; raises on failure."""
    sms_backend().send(Sms(to=to, body=body))
