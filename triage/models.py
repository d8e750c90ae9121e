"""Versioned questionnaires and rulesets (data), patients' assessments and their drafts, and the
staff alerts raised by red-flag assessments with their history and delivery outbox."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.encryption import EncryptedJSONField, EncryptedTextField
from clinic.history import HistoryEvent
from clinic.outbox import DeliveryRow


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Pattern(models.TextChoices):
    L5 = "L5", _("L5 nerve root")
    S1 = "S1", _("S1 nerve root")
    L5_S1 = "L5_S1", _("L5 and S1 nerve roots")
    UNSPECIFIED = "unspecified", _("No specific nerve-root pattern")
    NONE = "none", _("No leg symptoms")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class PublishedVersionImmutable(ValidationError):
    """A published (or retired) version's content never changes: publish a new version."""


class VersionedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if (
            set(kwargs) & set(self.model.CONTENT_FIELDS)
            and self.exclude(status=VersionStatus.DRAFT).exists()
        ):
            raise PublishedVersionImmutable(
                _("A published version cannot be changed; publish a new version instead.")
            )
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=VersionStatus.DRAFT).exists():
            raise PublishedVersionImmutable(_("A published version cannot be deleted."))
        return super().delete()


class VersionedDefinition(models.Model):
    """A questionnaire or ruleset version. Once published, its content is frozen: ``save``,
    ``delete`` and queryset ``update``/``delete`` refuse to change it (only the status may move
    on, to retired). Assessments point at the exact version that judged them."""

    CONTENT_FIELDS = ("slug", "version", "definition")

    slug = models.SlugField(_("identifier"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored()
        if stored is not None and stored["status"] != VersionStatus.DRAFT:
            raise PublishedVersionImmutable(_("A published version cannot be deleted."))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        stored = self._stored()
        if stored is None or stored["status"] == VersionStatus.DRAFT:
            return
        changed = [name for name in self.CONTENT_FIELDS if getattr(self, name) != stored[name]]
        if changed or self.status == VersionStatus.DRAFT:
            raise PublishedVersionImmutable(
                _("A published version cannot be changed; publish a new version instead.")
            )

    @property
    def reference(self) -> str:
        return f"{self.slug}|{self.version}"

    def _stored(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS, "status").first()


class Questionnaire(VersionedDefinition):
    CONTENT_FIELDS = ("slug", "version", "definition", "url", "title")

    url = models.URLField(_("canonical URL"), max_length=300)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="questionnaire_slug_version"),
            models.UniqueConstraint(fields=["url", "version"], name="questionnaire_url_version"),
        ]

    @property
    def reference(self) -> str:
        return f"{self.url}|{self.version}"


class Ruleset(VersionedDefinition):
    CONTENT_FIELDS = ("slug", "version", "definition", "questionnaire_id")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rulesets"
    )

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("ruleset version")
        verbose_name_plural = _("ruleset versions")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="ruleset_slug_version"),
        ]


def free_text_field() -> EncryptedJSONField:
    """Free-text answers (linkId -> text): encrypted at rest, unlike the structured ones."""
    return EncryptedJSONField(
        _("free-text answers"),
        default=dict,
        blank=True,
        help_text=_("Answers typed in the patient's own words, encrypted at rest."),
    )


def all_answers(record) -> dict:
    """Every answer of an assessment or a draft, linkId -> value: the structured answers and
    the (decrypted) free text. Written through ``QuestionnaireDef.split_free_text``."""
    return {**record.structured_answers, **record.free_text_answers}


class Assessment(models.Model):
    """One completed questionnaire and the result it was given, with the exact questionnaire
    and ruleset versions that produced it. ``patient`` is empty for an anonymous visitor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments"
    )
    ruleset = models.ForeignKey(Ruleset, on_delete=models.PROTECT, related_name="assessments")
    structured_answers = models.JSONField(
        _("answers"), help_text=_("Every answer except free text: linkId -> value.")
    )
    free_text_answers = free_text_field()
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    pattern = models.CharField(_("pattern"), max_length=12, choices=Pattern.choices)
    flags = models.JSONField(
        _("fired rules"),
        default=list,
        help_text=_("Every rule that fired: rule id, level, messages and source."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    complete = models.BooleanField(
        _("complete"),
        default=True,
        help_text=_(
            "Off when the questionnaire stopped early because the answers so far already meant "
            "an emergency: the questions after that were not asked."
        ),
    )
    merged_into_alert = models.ForeignKey(
        "StaffAlert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeat_assessments",
        verbose_name=_("counted in alert"),
        help_text=_(
            "A repeated anonymous emergency from the same browser or address within minutes: "
            "counted in that open alert instead of paging staff again."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="assessment_patient_recent")
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def answers(self) -> dict:
        return all_answers(self)

    @property
    def questionnaire_reference(self) -> str:
        return self.questionnaire.reference

    @property
    def ruleset_reference(self) -> str:
        return self.ruleset.reference

    @property
    def is_emergency(self) -> bool:
        return self.urgency == Urgency.EMERGENCY


class AssessmentDraft(models.Model):
    """A logged-in patient's unfinished answers, saved at every step so an expired session or a
    closed tab loses nothing. One per patient and questionnaire; removed when submitted."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_drafts"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    structured_answers = models.JSONField(default=dict)
    free_text_answers = free_text_field()
    step = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment draft")
        verbose_name_plural = _("assessment drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "questionnaire"], name="assessment_draft_one_per_patient"
            )
        ]

    def __str__(self) -> str:
        return f"Draft of user {self.patient_id}"

    @property
    def answers(self) -> dict:
        return all_answers(self)


