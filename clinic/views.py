"""Web pages of accounts: sign-up, log-in, e-mail confirmation, profile, password reset and
change. Thin: validate, call a service, render."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import AccessContext, client_ip
from clinic import selectors
from clinic.discovery import app_modules
from clinic.forms import EmailAuthenticationForm, ProfileForm, SignUpForm
from clinic.languages import set_language_cookie
from clinic.ratelimit import mail_rate_allowed
from clinic.services import (
    InvalidVerificationLink,
    email_verification_check,
    email_verification_send,
    email_verify,
    patient_profile_update,
    patient_register,
)

logger = logging.getLogger(__name__)


def _with_language_cookie(response, language: str | None):
    return set_language_cookie(response, language)


def _signed_in(request, user) -> None:
    """Tell the apps that someone just signed in in this browser (each ``<app>.sign_in``,
    found by ``clinic.discovery``; triage makes the session's anonymous symptom checks theirs),
    so accounts need not know the apps built on them."""
    for module in app_modules("sign_in"):
        module.signed_in(request, user)


def next_path(request) -> str:
    """The ``next`` of the request (form or query string) when it is a path on this site,
    else ``""``: where to go after logging in, signing up and confirming the address."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else ""


def _about_booking(path: str) -> bool:
    return path.startswith(reverse("scheduling:book"))


def _continue_to(path: str):
    return redirect(path or settings.LOGIN_REDIRECT_URL)


def signup(request):
    going_to = next_path(request)
    if request.user.is_authenticated:
        return _continue_to(going_to)
    form = SignUpForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
                preferred_location=data["preferred_location"],
                preferred_language=data["preferred_language"],
                next_path=going_to,
                access=AccessContext.web(request),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("password1" if field == "password" else field, errors)
        else:
            # The same answer whether the address was new or taken: check your e-mail.
            translation.activate(data["preferred_language"])
            return _with_language_cookie(redirect("clinic:signup-sent"), data["preferred_language"])
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": going_to, "booking": _about_booking(going_to)},
    )


def signup_sent(request):
    return render(request, "registration/signup_sent.html")


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["booking"] = _about_booking(context.get("next") or "")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        _signed_in(self.request, form.get_user())
        profile = selectors.patient_profile_for(user=form.get_user())
        return _with_language_cookie(response, profile.preferred_language if profile else None)


@login_required
def profile(request):
    access = AccessContext.web(request)
    current = selectors.patient_profile_for(user=request.user, access=access)
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
        "date_of_birth": current.date_of_birth if current else None,
        "phone": current.phone if current else "",
        "preferred_location": current.preferred_location if current else None,
        "preferred_language": current.preferred_language if current else translation.get_language(),
        "sms_opt_in": current.sms_opt_in if current else False,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            updated = patient_profile_update(user=request.user, access=access, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your profile is saved."))
            translation.activate(updated.preferred_language)
            return _with_language_cookie(redirect("clinic:profile"), updated.preferred_language)
    return render(request, "clinic/profile.html", {"form": form, "profile": current})


def verify_email(request, token: str):
    """The link in the verification e-mail. Opening it changes nothing (mail scanners open
    links too): the page asks the person to confirm. Confirming (a POST) verifies the address,
    signs them in, the first time only, and takes them where they were going (``next`` when
    they signed up)."""
    confirming = request.method == "POST"
    try:
        found = (email_verify if confirming else email_verification_check)(token=token)
    except InvalidVerificationLink as exc:
        return render(request, "clinic/verify_email.html", {"error": exc.detail}, status=400)
    if confirming and found.first_time:
        if request.user.pk != found.user.pk:
            login(request, found.user, backend="django.contrib.auth.backends.ModelBackend")
            _signed_in(request, found.user)
        language = getattr(getattr(found.user, "patient_profile", None), "preferred_language", "")
        if language:
            translation.activate(language)  # the message greets them in their language
        messages.success(request, _("Thank you, your e-mail address is confirmed."))
        return _with_language_cookie(_continue_to(found.next_path), language)
    if not found.first_time and request.user.pk == found.user.pk:
        return _continue_to(found.next_path)
    login_url = reverse("clinic:login")
    if found.next_path:
        login_url += "?" + urlencode({"next": found.next_path})
    return render(
        request,
        "clinic/verify_email.html",
        {
            "error": None,
            "first_time": found.first_time,
            "booking": _about_booking(found.next_path),
            "login_url": login_url,
        },
    )


@login_required
@require_POST
def resend_verification(request):
    if not request.user.email_verified:
        email_verification_send(user=request.user)
        messages.info(request, _("We sent a new confirmation link to your e-mail address."))
    return redirect("clinic:profile")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with at most a few e-mails an hour per address and per client.
    Over the limit nothing is sent and the answer is the same "check your e-mail" page, as for
    an address without an account: the page says nothing either way."""

    def form_valid(self, form):
        allowed = mail_rate_allowed(
            scope="password-reset",
            email=form.cleaned_data["email"],
            client=client_ip(self.request),
            per_address=settings.PASSWORD_RESET_MAX_PER_ADDRESS,
            per_client=settings.PASSWORD_RESET_MAX_PER_CLIENT,
        )
        if not allowed:
            logger.info("password reset e-mail not sent: over the hourly limit")
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"clinic_name": settings.CLINIC_NAME}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    success_url=reverse_lazy("clinic:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()


# A changed or reset password revokes the user's API tokens and ends their other sessions
# whatever the path (clinic.validators.PasswordChangeEndsOtherAccess).
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("clinic:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    success_url=reverse_lazy("clinic:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
