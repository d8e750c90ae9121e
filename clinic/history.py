"""What every record's history shares (an appointment's, a staff alert's): one row per change,
when it happened and the record's status before and after, read in the order it happened."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryEvent(models.Model):
    """One entry of a record's history. A subclass adds the record (a foreign key with
    ``related_name="events"``), what happened (its own choices), who acted and the statuses'
    choices. Who acted is the subclass's own rule: an alert's history keeps (PROTECT) the staff
    member who acted, an appointment's lets a deleted account go."""

    at = models.DateTimeField(_("when"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def status_changed(self) -> bool:
        return self.from_status != self.to_status
