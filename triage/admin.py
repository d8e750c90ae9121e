import json

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import PhiAdminMixin
from clinic.admin_display import StaffTimesAdmin
from triage import (
    alert_admin,  # noqa: F401 - registers the red-flag alert queue
    follow_up_admin,  # noqa: F401 - registers the "soon" follow-up worklist
)
from triage.models import Assessment, Questionnaire, Ruleset, VersionStatus


class VersionAdmin(StaffTimesAdmin, admin.ModelAdmin):
    """Published versions are read-only here too (the model refuses changes anyway)."""

    staff_times = {"published_at": None}

    list_display = ("slug", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("slug",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return [f.name for f in self.model._meta.fields if f.name != "status"]
        return ()

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == VersionStatus.DRAFT


@admin.register(Questionnaire)
class QuestionnaireAdmin(VersionAdmin):
    list_display = ("slug", "version", "title", "status", "published_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Ruleset)
class RulesetAdmin(VersionAdmin):
    list_display = ("slug", "version", "questionnaire", "status", "published_at")


@admin.register(Assessment)
class AssessmentAdmin(StaffTimesAdmin, PhiAdminMixin, admin.ModelAdmin):
    """A read-only record: an assessment is what the patient answered and was told. Staff
    reads are recorded in the PHI access log."""

    staff_times = {"created_at": None}
    list_display = (
        "created_at",
        "urgency",
        "complete",
        "pattern",
        "patient",
        "questionnaire",
        "ruleset",
    )
    list_filter = ("urgency", "complete", "pattern", "questionnaire")
    date_hierarchy = "created_at"
    raw_id_fields = ("patient",)
    list_select_related = ("patient", "questionnaire", "ruleset")
    fields = (
        "patient",
        "questionnaire",
        "ruleset",
        "structured_answers",
        "free_text",
        "urgency",
        "pattern",
        "flags",
        "complete",
        "merged_into_alert",
        "language",
    )
    readonly_fields = ("free_text",)

    @admin.display(description=_("free-text answers"))
    def free_text(self, assessment: Assessment) -> str:
        return json.dumps(assessment.free_text_answers, ensure_ascii=False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
