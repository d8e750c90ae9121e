"""Published versions are immutable, and ``migrate`` alone publishes them."""

import pytest

from triage.models import Questionnaire, Ruleset, VersionStatus


@pytest.mark.django_db
@pytest.mark.parametrize("version", [1, 2])
def test_the_questionnaire_and_ruleset_are_published_by_migrate_alone(version):
    questionnaire = Questionnaire.objects.get(slug="lumbar-radiculopathy", version=version)
    ruleset = Ruleset.objects.get(slug="lumbar-radiculopathy-rules", version=version)
    assert questionnaire.status == ruleset.status == VersionStatus.PUBLISHED
    assert ruleset.questionnaire == questionnaire
    assert questionnaire.reference == (
        f"https://portal.clinic.example/fhir/Questionnaire/lumbar-radiculopathy|{version}"
    )
    assert ruleset.reference == f"lumbar-radiculopathy-rules|{version}"
    assert questionnaire.published_at is not None


def test_submissions_without_a_version_use_the_newest_one(published):
    assert (published[0].version, published[1].version) == (2, 2)


def test_publishing_the_files_again_changes_nothing(published):
    from triage.loading import publish_files

    publish_files(Questionnaire, Ruleset)
    assert Questionnaire.objects.count() == 2
    assert Ruleset.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda q: q.definition["items"][0].update(text="Changed"),
        lambda q: setattr(q, "title", "Another title"),
        lambda q: setattr(q, "version", 7),
        lambda q: setattr(q, "status", VersionStatus.DRAFT),
    ],
)
def test_a_published_questionnaire_cannot_be_changed(published, change):
    questionnaire = Questionnaire.objects.get(pk=published[0].pk)
    change(questionnaire)
    with pytest.raises(Exception, match="cannot be changed"):
        questionnaire.save()
    stored = Questionnaire.objects.get(pk=published[0].pk)
    assert (stored.title, stored.version, stored.status) == (
        "Back and leg pain symptom check",
        2,
        VersionStatus.PUBLISHED,
    )


def test_a_published_ruleset_cannot_be_changed_updated_or_deleted(published):
    ruleset = Ruleset.objects.get(pk=published[1].pk)
    ruleset.definition["rules"][0]["level"] = "routine"
    with pytest.raises(Exception, match="cannot be changed"):
        ruleset.save()
    with pytest.raises(Exception, match="cannot be changed"):
        Ruleset.objects.filter(pk=ruleset.pk).update(definition={})
    with pytest.raises(Exception, match="cannot be deleted"):
        Ruleset.objects.get(pk=ruleset.pk).delete()
    with pytest.raises(Exception, match="cannot be deleted"):
        Ruleset.objects.filter(pk=ruleset.pk).delete()
    assert Ruleset.objects.get(pk=ruleset.pk).definition["rules"][0]["level"] == "emergency"


def test_a_published_version_may_be_retired(published):
    questionnaire = Questionnaire.objects.get(pk=published[0].pk)
    questionnaire.status = VersionStatus.RETIRED
    questionnaire.save()
    assert Questionnaire.objects.get(pk=questionnaire.pk).status == VersionStatus.RETIRED


def test_a_draft_version_may_be_edited_and_deleted(published):
    draft = Questionnaire.objects.create(
        slug="lumbar-radiculopathy",
        version=3,
        url=published[0].url,
        title="Draft",
        definition={"items": []},
    )
    draft.title = "Still a draft"
    draft.save()
    Questionnaire.objects.filter(pk=draft.pk).update(title="Edited")
    draft.delete()
    assert not Questionnaire.objects.filter(version=3).exists()


def test_alert_and_appointment_histories_share_one_event_shape():
    """Both histories are the kernel's history events: when, the status before and after, in
    the order things happened."""
    from clinic.history import HistoryEvent
    from scheduling.models import AppointmentEvent
    from triage.models import StaffAlertEvent

    for model in (AppointmentEvent, StaffAlertEvent):
        assert issubclass(model, HistoryEvent)
        assert model._meta.ordering == ["at", "pk"]
        assert {"at", "from_status", "to_status", "actor", "note"} <= {
            field.name for field in model._meta.get_fields()
        }
