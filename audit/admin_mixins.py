"""Staff reads in the admin, recorded: Django's own admin log records changes, never views.

Add ``PhiAdminMixin`` first among a ModelAdmin's bases for any model that holds patient data and
set ``phi_patient_field`` to the ORM path from the model to the patient's user (``"patient"``,
``"appointment__patient"``, ``"pk"`` for the user model itself). Then:

- the change list records one ``list`` row per page shown, with the page's patients (the one
  patient, or ``patient_ids`` when there are several) and the filters used;
- the change page records ``view``; asking for a record that is not in the staff member's
  admin queryset (another location's, or none) records ``denied``; its history page and the
  delete confirmation (which lists what the record holds) record ``view`` too;
- saving and deleting through the admin record ``change`` in the admin's own transaction,
  as its last write.

Changes made by admin actions and custom admin views go through the apps' services, which
record them with ``AccessContext.admin(request)``.
"""

from django.http import HttpResponseRedirect

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_denied, phi_access_record

LIST_DETAIL_QUERY_LENGTH = 400


class PhiAdminMixin:
    phi_patient_field = "patient"

    def phi_patients(self, pks) -> dict[object, int | None]:
        """Each row's patient, in one query whatever the path."""
        if self.phi_patient_field == "pk":
            return {pk: pk for pk in pks}
        return dict(
            self.model._default_manager.filter(pk__in=pks).values_list("pk", self.phi_patient_field)
        )

    def phi_record(self, request, *, action: Action, obj) -> None:
        """Record ``action`` on ``obj`` by the staff member of ``request``."""
        phi_access_record(
            access=AccessContext.admin(request),
            action=action,
            obj=obj,
            patient_id=self.phi_patients([obj.pk]).get(obj.pk),
        )

    def _record_deleted(self, request, rows: list[tuple[object, int | None]]) -> None:
        for pk, patient in rows:
            phi_access_record(
                access=AccessContext.admin(request),
                action=Action.CHANGE,
                model=self.model,
                object_id=pk,
                patient_id=patient,
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            page = [obj.pk for obj in changelist.result_list]
            patients = {pk for pk in self.phi_patients(page).values() if pk is not None}
            query = request.GET.urlencode()[:LIST_DETAIL_QUERY_LENGTH]
            phi_access_record(
                access=AccessContext.admin(request),
                action=Action.LIST,
                model=self.model,
                patient_id=next(iter(patients)) if len(patients) == 1 else None,
                patient_ids=patients if len(patients) > 1 else (),
                detail=f"{len(page)} shown of {changelist.result_count}; {query}".rstrip("; "),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and original is not None:
            self.phi_record(request, action=Action.VIEW, obj=original)
        elif request.method == "GET" and isinstance(response, HttpResponseRedirect):
            # The admin redirects a GET for a record outside the queryset: none, or out of scope.
            phi_access_denied(
                access=AccessContext.admin(request),
                model=self.model,
                object_id=object_id,
                patient_field=self.phi_patient_field,
            )
        return response

    def _record_page_view(self, request, response) -> None:
        original = (getattr(response, "context_data", None) or {}).get("object")
        if response.status_code == 200 and original is not None:
            self.phi_record(request, action=Action.VIEW, obj=original)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_page_view(request, response)
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        if request.method == "GET":
            self._record_page_view(request, response)
        return response

    def save_related(self, request, form, formsets, change):
        # After the inlines: the record is the last write of the admin's transaction.
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(f.has_changed() for f in formsets):
            self.phi_record(request, action=Action.CHANGE, obj=form.instance)

    def delete_model(self, request, obj):
        rows = list(self.phi_patients([obj.pk]).items())
        super().delete_model(request, obj)
        self._record_deleted(request, rows)

    def delete_queryset(self, request, queryset):
        rows = list(self.phi_patients(list(queryset.values_list("pk", flat=True))).items())
        super().delete_queryset(request, queryset)
        self._record_deleted(request, rows)


class ReadOnlyAdminMixin:
    """For a model admin or inline whose records the admin shows but never adds, edits or
    deletes by hand: they change only through services (actions and buttons), or never."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
