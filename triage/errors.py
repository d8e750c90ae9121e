"""Domain errors of triage; the API answers them as ``{"code", "detail"[, "errors"]}``."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.errors import ClinicError, Conflict, NotFound
from triage.rules import Problem


class UnknownQuestionnaire(ClinicError):
    code = "unknown_questionnaire"
    status_code = 400
    field = "questionnaire"
    default_detail = gettext_lazy("There is no published questionnaire with this name.")


class QuestionnaireNotFound(NotFound):
    default_detail = gettext_lazy("There is no published questionnaire with this name.")


class AssessmentNotFound(NotFound):
    default_detail = gettext_lazy("Assessment not found.")


class AlertAlreadyHandled(Conflict):
    """The alert has moved on (acknowledged or resolved, perhaps by a colleague meanwhile)."""

    code = "alert_already_handled"
    default_detail = gettext_lazy("This alert has already been handled.")


class InvalidAlertResolution(ClinicError):
    code = "invalid"
    status_code = 400
    default_detail = gettext_lazy("Give an outcome and a note to resolve the alert.")


class FollowUpAlreadyDone(Conflict):
    code = "follow_up_already_done"
    default_detail = gettext_lazy("This follow-up has already been done.")


class InvalidFollowUpOutcome(ClinicError):
    code = "invalid"
    status_code = 400
    default_detail = gettext_lazy("Choose what came of the follow-up (and keep the note short).")


class NoAlertToContact(ClinicError):
    """Contact details can only be added to an anonymous check that raised a staff alert."""

    code = "no_alert"
    status_code = 400
    default_detail = gettext_lazy("This result did not raise an alert for the clinic team.")


class InvalidAnswers(ClinicError):
    """Answers that cannot be evaluated. ``errors`` maps each offending linkId to messages."""

    code = "invalid"
    status_code = 400
    field = "answers"
    default_detail = gettext_lazy("Some answers are not valid.")

    def __init__(self, problems: dict[str, list[Problem]]) -> None:
        self.problems = problems
        self.errors = {
            link_id: [problem_message(problem) for problem in found]
            for link_id, found in problems.items()
        }
        first = next(iter(self.errors), "")
        super().__init__(f"answers.{first}: {self.errors[first][0]}" if first else None)


def problem_message(problem: Problem) -> str:
    """The patient- and developer-readable message of one invalid answer, translated."""
    values = {"expected": "", "min": "", "max": "", "length": "", "code": "", "choices": ""}
    values |= {key: value for key, value in problem.params.items() if key != "codes"}
    values["choices"] = ", ".join(problem.params.get("codes", ()))
    messages = {
        "unknown_item": _("This question is not part of the questionnaire."),
        "not_answerable": _("This item is a heading or text and takes no answer."),
        "wrong_type": _("Expected %(expected)s."),
        "out_of_range": _("Enter a whole number from %(min)s to %(max)s."),
        "too_long": _("Use at most %(max)s characters (this has %(length)s)."),
        "unknown_code": _("“%(code)s” is not one of the choices: %(choices)s."),
        "duplicate_code": _("Each choice may be given only once."),
        "exclusive_code": _("“%(code)s” cannot be combined with other choices."),
        "disabled": _("This question does not apply given your other answers; leave it out."),
        "required": _("This question needs an answer."),
    }
    return messages.get(problem.code, _("This answer is not valid.")) % values
