import json

import pytest

from triage import selectors
from triage.definitions import DEFINITIONS_DIR, parse_questionnaire, parse_ruleset
from triage.loading import publish_files
from triage.models import Questionnaire, Ruleset


def parsed_files(version: int):
    """The parsed questionnaire and ruleset of one version, straight from the files."""
    questionnaire = parse_questionnaire(
        json.loads((DEFINITIONS_DIR / f"lumbar-radiculopathy.v{version}.json").read_text())
    )
    rules = json.loads(
        (DEFINITIONS_DIR / f"lumbar-radiculopathy-rules.v{version}.json").read_text()
    )
    return questionnaire, parse_ruleset(rules, questionnaire)


@pytest.fixture(scope="session")
def definitions():
    """The parsed v2 (current) questionnaire and ruleset (no database)."""
    return parsed_files(2)


@pytest.fixture(scope="session")
def definitions_v1():
    """The parsed v1 questionnaire and ruleset: still judged exactly as when published."""
    return parsed_files(1)


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
