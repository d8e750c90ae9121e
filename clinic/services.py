"""Writes of the accounts domain: registration, profile changes, e-mail verification, API tokens."""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic import selectors
from clinic.errors import ClinicError
from clinic.models import Location, PatientProfile, User
from clinic.phones import phone_normalise
from clinic.ratelimit import mail_rate_allowed

logger = logging.getLogger(__name__)

EMAIL_VERIFICATION_SALT = "clinic.email-verification"


class InvalidVerificationLink(ClinicError):
    code = "invalid_verification_link"
    status_code = 400
    default_detail = gettext_lazy("This verification link is invalid or has expired.")


def _normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


@transaction.atomic
def patient_register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    date_of_birth: date | None = None,
    preferred_location: Location | None = None,
    preferred_language: str = "",
    next_path: str = "",
    access: AccessContext | None = None,
) -> User | None:
    """Sign up, answering the same whether or not the address already has an account.

    A new address gets a patient account and the e-mail whose link confirms the address and
    signs the person in, then takes them on to ``next_path`` (a path on this site). An address
    that has an account (in any letter case) gets no account: its owner is e-mailed that
    someone tried to sign up with it, with links to log in and to reset the password (at most
    a few such mails an hour per address and per client). Returns the new user, or ``None``
    for a taken address: callers must not let the visitor tell the two apart.

    Raises Django's ``ValidationError`` keyed by field (``password``, ``phone``,
    ``date_of_birth``) for input that is not acceptable, in both cases alike.
    """
    email = _normalise_email(email)
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    profile = _valid_profile(
        PatientProfile(
            phone=phone,
            date_of_birth=date_of_birth,
            preferred_location=preferred_location,
            preferred_language=preferred_language or translation.get_language() or "en",
        )
    )
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        make_password(password)  # as long as creating an account takes: time tells nothing
        _signup_attempt_notice(owner=owner, next_path=next_path, access=access)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, first_name=first_name, last_name=last_name
            )
    except IntegrityError:  # a concurrent sign-up with the same address won the race
        logger.info("sign-up lost a race for an address; the winner's e-mail goes out")
        return None
    profile.user = user
    profile.save()
    transaction.on_commit(
        lambda: email_verification_send(user=user, next_path=next_path), robust=True
    )
    phi_access_record(access=access, action=Action.CHANGE, obj=user, patient_id=user.pk)
    return user


def _signup_attempt_notice(*, owner: User, next_path: str, access: AccessContext | None) -> None:
    """Tell the owner of an address that someone tried to sign up with it (after commit)."""
    allowed = mail_rate_allowed(
        scope="signup-existing",
        email=owner.email,
        client=access.ip if access is not None else "",
        per_address=settings.SIGNUP_NOTICE_MAX_PER_ADDRESS,
        per_client=settings.SIGNUP_NOTICE_MAX_PER_CLIENT,
    )
    if not allowed:
        logger.info("sign-up notice to user %s not sent: over the hourly limit", owner.pk)
        return
    transaction.on_commit(
        lambda: signup_attempt_notice_send(user=owner, next_path=next_path), robust=True
    )


def _site_link(route: str, *, next_path: str = "", **kwargs) -> str:
    link = settings.SITE_URL + reverse(route, kwargs=kwargs or None)
    return f"{link}?{urlencode({'next': next_path})}" if next_path else link


def _send_to(user: User, *, subject: str, template: str, context: dict) -> None:
    """A mail to the user in their preferred language."""
    language = getattr(getattr(user, "patient_profile", None), "preferred_language", None)
    with translation.override(language or translation.get_language()):
        subject = str(subject) % {"clinic": settings.CLINIC_NAME}
        body = render_to_string(template, {**context, "clinic_name": settings.CLINIC_NAME})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def signup_attempt_notice_send(*, user: User, next_path: str = "") -> None:
    """E-mail the owner of an address that someone tried to create an account with it."""
    _send_to(
        user,
        subject=gettext_lazy("Someone tried to create an account with your address at %(clinic)s"),
        template="clinic/email/signup_existing.txt",
        context={
            "login_link": _site_link("clinic:login", next_path=next_path),
            "reset_link": _site_link("clinic:password_reset"),
        },
    )
    logger.info("sign-up notice sent to user %s", user.pk)


