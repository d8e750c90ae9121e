import pytest

from triage import selectors
from triage.definitions import definition_files, is_ruleset_file, parse_questionnaire, parse_ruleset
from triage.loading import publish_files
from triage.models import Questionnaire, Ruleset


@pytest.fixture(scope="session")
def definitions():
    """The parsed v1 questionnaire and ruleset, straight from the files (no database)."""
    files = [data for _path, data in definition_files()]
    questionnaire = parse_questionnaire(next(d for d in files if not is_ruleset_file(d)))
    ruleset = parse_ruleset(next(d for d in files if is_ruleset_file(d)), questionnaire)
    return questionnaire, ruleset


@pytest.fixture
def questionnaire(definitions):
    return definitions[0]


@pytest.fixture
def ruleset(definitions):
    return definitions[1]


@pytest.fixture
def published(db):
    """The published rows. The data migration made them; a transactional test elsewhere may
    have flushed them, so they are published again (idempotent) when missing."""
    publish_files(Questionnaire, Ruleset)
    questionnaire = selectors.questionnaire_published(slug="lumbar-radiculopathy")
    return questionnaire, selectors.ruleset_published_for(questionnaire=questionnaire)


@pytest.fixture
def alert_setup(published, settings):
    """Two locations (the first is the default), an "Alert responders" group, no fallback
    address and no escalation list: each test says what it needs."""
    from tests.triage.alerting import AlertSetup

    settings.ALERT_FALLBACK_EMAIL = ""
    settings.ALERT_ESCALATION_EMAILS = []
    settings.ALERT_CHANNELS = ["email"]
    return AlertSetup.make()
