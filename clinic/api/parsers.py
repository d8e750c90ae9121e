"""The API's JSON parser: DRF's, plus two refusals before any view sees the body.

- Nesting deeper than ``MAX_JSON_DEPTH`` is a 400 ``parse_error``. Python's decoder raises
  ``RecursionError`` near a thousand levels, which nothing would catch (a 500), and a
  structure a few hundred levels deep would only move the same failure into whatever walks it
  next (validation, encryption, the rules engine). No operation takes more than a few levels.
- A NUL character in any key or string value is a 400 naming the field: PostgreSQL text cannot
  hold it, and a lookup with it fails as a database error (a 500), not as a missing object.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

MAX_JSON_DEPTH = 32


def _problem(data) -> tuple[str, tuple[str, ...]] | None:
    """``("depth" | "null", path)`` of the first problem in parsed JSON, walked without
    recursion; ``None`` when there is none."""
    pending: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while pending:
        value, path = pending.pop()
        if len(path) > MAX_JSON_DEPTH:
            return "depth", path
        if isinstance(value, str):
            if "\x00" in value:
                return "null", path
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return "null", (*path, key.replace("\x00", ""))
                pending.append((item, (*path, key)))
        elif isinstance(value, list):
            pending.extend((item, (*path, str(index))) for index, item in enumerate(value))
    return None


def _nested(path: tuple[str, ...], message: str) -> dict:
    """``{"answers": {"notes": [message]}}`` for the path ``("answers", "notes")``."""
    errors: object = [message]
    for key in reversed(path or ("non_field_errors",)):
        errors = {key: errors}
    return errors


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc
        problem = _problem(data)
        if problem is None:
            return data
        kind, path = problem
        if kind == "depth":
            raise ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.")
                % {"depth": MAX_JSON_DEPTH}
            )
        raise ValidationError(_nested(path, str(ProhibitNullCharactersValidator.message)))
