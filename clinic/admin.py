from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import PhiAdminMixin
from clinic.admin_display import StaffTimesAdmin
from clinic.models import Location, OpeningHours, PatientProfile, Provider, Service, User
from clinic.phones import PhoneField
from clinic.services import user_credentials_changed, user_set_active


class PatientProfileForm(forms.ModelForm):
    """The profile in the admin: the phone typed any usual way, stored in E.164."""

    phone = PhoneField(label=_("Phone"), required=False)

    class Meta:
        model = PatientProfile
        fields = [
            "date_of_birth",
            "phone",
            "preferred_location",
            "preferred_language",
            "sms_opt_in",
        ]


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    form = PatientProfileForm
    can_delete = False
    fk_name = "user"
    extra = 0


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeFormEmail(UserChangeForm):
    """The account in the admin: a staff member's mobile for alerts typed any usual way, stored
    in E.164 (the SMS alert channel texts it)."""

    alert_phone = PhoneField(
        label=_("mobile for alerts"),
        required=False,
        help_text=_(
            "For staff: the mobile number red-flag alerts are texted to when the SMS "
            "alert channel is on."
        ),
    )

    class Meta:
        model = User
        fields = "__all__"


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form. Setting a password revokes the user's API tokens by itself
    (``clinic.validators.PasswordChangeEndsOtherAccess``); turning password log-in off does
    not set one, so it revokes them here."""

    def set_password_and_save(self, user, commit=True, **kwargs):
        user = super().set_password_and_save(user, commit=commit, **kwargs)
        if commit and not self.cleaned_data["set_usable_password"]:
            user_credentials_changed(user=user)
        return user


@admin.register(User)
class UserAdmin(StaffTimesAdmin, PhiAdminMixin, DjangoUserAdmin):
    """Accounts with their patient profile; staff reads and changes are in the PHI access log."""

    phi_patient_field = "pk"
    staff_times = {"last_login": None, "date_joined": None, "email_verified_at": None}
    form = UserChangeFormEmail
    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "served_locations")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined", "email_verified_at")
    filter_horizontal = ("groups", "user_permissions", "served_locations")
    inlines = [PatientProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email_verified_at")}),
        (
            _("Staff"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "served_locations",
                    "alert_phone",
                    "groups",
                )
            },
        ),
        (_("Individual permissions"), {"classes": ("collapse",), "fields": ("user_permissions",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def save_model(self, request, obj, form, change):
        """Deactivating goes through the service, which also revokes the account's API tokens."""
        if change and "is_active" in form.changed_data:
            is_active = obj.is_active
            super().save_model(request, obj, form, change)
            user_set_active(user=obj, active=is_active)
            return
        super().save_model(request, obj, form, change)

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "city", "region", "timezone", "phone", "is_active")
    list_filter = ("is_active", "region")
    search_fields = ("name", "city", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("services",)
    inlines = [OpeningHoursInline]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "credentials", "specialty", "is_active")
    list_filter = ("is_active", "locations")
    search_fields = ("name", "credentials", "specialty")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("locations",)
    raw_id_fields = ("user",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "sort_order")
    list_filter = ("category",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
