"""The Spanish catalogues a deployment serves are the ones in the repository: every compiled
``.mo`` holds exactly the translations of the ``.po`` beside it (a merge that changes a ``.po``
without recompiling would otherwise ship English text to Spanish readers)."""

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# Where Django looks for the project's translations: LOCALE_PATHS and each project app's locale/.
LOCALE_DIRS = [
    *map(Path, settings.LOCALE_PATHS),
    *(
        Path(app.path) / "locale"
        for app in apps.get_app_configs()
        if Path(app.path).parent == ROOT  # the project's own apps, not installed packages
    ),
]
CATALOGUES = sorted(path for folder in LOCALE_DIRS for path in folder.glob("*/LC_MESSAGES/*.po"))


def _translations(catalogue) -> dict[tuple[str, str], str | tuple]:
    return {
        (entry.msgctxt or "", entry.msgid): (
            tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in catalogue.translated_entries()
    }


def test_every_app_has_a_spanish_catalogue():
    apps = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert {"clinic", "triage", "education", "scheduling", "audit", "locale"} <= apps


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(po_path):
    source = polib.pofile(str(po_path))
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert source.untranslated_entries() == []
    assert [entry.msgid for entry in source.fuzzy_entries()] == []
    assert _translations(compiled) == _translations(source)
