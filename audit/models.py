"""The PHI access log: who read or changed which patient's record, when, from where.

Rows are appended by ``audit.services.phi_access_record`` only, each chained to the one before
by a keyed hash (``audit.chain``). The ORM refuses to change or delete them (``save()`` of a
stored row, ``delete()``, queryset ``update()``/``delete()``); on PostgreSQL a trigger refuses
UPDATE and DELETE as well (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.chain import GENESIS_HASH


class AppendOnlyError(Exception):
    """The PHI access log is append-only: a row is never changed or deleted."""


class Action(models.TextChoices):
    VIEW = "view", _("View")
    LIST = "list", _("List")
    EXPORT = "export", _("Export")
    CHANGE = "change", _("Change")
    DENIED = "denied", _("Denied")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")


class PhiAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("PHI access log rows cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("PHI access log rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("PHI access log rows cannot be deleted.")

    delete.queryset_only = True

    def with_patient(self, patient_id: int) -> "PhiAccessQuerySet":
        """Rows about this patient: as the one patient concerned, or among several listed."""
        return self.filter(
            models.Q(patient_id=patient_id) | models.Q(patient_ids__contains=f",{patient_id},")
        )


def _person(verbose_name) -> models.ForeignKey:
    """A user, kept as an id even if the account is deleted later: no database constraint and
    nothing cascades, so deleting a user never touches (or is blocked by) the log."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the (person, time) indexes below serve
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class PhiAccess(models.Model):
    """One access to protected health information.

    ``id`` is the row's position in the chain (1, 2, 3 ... without gaps). ``patient`` is the
    patient the record belongs to when the access concerns one patient (an object, or one
    patient's list); ``patient_ids`` lists the patients of a list that shows several (a staff
    list page), stored as ``,3,17,``.
    """

    id = models.BigIntegerField(_("number"), primary_key=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = _person(_("who"))
    patient = _person(_("patient"))
    patient_ids = models.TextField(_("patients listed"), blank=True)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.CharField(
        _("detail"), max_length=500, blank=True, help_text=_("Filters of a list or an export.")
    )
    key_id = models.CharField(
        _("signing key"), max_length=16, blank=True, help_text=_("Id of the key that signed it.")
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = PhiAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("PHI access")
        verbose_name_plural = _("PHI access log")
        default_permissions = ("view",)
        permissions = [("export_phiaccess", _("Can export the PHI access log"))]
        indexes = [
            models.Index(fields=["patient", "-at"], name="phiaccess_patient_recent"),
            models.Index(fields=["actor", "-at"], name="phiaccess_actor_recent"),
            models.Index(fields=["object_type", "object_id"], name="phiaccess_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type} {self.object_id}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("PHI access log rows cannot be changed.")
        kwargs["force_insert"] = True  # never an UPDATE, even with an existing id
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("PHI access log rows cannot be deleted.")

    def chain_values(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at,
            "actor_id": self.actor_id,
            "patient_id": self.patient_id,
            "patient_ids": self.patient_ids,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "action": self.action,
            "channel": self.channel,
            "ip": self.ip,
            "request_id": self.request_id,
            "detail": self.detail,
            "key_id": self.key_id,
            "previous_hash": self.previous_hash,
        }


class PhiAccessChainHead(models.Model):
    """The single row every writer locks to append the next row: the last id and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("PHI access chain head")
        default_permissions = ()

    def __str__(self) -> str:
        return f"chain head at row {self.last_id}"
