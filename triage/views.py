"""The web questionnaire, step by step, and the result page.

Every step is the same URL (``/triage/<slug>/questions/``): which step is shown lives in the
draft, never in the address, so no answer can be guessed from a URL, a log or the history. A
logged-in patient's draft is a database row saved at every step (an expired session or a closed
tab loses nothing); an anonymous visitor's lives in their session, its free text encrypted like
the database column. An anonymous visitor can see their own results because the ids are kept in
their session only.
"""

import logging
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.context import AccessContext
from clinic.discovery import app_modules
from clinic.encryption import FieldDecryptionError, decrypt_json, encrypt_json
from triage import rules, selectors, steps
from triage.alerts import alert_contact_add
from triage.definitions import Item, QuestionnaireDef
from triage.errors import InvalidAnswers, QuestionnaireNotFound
from triage.forms import ContactPhoneForm, StepForm
from triage.models import Questionnaire
from triage.presentation import contact_offer, patient_age, result_context
from triage.selectors import DEFAULT_QUESTIONNAIRE
from triage.services import (
    StepOutcome,
    assessment_draft_discard,
    assessment_draft_save,
    assessment_step_answer,
    draft_answers_clean,
)
from triage.web_session import session_result_add, session_results, session_source

SESSION_DRAFTS = "triage_drafts"

logger = logging.getLogger(__name__)


class DraftStore:
    """Where the answers so far are kept: the patient's draft row, or the visitor's session."""

    def __init__(self, request, questionnaire: Questionnaire) -> None:
        self.request = request
        self.questionnaire = questionnaire
        self.user = request.user if request.user.is_authenticated else None
        self.access = AccessContext.web(request)

    def load(self) -> tuple[dict[str, Any], str]:
        if self.user is not None:
            draft = selectors.assessment_draft_for(
                patient=self.user, questionnaire=self.questionnaire, access=self.access
            )
            if draft is not None:
                return dict(draft.answers), draft.step
        saved = self.request.session.get(SESSION_DRAFTS, {}).get(str(self.questionnaire.pk))
        if not saved:
            return {}, ""
        return {**saved["answers"], **_unseal(saved.get("free_text", ""))}, saved["step"]

    def save(self, answers: dict[str, Any], step: str) -> dict[str, Any]:
        """Keep the answers (without those made irrelevant) and the step; return what is kept.

        Raises ``InvalidAnswers`` for a value no questionnaire would accept.
        """
        if self.user is not None:
            draft = assessment_draft_save(
                patient=self.user,
                questionnaire=self.questionnaire,
                answers=answers,
                step=step,
                access=self.access,
            )
            self._forget_session_draft()
            return draft.answers
        kept = draft_answers_clean(questionnaire=self.questionnaire, answers=answers)
        self._keep_in_session(kept, step)
        return kept

    def keep(self, outcome: StepOutcome) -> None:
        """Keep where a step led: the service already saved a patient's draft row."""
        if self.user is not None:
            self._forget_session_draft()
        else:
            self._keep_in_session(outcome.answers, outcome.step)

    def _keep_in_session(self, kept: dict[str, Any], step: str) -> None:
        definition = selectors.questionnaire_definition(questionnaire=self.questionnaire)
        structured, free_text = definition.split_free_text(kept)
        drafts = self.request.session.get(SESSION_DRAFTS, {})
        drafts[str(self.questionnaire.pk)] = {
            "answers": structured,
            "free_text": encrypt_json(free_text) if free_text else "",
            "step": step,
        }
        self.request.session[SESSION_DRAFTS] = drafts

    def clear(self) -> None:
        if self.user is not None:
            assessment_draft_discard(
                patient=self.user, questionnaire=self.questionnaire, access=self.access
            )
        self._forget_session_draft()

    def _forget_session_draft(self) -> None:
        drafts = self.request.session.get(SESSION_DRAFTS, {})
        if drafts.pop(str(self.questionnaire.pk), None) is not None:
            self.request.session[SESSION_DRAFTS] = drafts


def _unseal(token: str) -> dict[str, Any]:
    """The free text of a visitor's session draft. The session outlives no key rotation done
    by the book (old keys are kept longer than a session lives); a draft that cannot be
    decrypted anyway is dropped rather than breaking the questionnaire for good."""
    if not token:
        return {}
    try:
        return decrypt_json(token, where="a session draft")
    except FieldDecryptionError:
        logger.warning("a session draft's free text could not be decrypted; it was dropped")
        return {}


def _questionnaire(slug: str) -> tuple[Questionnaire, QuestionnaireDef]:
    try:
        questionnaire = selectors.questionnaire_published(slug=slug)
    except QuestionnaireNotFound as exc:
        raise Http404 from exc
    return questionnaire, selectors.questionnaire_definition(questionnaire=questionnaire)


def _step_number(definition: QuestionnaireDef, step: Item) -> int:
    """The step's number among the steps every patient goes through. A follow-up step (asked
    only after some answers) carries the number of the step it follows up, so the count never
    changes half-way ("Step 1 of 6" stays "of 6")."""
    index = definition.steps.index(step)
    return max(1, sum(1 for s in definition.steps[: index + 1] if s in definition.main_steps))