def _valid_profile(profile: PatientProfile) -> PatientProfile:
    """The profile with its phone in E.164, checked (``ValidationError`` keyed by field)."""
    try:
        profile.phone = phone_normalise(profile.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    profile.full_clean(exclude=["user"])
    return profile


@transaction.atomic
def patient_profile_update(
    *, user: User, access: AccessContext | None = None, **fields
) -> PatientProfile:
    """Update the caller's name and profile; only the keys given change."""
    user_fields = {k: fields.pop(k) for k in ("first_name", "last_name") if k in fields}
    allowed = {"phone", "date_of_birth", "preferred_location", "preferred_language", "sms_opt_in"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    if user_fields:
        for name, value in user_fields.items():
            setattr(user, name, value)
        user.save(update_fields=list(user_fields))
    profile, _created = PatientProfile.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    _valid_profile(profile).save()
    phi_access_record(access=access, action=Action.CHANGE, obj=user, patient_id=user.pk)
    return profile


def _email_fingerprint(email: str) -> str:
    """Ties a link to the address it was sent to, without putting the address in the URL."""
    return salted_hmac(EMAIL_VERIFICATION_SALT, email.lower()).hexdigest()[:16]


def email_verification_token(*, user: User, next_path: str = "") -> str:
    """The signed token of a verification link: the user, a fingerprint of the address it was
    sent to, and where to go afterwards (``next_path``, a path on this site)."""
    payload = {"u": user.pk, "h": _email_fingerprint(user.email)}
    if next_path:
        payload["n"] = next_path
    return signing.dumps(payload, salt=EMAIL_VERIFICATION_SALT)


def email_verification_send(*, user: User, next_path: str = "") -> None:
    """E-mail the link that proves the address belongs to the account holder."""
    token = email_verification_token(user=user, next_path=next_path)
    _send_to(
        user,
        subject=gettext_lazy("Confirm your e-mail address for %(clinic)s"),
        template="clinic/email/verify_email.txt",
        context={"link": _site_link("clinic:verify-email", token=token)},
    )
    logger.info("verification e-mail sent to user %s", user.pk)


@dataclass(frozen=True)
class EmailVerification:
    user: User
    next_path: str
    first_time: bool


def email_verification_check(*, token: str) -> EmailVerification:
    """What a verification link stands for, changing nothing. Raises
    ``InvalidVerificationLink`` when it was tampered with, has expired, or was sent to an
    address the account no longer has."""
    try:
        data = signing.loads(
            token, salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
        user = User.objects.select_related("patient_profile").get(pk=data["u"], is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise InvalidVerificationLink() from exc
    if not constant_time_compare(data.get("h", ""), _email_fingerprint(user.email)):
        raise InvalidVerificationLink()
    next_path = data.get("n", "")
    if not isinstance(next_path, str) or not next_path.startswith("/") or next_path[1:2] in "/\\":
        next_path = ""
    return EmailVerification(user, next_path, user.email_verified_at is None)


@transaction.atomic
def email_verify(*, token: str) -> EmailVerification:
    """Mark the address verified. ``first_time`` says whether this use of the link is the one
    that verified it (the caller then signs the person in: a link signs in once only).
    Raises ``InvalidVerificationLink`` like ``email_verification_check``."""
    found = email_verification_check(token=token)
    user = User.objects.select_for_update().get(pk=found.user.pk)
    if user.email_verified_at is not None:
        return EmailVerification(user, found.next_path, first_time=False)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    logger.info("user %s confirmed their e-mail address", user.pk)
    return EmailVerification(user, found.next_path, first_time=True)


def api_token_issue(*, user: User) -> tuple[str, datetime]:
    """A new API token for the user: the token is shown once and stored only as a hash."""
    instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


class MfaRequired(ClinicError):
    code = "mfa_required"
    status_code = 401
    field = "otp"
    default_detail = gettext_lazy(
        "This account uses two-step verification: send a current code from the authenticator "
        "app, or an unused recovery code, as otp."
    )


class InvalidApiOtp(ClinicError):
    code = "invalid_otp"
    status_code = 401
    field = "otp"
    default_detail = gettext_lazy(
        "That code is not valid. Check the time on your phone and try again, or use an unused "
        "recovery code."
    )


def api_token_log_in(*, user: User, otp: str = "") -> tuple[str, datetime]:
    """A token for a user whose password was checked. An account with a confirmed
    authenticator must also give a current code or an unused recovery code (``otp``), and so
    must staff while ``MFA_REQUIRED_FOR_STAFF`` (until they enrol on the website, they get no
    token at all).

    Raises ``MfaRequired`` without a code, ``InvalidApiOtp`` for a wrong one: the same devices
    check it as on the web, so a wrong code counts in their throttle (each failure doubles the
    wait before the next code is even looked at) and a recovery code is used up.
    """
    enrolled = selectors.mfa_has_device(user=user)
    if enrolled or (user.is_staff and settings.MFA_REQUIRED_FOR_STAFF):
        if not enrolled:
            raise MfaRequired(
                gettext_lazy(
                    "Staff accounts need two-step verification: set up an authenticator app on "
                    "the website first."
                )
            )
        if not otp.strip():
            raise MfaRequired()
        if _mfa_device_accepting(user=user, token=otp) is None:
            logger.info("API log-in of user %s refused: wrong two-step code", user.pk)
            raise InvalidApiOtp()
    return api_token_issue(user=user)


def api_token_revoke(*, token: AuthToken) -> None:
    token.delete()


def user_credentials_changed(*, user: User) -> int:
    """After a password change or reset: every API token of the user stops working.

    Other browser sessions end by themselves: Django ties a session to a hash of the password.
    Returns the number of tokens revoked.
    """
    revoked, _detail = AuthToken.objects.filter(user=user).delete()
    logger.info("credentials of user %s changed; %s API tokens revoked", user.pk, revoked)
    return revoked


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    """Activate or deactivate an account. Deactivation ends its sessions (Django refuses
    inactive users on every request) and revokes its API tokens at once."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        user_credentials_changed(user=user)
    return user


class InvalidOtpToken(ClinicError):
    code = "invalid_otp"
    field = "token"
    default_detail = gettext_lazy(
        "That code is not valid. Check the time on your phone and try again."
    )


TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def mfa_totp_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (one at a time; created if needed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def mfa_totp_confirm(*, request, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm a new authenticator with a code from it, verify this session, and return fresh
    recovery codes (shown once). Replaces any earlier authenticator and codes.

    As in ``mfa_verify``, a wrong code's throttle count is committed before ``InvalidOtpToken``
    is raised outside the transaction (raised inside, it would roll the count back)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=user, confirmed=False
        )
        accepted = device.verify_token(token.strip().replace(" ", ""))
        if accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = mfa_recovery_codes_regenerate(user=user)
            otp_login(request, device)
    if not accepted:
        raise InvalidOtpToken()
    logger.info("user %s enrolled an authenticator", user.pk)
    return codes


@transaction.atomic
def mfa_recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_verify(*, request, user: User, token: str) -> None:
    """Verify this session with a code from the authenticator or a recovery code (used up).

    The devices are read locked (``for_verify``), so the lookup and every check run in one
    transaction; a wrong code's throttle count is committed before ``InvalidOtpToken`` is
    raised outside it.
    """
    device = _mfa_device_accepting(user=user, token=token)
    if device is None:
        raise InvalidOtpToken()
    otp_login(request, device)


@transaction.atomic
def _mfa_device_accepting(*, user: User, token: str):
    token = token.strip().replace(" ", "").lower()
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def mfa_disable(*, user: User) -> None:
    """Remove the authenticator and recovery codes (patients only; staff must keep theirs)."""
    if user.is_staff and settings.MFA_REQUIRED_FOR_STAFF:
        raise ClinicError(gettext_lazy("Staff accounts must keep two-step verification."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
