"""Accounts (users, patient profiles) and the clinic's places and people (locations, physicians)."""

from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from clinic.outbox import DeliveryRow
from clinic.phones import validate_phone_e164
from clinic.validators import validate_date_of_birth, validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address: a patient, or staff when ``is_staff``."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Staff can log in to the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    served_locations = models.ManyToManyField(
        "clinic.Location",
        blank=True,
        related_name="staff",
        verbose_name=_("locations served"),
        help_text=_("For staff: the locations whose patients, alerts and bookings they handle."),
    )
    alert_phone = models.CharField(
        _("mobile for alerts"),
        max_length=32,
        blank=True,
        default="",
        db_default="",  # rows written by code that predates the column (rolling deploys)
        validators=[validate_phone_e164],
        help_text=_(
            "For staff: the mobile number (E.164, e.g. +16095550142) that red-flag alerts are "
            "texted to when the SMS alert channel is on."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


def in_active_language(english: str, spanish: str) -> str:
    """The Spanish text when Spanish is active and it is filled in, else the English one (the
    ``*_es`` fields of services and physicians, as articles have translations)."""
    if spanish and (translation.get_language() or "").startswith(Language.SPANISH):
        return spanish
    return english


class PatientProfile(models.Model):
    """What the clinic needs to know to reach and route a patient. The name lives on ``User``."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient_profile")
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_date_of_birth]
    )
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        validators=[validate_phone_e164],
        help_text=_("Stored in international (E.164) form, e.g. +16095550142."),
    )
    preferred_location = models.ForeignKey(
        "clinic.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred location"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    sms_opt_in = models.BooleanField(
        _("text messages"),
        default=False,
        db_default=False,  # rows written by code that predates the column (rolling deploys)
        help_text=_("Appointment reminders and notices by text message too, to the phone above."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patient profile")
        verbose_name_plural = _("patient profiles")

    def __str__(self) -> str:
        return f"Profile of user {self.user_id}"

    def clean(self) -> None:
        if self.sms_opt_in and not self.phone:
            raise ValidationError({"sms_opt_in": _("Add a phone number to get text messages.")})


class PatientMessage(DeliveryRow):
    """The patients' message outbox (``clinic.messages``): one row per message and channel
    (e-mail, SMS), each with its own attempts and retries. The context holds ids and times, not
    health information; the text is written when sending, in the patient's language."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=40)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    context = models.JSONField(_("context"), default=dict, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("patient message")
        verbose_name_plural = _("patient messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="patientmessage_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} to patient {self.patient_id}"


class Service(models.Model):
    """A treatment or service the clinic offers (an education topic and a reason to book)."""

    class Category(models.TextChoices):
        DIAGNOSTIC = "diagnostic", _("Diagnosis")
        CONSERVATIVE = "conservative", _("Conservative care")
        MINIMALLY_INVASIVE = "minimally_invasive", _("Minimally invasive")
        SURGICAL = "surgical", _("Surgical (by referral)")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_es = models.CharField(_("name in Spanish"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_es)

    @property
    def display_description(self) -> str:
        return in_active_language(self.description, self.description_es)


class Location(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or region"), max_length=50)
    postal_code = models.CharField(_("postal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="US")
    phone = models.CharField(_("phone"), max_length=32)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("IANA time zone name, e.g. America/New_York."),
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="locations")
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clinic:location-detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def one_line_address(self) -> str:
        return f"{self.street}, {self.city}, {self.region} {self.postal_code}"


class OpeningHours(models.Model):
    """One opening interval on one weekday in the location's local time; a day may have several."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="opening_hours_opens_before_closes"
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"], name="opening_hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class Provider(models.Model):
    """A physician or clinician patients can book with."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(_("credentials"), max_length=120, blank=True)
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    specialty_es = models.CharField(_("specialty in Spanish"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), blank=True)
    bio_es = models.TextField(_("short bio in Spanish"), blank=True)
    locations = models.ManyToManyField(Location, related_name="providers", blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider",
        help_text=_("The staff account of this physician, if they log in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("physician")
        verbose_name_plural = _("physicians")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def display_specialty(self) -> str:
        return in_active_language(self.specialty, self.specialty_es)

    @property
    def display_bio(self) -> str:
        return in_active_language(self.bio, self.bio_es)
