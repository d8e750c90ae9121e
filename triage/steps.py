"""Which questionnaire steps a patient goes through, from the answers so far: plain functions
over the questionnaire's definition (no database), shared by the web flow's service and its
pages."""

from collections.abc import Mapping
from typing import Any

from triage import rules
from triage.definitions import Item, QuestionnaireDef


def step_questions(step: Item, enabled: frozenset[str]) -> list[Item]:
    """The step's questions that the answers so far enable."""
    return [item for item in step.items if item.answerable and item.link_id in enabled]


def active_steps(definition: QuestionnaireDef, answers: Mapping[str, Any]) -> list[Item]:
    """The steps that have at least one question enabled by the answers so far."""
    enabled = rules.enabled_ids(definition, answers)
    return [step for step in definition.steps if step_questions(step, enabled)]


def step_holding(definition: QuestionnaireDef, link_id: str) -> str:
    """The linkId of the step that asks ``link_id`` ("" when no step does)."""
    return next(
        (
            step.link_id
            for step in definition.steps
            if any(item.link_id == link_id for item in step.items)
        ),
        "",
    )


def step_after(definition: QuestionnaireDef, answers: Mapping[str, Any], step: str) -> str:
    """The step that follows ``step`` for these answers; "" after the last one."""
    ids = [s.link_id for s in active_steps(definition, answers)]
    position = ids.index(step) if step in ids else -1
    return ids[position + 1] if position + 1 < len(ids) else ""
