"""The base of every domain error. The API maps them to ``{"code", "detail"}`` responses."""

from django.utils.translation import gettext_lazy as _


class ClinicError(Exception):
    """A refusal the caller can act on (not a bug): a stable ``code`` and a human ``detail``.

    ``status_code`` is the HTTP status the API answers with; ``field`` names the offending
    input when there is one, so clients can attach the message to it.
    """

    code = "error"
    status_code = 400
    field: str | None = None
    default_detail = _("The request could not be completed.")

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = str(detail if detail is not None else self.default_detail)
        if field is not None:
            self.field = field
        super().__init__(self.detail)


class NotFound(ClinicError):
    code = "not_found"
    status_code = 404
    default_detail = _("Not found.")


class Conflict(ClinicError):
    code = "conflict"
    status_code = 409
    default_detail = _("The request conflicts with the current state.")
