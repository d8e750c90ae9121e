"""Regenerate ``triage/definitions_i18n.py``: every patient-facing text of the definition files
as a ``gettext_noop`` msgid, so ``makemessages`` puts them in the Spanish catalogue.

The files keep the English; the web and the API translate with ``gettext(text)`` at display
time. Run after adding a definition file, then ``makemessages`` and translate.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from triage.definitions import definition_files, is_ruleset_file

TARGET = Path(__file__).resolve().parents[2] / "definitions_i18n.py"

HEADER = '''# ruff: noqa: E501
"""Patient-facing texts of the definition files, for translation (generated: do not edit).

Regenerate with ``manage.py triage_messages`` (then ``ruff format``); ``makemessages`` reads
these msgids.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
'''


def definition_texts() -> list[str]:
    """Every translatable text of every definition file, in file order, without repeats."""
    texts: list[str] = []

    def add(text: str) -> None:
        if text and text not in texts:
            texts.append(text)

    def walk(items: list[dict]) -> None:
        for item in items:
            add(item.get("text", ""))
            add(item.get("help", ""))
            for option in item.get("answerOption", ()):
                add(option["display"])
            walk(item.get("items", []))

    for _path, data in definition_files():
        if is_ruleset_file(data):
            for rule in data["rules"]:
                add(rule["patient_message"])
                for sign in rule.get("warning_signs", ()):
                    add(sign)
        else:
            add(data["title"])
            add(data.get("description", ""))
            walk(data["items"])
    return texts


def render() -> str:
    lines = [HEADER]
    for text in definition_texts():
        lines.append(f"    gettext_noop({text!r}),\n")
    lines.append(")\n")
    return "".join(lines)


class Command(BaseCommand):
    help = "Regenerate triage/definitions_i18n.py from the definition files."

    def handle(self, *args, **options):
        TARGET.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {len(definition_texts())} texts to {TARGET.name}")
