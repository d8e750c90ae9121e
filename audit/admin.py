"""The PHI access log for compliance staff: read-only, filterable, exportable as CSV.

Viewing needs ``audit.view_phiaccess``, exporting ``audit.export_phiaccess`` (both in the
"Compliance" group). Nobody can add, change or delete a row here. Looking at the log and
exporting it are themselves recorded.
"""

import csv
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import PhiAdminMixin, ReadOnlyAdminMixin
from audit.context import AccessContext
from audit.models import Action, PhiAccess
from audit.selectors import phi_access_export_rows
from audit.services import phi_access_record

EXPORT_PERMISSION = "audit.export_phiaccess"


class InputFilter(admin.SimpleListFilter):
    """A sidebar filter typed into a box instead of picked from links (a person, a date)."""

    template = "admin/audit/input_filter.html"
    placeholder = ""
    input_type = "text"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        kept = {
            name: value
            for name, value in changelist.params.items()
            if name not in self.expected_parameters() and name != PAGE_VAR
        }
        yield {
            "fields": [
                {
                    "name": name,
                    "value": self.used_parameters.get(name, ""),
                    "label": label,
                    "type": self.input_type,
                    "placeholder": self.placeholder,
                }
                for name, label in self.inputs()
            ],
            "hidden": sorted(kept.items()),
            "clear_url": changelist.get_query_string(remove=self.expected_parameters()),
            "active": any(self.used_parameters.get(name) for name in self.expected_parameters()),
        }

    def inputs(self) -> list[tuple[str, str]]:
        return [(self.parameter_name, str(self.title))]


def user_id_for(value: str) -> int | None:
    """A user given by id (``12``, ``#12``) or e-mail address; ``None`` if there is none."""
    value = value.strip().lstrip("#")
    if value.isdigit():
        return int(value)
    return get_user_model().objects.filter(email__iexact=value).values_list("pk", flat=True).first()


class PatientFilter(InputFilter):
    title = _("patient")
    parameter_name = "patient"
    placeholder = _("id or e-mail")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        pk = user_id_for(self.value())
        return queryset.none() if pk is None else queryset.with_patient(pk)


class ActorFilter(InputFilter):
    title = _("who")
    parameter_name = "actor"
    placeholder = _("id, e-mail or “anonymous”")

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.lower() == "anonymous":
            return queryset.filter(actor__isnull=True)
        pk = user_id_for(value)
        return queryset.none() if pk is None else queryset.filter(actor_id=pk)


class PeriodFilter(InputFilter):
    """From and to dates (inclusive), in UTC like the times shown."""

    title = _("period (UTC)")
    parameter_name = "from"
    input_type = "date"

    def __init__(self, request, params, model, model_admin):
        self.until_name = "until"
        super().__init__(request, params, model, model_admin)
        if self.until_name in params:
            self.used_parameters[self.until_name] = params.pop(self.until_name)[-1]

    def expected_parameters(self):
        return [self.parameter_name, self.until_name]

    def inputs(self):
        return [(self.parameter_name, gettext("from")), (self.until_name, gettext("until"))]

    def queryset(self, request, queryset):
        first = _day(self.used_parameters.get(self.parameter_name))
        last = _day(self.used_parameters.get(self.until_name))
        if first:
            queryset = queryset.filter(at__gte=datetime.combine(first, time(), tzinfo=UTC))
        if last:
            end = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
            queryset = queryset.filter(at__lt=end)
        return queryset


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Echo:
    """A file-like object whose ``write`` hands the line back (for streaming csv.writer)."""

    def write(self, value: str) -> str:
        return value


@admin.register(PhiAccess)
class PhiAccessAdmin(ReadOnlyAdminMixin, PhiAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "local_time",
        "time",
        "actor",
        "action",
        "record",
        "patients",
        "via",
    )
    list_display_links = ("number",)
    list_filter = (PatientFilter, ActorFilter, "action", "channel", "object_type", PeriodFilter)
    search_fields = ("=request_id", "=object_id")
    search_help_text = _("An exact request id or record id.")
    list_select_related = ("actor", "patient")
    list_per_page = 100
    show_full_result_count = False
    fields = (
        "id",
        "local_time",
        "time",
        "actor",
        "action",
        "channel",
        "object_type",
        "object_id",
        "patient",
        "patients_listed",
        "detail",
        "ip",
        "request_id",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    @admin.display(description="#", ordering="id")
    def number(self, row: PhiAccess) -> int:
        return row.id

    @admin.display(description=_("time (local)"), ordering="id")
    def local_time(self, row: PhiAccess) -> str:
        """In the zone of the staff member reading the log (their location's, else the
        clinic's), named. The formatter comes from ``AUDIT_ADMIN_TIME_FORMATTER`` (the kernel's
        ``staff_time``): this app sits below the kernel and does not import it."""
        return import_string(settings.AUDIT_ADMIN_TIME_FORMATTER)(row.at)

    @admin.display(description=_("time (UTC)"), ordering="id")
    def time(self, row: PhiAccess) -> str:
        return row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("record"))
    def record(self, row: PhiAccess) -> str:
        return format_html("{}<small>{}</small>", row.object_type, row.object_id or "")

    @admin.display(description=_("via"))
    def via(self, row: PhiAccess) -> str:
        return format_html("{}<small>{}</small>", row.get_channel_display(), row.ip or "")

    @admin.display(description=_("patients"))
    def patients(self, row: PhiAccess) -> str:
        if row.patient_id is not None:
            return str(row.patient) if row.patient else f"#{row.patient_id}"
        listed = row.patient_ids.strip(",").split(",") if row.patient_ids else []
        return gettext("%(count)d listed") % {"count": len(listed)} if listed else "—"

    @admin.display(description=_("patients listed"))
    def patients_listed(self, row: PhiAccess) -> str:
        return row.patient_ids.strip(",").replace(",", ", ") or "—"

    def changelist_view(self, request, extra_context=None):
        extra = {
            "can_export": self.has_export_permission(request),
            "export_url": reverse("admin:audit_phiaccess_export"),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_phiaccess_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The rows of the change list as filtered (same query string), as streamed CSV."""
        if not (self.has_view_permission(request) and self.has_export_permission(request)):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        patient = request.GET.get(PatientFilter.parameter_name, "")
        export = phi_access_record(
            access=AccessContext.admin(request),
            action=Action.EXPORT,
            model=PhiAccess,
            patient_id=user_id_for(patient) if patient else None,
            detail=f"{changelist.result_count} rows; {request.GET.urlencode()}".rstrip("; "),
        )
        # A snapshot: the rows written before this export's own row, whatever comes meanwhile.
        snapshot = changelist.queryset.filter(id__lt=export.id).order_by("id")
        writer = csv.writer(Echo())
        lines = (writer.writerow(cells) for cells in phi_access_export_rows(rows=snapshot))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="phi-access-{stamp}.csv"'
        return response
