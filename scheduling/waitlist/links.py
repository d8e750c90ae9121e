"""The claim link of an offer: the offer's id, signed and dated (``django.core.signing``), so
the link carries no health information, cannot be forged and stops working when the offer
does. Only the offer's patient, logged in, can open it (anyone else gets a 404)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "scheduling.waitlist.offer"


class LinkExpired(Exception):
    """A genuine link that is too old."""


def offer_token(offer_id: int) -> str:
    return signing.dumps(offer_id, salt=SALT, compress=False)


def offer_link(offer_id: int) -> str:
    """The absolute URL of the claim page (what the e-mail and the SMS carry)."""
    path = reverse("scheduling:waitlist-offer", kwargs={"token": offer_token(offer_id)})
    return settings.SITE_URL + path


def offer_id_from(token: str) -> int | None:
    """The offer's id; ``None`` for a tampered or malformed token; ``LinkExpired`` for a link
    older than an offer lasts."""
    try:
        value = signing.loads(
            token, salt=SALT, max_age=settings.SCHEDULING_WAITLIST_OFFER_MINUTES * 60
        )
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