def _prefilled(definition: QuestionnaireDef, step: Item, answers: dict, user) -> dict[str, Any]:
    """First values the patient's record gives for the step's unanswered questions (their age
    from the date of birth on file): shown filled in, still editable."""
    values = {}
    for item in step.items:
        if item.prefill == "patient_age" and item.link_id not in answers:
            age = patient_age(user)
            if age is not None:
                values[item.link_id] = age
    return values


def start(request, slug: str = DEFAULT_QUESTIONNAIRE):
    questionnaire, definition = _questionnaire(slug)
    store = DraftStore(request, questionnaire)
    if request.method == "POST":
        store.clear()
        return redirect("triage:questions", slug=slug)
    answers, _step = store.load()
    return render(
        request,
        "triage/start.html",
        {"definition": definition, "has_draft": bool(answers), "slug": slug},
    )


@require_http_methods(["GET", "POST"])
def questions(request, slug: str):
    questionnaire, definition = _questionnaire(slug)
    store = DraftStore(request, questionnaire)
    answers, current = store.load()
    if request.method == "POST":
        current = request.POST.get("step", "")
    active = steps.active_steps(definition, answers)
    ids = [step.link_id for step in active]
    index = ids.index(current) if current in ids else 0
    step = active[index]
    enabled = rules.enabled_ids(definition, answers)
    form_kwargs = {
        "questions": steps.step_questions(step, enabled),
        "answers": answers,
        "prefilled": _prefilled(definition, step, answers, request.user),
    }

    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = StepForm(request.POST, **form_kwargs)
        if action == "back":
            if form.is_valid():
                answers.update(form.answers())
            target = active[max(index - 1, 0)].link_id
            try:
                store.save(answers, target)
            except InvalidAnswers as exc:
                _report(form, exc)
            return redirect("triage:questions", slug=slug)
        if form.is_valid():
            answers.update(form.answers())
            try:
                outcome = assessment_step_answer(
                    questionnaire=questionnaire,
                    answers=answers,
                    step=step.link_id,
                    patient=store.user,
                    session_key=session_source(request) if store.user is None else "",
                    access=store.access,
                )
            except InvalidAnswers as exc:
                _report(form, exc)
            else:
                return _after_step(request, store, outcome, slug)
    else:
        form = StepForm(**form_kwargs)

    return render(
        request,
        "triage/step.html",
        {
            "definition": definition,
            "step": step,
            "display_items": [i for i in step.items if i.type == "display"],
            "form": form,
            "number": _step_number(definition, step),
            "total": len(definition.main_steps),
            "is_first": index == 0,
            "is_last": index == len(active) - 1,
            "slug": slug,
        },
    )


def _report(form: StepForm, exc: InvalidAnswers) -> None:
    for link_id, errors in exc.errors.items():
        form.add_error(link_id if link_id in form.fields else None, errors)


def _after_step(request, store: DraftStore, outcome: StepOutcome, slug: str):
    """The result when the questionnaire ended (finished, or stopped early with the emergency
    advice), else the next step."""
    if outcome.assessment is not None:
        return _show_result(request, store, outcome.assessment)
    store.keep(outcome)
    if outcome.refused:
        messages.error(request, _("Please check this answer before we show your result."))
    return redirect("triage:questions", slug=slug)


def _show_result(request, store: DraftStore, assessment):
    store.clear()
    if store.user is None:
        session_result_add(request, assessment.pk)
    return redirect("triage:result", assessment_id=assessment.pk)


def _visible_assessment(request, assessment_id):
    assessment = selectors.assessment_for_visitor(
        user=request.user,
        assessment_id=assessment_id,
        session_ids=session_results(request),
        access=AccessContext.web(request),
    )
    if assessment is None:
        raise Http404
    return assessment


def _further_reading(assessment) -> dict:
    """What the apps built on triage add under a result (each ``<app>.triage_result``, found
    by ``clinic.discovery``; education: ``articles`` to read next): their context, and their
    templates as ``further_reading``. Triage imports none of them."""
    context: dict = {"further_reading": []}
    for module in app_modules("triage_result"):
        context.update(module.context(assessment=assessment))
        context["further_reading"].append(module.TEMPLATE)
    return context


def _render_result(request, assessment, contact_form=None, status=200):
    context = result_context(assessment, user=request.user)
    context.update(_further_reading(assessment))
    offer = contact_offer(assessment)
    # Always set: a missing template variable is logged at DEBUG with the whole context.
    context["contact"] = (
        {**offer, "form": contact_form or ContactPhoneForm()} if offer is not None else None
    )
    return render(request, "triage/result.html", context, status=status)


def result(request, assessment_id):
    return _render_result(request, _visible_assessment(request, assessment_id))


@require_POST
def result_contact(request, assessment_id):
    """An anonymous visitor with an urgent or emergency result leaves a phone number for the
    clinic to call (added to the staff alert, encrypted)."""
    assessment = _visible_assessment(request, assessment_id)
    if contact_offer(assessment) is None:
        raise Http404
    form = ContactPhoneForm(request.POST)
    if not form.is_valid():
        return _render_result(request, assessment, contact_form=form, status=400)
    alert_contact_add(
        assessment=assessment, phone=form.cleaned_data["phone"], access=AccessContext.web(request)
    )
    messages.success(request, _("Thank you. The clinic team can now call you on this number."))
    return redirect("triage:result", assessment_id=assessment.pk)
