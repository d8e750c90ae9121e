"""Web pages of the accounts and locations domain. Thin: validate, call a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import AccessContext
from clinic import public, selectors
from clinic.discovery import app_modules
from clinic.forms import EmailAuthenticationForm, ProfileForm, SignUpForm
from clinic.services import (
    EmailTaken,
    InvalidVerificationLink,
    email_verification_send,
    email_verify,
    patient_profile_update,
    patient_register,
    user_credentials_changed,
)
from education.rendering import json_for_script

# How many relevant articles a location page lists before linking to the rest.
LOCATION_PAGE_ARTICLES = 6


def _with_language_cookie(response, language: str | None):
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
    return response


def home(request):
    return render(request, "clinic/home.html", {"locations": selectors.location_list()})


def signup(request):
    if request.user.is_authenticated:
        return redirect("clinic:dashboard")
    form = SignUpForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = patient_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
                preferred_location=data["preferred_location"],
                preferred_language=data["preferred_language"],
                access=AccessContext.web(request),
            )
        except EmailTaken as exc:
            form.add_error("email", exc.detail)
        except ValidationError as exc:
            form.add_error("password1", exc.message_dict.get("password", exc.messages))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! We sent a link to %(email)s to confirm your address.")
                % {"email": user.email},
            )
            translation.activate(data["preferred_language"])
            return _with_language_cookie(
                redirect(_safe_next(request) or "clinic:dashboard"), data["preferred_language"]
            )
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


def _safe_next(request) -> str:
    """Where the person was going before signing up (a ``next`` on this site only), or ""."""
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        profile = selectors.patient_profile_for(user=form.get_user())
        return _with_language_cookie(response, profile.preferred_language if profile else None)


@login_required
def dashboard(request):
    sections = []
    for module in app_modules("dashboard"):
        section = module.section(request)
        if section:
            sections.append(section)
    return render(
        request,
        "clinic/dashboard.html",
        {
            "profile": selectors.patient_profile_for(
                user=request.user, access=AccessContext.web(request)
            ),
            "sections": sections,
        },
    )


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
    try:
        email_verify(token=token)
    except InvalidVerificationLink as exc:
        return render(request, "clinic/verify_email.html", {"error": exc.detail}, status=400)
    return render(request, "clinic/verify_email.html", {"error": None})


@login_required
@require_POST
def resend_verification(request):
    if not request.user.email_verified:
        email_verification_send(user=request.user)
        messages.info(request, _("We sent a new confirmation link to your e-mail address."))
    return redirect("clinic:profile")


def location_list(request):
    return render(
        request, "clinic/location_list.html", {"locations": public.public_location_list()}
    )


def location_detail(request, slug: str):
    page = public.public_location_get(slug=slug, language=translation.get_language())
    return render(
        request,
        "clinic/location_detail.html",
        {
            "page": page,
            "location": page.location,
            "json_ld": json_for_script(page.json_ld),
            "zone_abbreviation": timezone.now().astimezone(page.location.zone).tzname(),
            "articles": page.articles[:LOCATION_PAGE_ARTICLES],
            "more_articles": len(page.articles) > LOCATION_PAGE_ARTICLES,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        self.extra_email_context = {"clinic_name": settings.CLINIC_NAME}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    success_url=reverse_lazy("clinic:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_credentials_changed(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_credentials_changed(user=form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("clinic:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
password_change = PasswordChangeView.as_view(
    success_url=reverse_lazy("clinic:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
