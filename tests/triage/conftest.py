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