class AlertSeverity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class AlertOutcome(models.TextChoices):
    REACHED_PATIENT = "reached_patient", _("Reached the patient")
    SENT_TO_EMERGENCY = "sent_to_emergency", _("Sent to emergency care")
    NO_ANSWER = "no_answer", _("No answer")
    NO_CONTACT_DETAILS = "no_contact_details", _("No contact details")
    FALSE_ALARM = "false_alarm", _("False alarm")
    OTHER = "other", _("Other")


def staff_member(verbose_name, **extra) -> models.ForeignKey:
    """Who acted on an alert: kept (PROTECT) as long as the alert's record is."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **extra,
    )


class StaffAlert(models.Model):
    """A red-flag assessment (urgent or emergency) that a person at the clinic must act on.

    Created in the same transaction as its assessment; it changes state only through the
    ``triage.alerts`` services, each change recorded as a ``StaffAlertEvent``. An alert is a
    clinical record: its assessment cannot be deleted while it exists.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="staff_alert"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_alerts",
        verbose_name=_("patient"),
    )
    location = models.ForeignKey(
        "clinic.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_alerts",
        verbose_name=_("location"),
        help_text=_(
            "Where the alert is routed: the patient's preferred location, else the default."
        ),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=AlertSeverity.choices)
    summary = models.TextField(
        _("summary"), help_text=_("For staff: the rules that fired and the contact phone.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.NEW
    )
    acknowledged_by = staff_member(_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = staff_member(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AlertOutcome.choices, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    contact_phone = EncryptedTextField(
        _("contact phone"),
        blank=True,
        help_text=_(
            "The number an anonymous visitor left on the result page (E.164), encrypted at rest."
        ),
    )
    submissions = models.PositiveIntegerField(
        _("submissions"),
        default=1,
        help_text=_(
            "How many anonymous emergency checks from one browser or address this alert stands "
            "for (repeats within 10 minutes page nobody again)."
        ),
    )
    last_submitted_at = models.DateTimeField(_("last submitted at"), default=timezone.now)
    # Keyed hashes of the anonymous submitter's browser session and address, to recognise a
    # repeat (never the session id or the address themselves).
    source_session = models.CharField(max_length=64, blank=True, editable=False)
    source_address = models.CharField(max_length=64, blank=True, editable=False)
    escalated = models.BooleanField(_("escalated"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff alert")
        verbose_name_plural = _("staff alerts")
        indexes = [
            models.Index(fields=["status", "severity", "-created_at"], name="staffalert_queue"),
            models.Index(
                fields=["last_submitted_at"],
                condition=Q(patient__isnull=True),
                name="staffalert_anonymous_recent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AlertStatus.NEW) | Q(acknowledged_at__isnull=False),
                name="staffalert_handled_has_acknowledged_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.RESOLVED)
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="staffalert_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(escalated=False) | Q(escalated_at__isnull=False),
                name="staffalert_escalated_has_time",
            ),
        ]

    def __str__(self) -> str:
        # Shown in admin titles, messages and logs: never anything about the patient's health.
        return _("Alert %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.RESOLVED


class StaffAlertEvent(HistoryEvent):
    """One entry of an alert's history: who did what, when, and the status before and after."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")
        ESCALATED = "escalated", _("Escalated")
        RESEND = "resend", _("Re-send requested")
        REPEATED = "repeated", _("Submitted again")
        CONTACT_ADDED = "contact_added", _("Contact details added")
        CLAIMED = "claimed", _("Linked to a patient account")

    alert = models.ForeignKey(StaffAlert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = staff_member(_("who"), help_text=_("Empty when the portal itself acted."))
    from_status = models.CharField(
        _("from"), max_length=12, choices=AlertStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=AlertStatus.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("alert event")
        verbose_name_plural = _("alert history")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.alert_id})"


class AlertDelivery(DeliveryRow):
    """The alerts' outbox (``clinic.outbox``): one row per alert, channel and purpose, written
    in the alert's transaction and sent by a Celery task (or ``send_pending_alerts``) after
    commit. Recipients are worked out when sending and recorded here."""

    class Purpose(models.TextChoices):
        INITIAL = "initial", _("Initial")
        ESCALATION = "escalation", _("Escalation")
        CONTACT = "contact", _("Contact details added")

    alert = models.ForeignKey(StaffAlert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=30)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel", "purpose"], name="alertdelivery_one_per_purpose"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="alertdelivery_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} ({self.alert_id})"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


class FollowUpOutcome(models.TextChoices):
    BOOKED = "booked", _("Consultation booked")
    REACHED_PATIENT = "reached_patient", _("Reached the patient")
    MESSAGE_LEFT = "message_left", _("Left a message")
    NO_ANSWER = "no_answer", _("No answer")
    NOT_NEEDED = "not_needed", _("No follow-up needed")
    OTHER = "other", _("Other")


class FollowUp(models.Model):
    """A "soon" result (see a clinician within two weeks) that staff follow up: call the
    patient, make sure a consultation is booked. Created with the assessment (or when an
    anonymous check is claimed by an account); worked in the admin's follow-up worklist."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="follow_up"
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="triage_follow_ups",
        verbose_name=_("patient"),
    )
    location = models.ForeignKey(
        "clinic.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="triage_follow_ups",
        verbose_name=_("location"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_by = staff_member(_("done by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=FollowUpOutcome.choices, blank=True
    )
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups (within 2 weeks)")
        indexes = [models.Index(fields=["status", "created_at"], name="followup_worklist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN)
                | (Q(done_at__isnull=False) & ~Q(outcome="")),
                name="followup_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return _("Follow-up %(number)s") % {"number": self.pk}
