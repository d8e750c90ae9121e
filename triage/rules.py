"""The triage engine: which items are enabled, whether answers are valid, and the result.

Pure functions over a parsed questionnaire and ruleset (``triage.definitions``) and a mapping
``linkId -> value`` (booleans, integers, a code, a list of codes, text; ``None`` or a missing key
is "no answer"). No Django, no ORM, no I/O: the API, the web pages, the tests and the benchmark
all call the same code.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.conditions import condition_known, is_answered, same
from triage.definitions import (
    LEVELS,
    EnableWhen,
    Item,
    QuestionnaireDef,
    Rule,
    RulesetDef,
    rule_sort_key,
)

LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PATTERN_NONE = "none"
PATTERN_UNSPECIFIED = "unspecified"
PATTERN_BOTH = "L5_S1"
PATTERN_CHOICES = ("L5", "S1", PATTERN_BOTH, PATTERN_UNSPECIFIED, PATTERN_NONE)


@dataclass(frozen=True)
class Problem:
    """Why one answer is invalid: a stable ``code`` and the values its message needs."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FiredRule:
    rule: str
    level: str
    message: str
    staff_message: str
    source: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "staff_message": self.staff_message,
            "source": self.source,
        }


@dataclass(frozen=True)
class TriageResult:
    urgency: str
    pattern: str
    scores: dict[str, int]
    flags: tuple[FiredRule, ...]


def _condition_holds(condition: EnableWhen, value: Any) -> bool:
    """One FHIR enableWhen test. With no answer only ``exists false`` holds."""
    if condition.operator == "exists":
        return is_answered(value) is bool(condition.answer)
    if not is_answered(value):
        return False
    values = value if isinstance(value, list) else [value]
    expected = condition.answer
    if condition.operator == "=":
        return any(same(v, expected) for v in values)
    if condition.operator == "!=":
        return not any(same(v, expected) for v in values)
    numbers = [v for v in values if type(v) is int]
    if type(expected) is not int or not numbers:
        return False
    compare = {
        ">": int.__gt__,
        "<": int.__lt__,
        ">=": int.__ge__,
        "<=": int.__le__,
    }[condition.operator]
    return any(compare(v, expected) for v in numbers)


def enabled_ids(questionnaire: QuestionnaireDef, answers: Mapping[str, Any]) -> frozenset[str]:
    """The linkIds enabled by these answers (FHIR enableWhen semantics).

    Document order matters: an enableWhen that points at a disabled item sees no answer, and
    the children of a disabled group are disabled.
    """
    enabled: set[str] = set()

    def visit(items: tuple[Item, ...], parent_enabled: bool) -> None:
        for item in items:
            on = parent_enabled
            if on and item.enable_when:
                tests = (
                    _condition_holds(c, answers.get(c.question) if c.question in enabled else None)
                    for c in item.enable_when
                )
                on = any(tests) if item.enable_behavior == "any" else all(tests)
            if on:
                enabled.add(item.link_id)
            visit(item.items, on)

    visit(questionnaire.items, True)
    return frozenset(enabled)


def _value_problem(item: Item, value: Any) -> Problem | None:
    if item.type == "boolean":
        return None if type(value) is bool else Problem("wrong_type", {"expected": "boolean"})
    if item.type == "integer":
        if type(value) is not int:
            return Problem("wrong_type", {"expected": "integer"})
        if (item.min_value is not None and value < item.min_value) or (
            item.max_value is not None and value > item.max_value
        ):
            return Problem("out_of_range", {"min": item.min_value, "max": item.max_value})
        return None
    if item.type == "text":
        if not isinstance(value, str):
            return Problem("wrong_type", {"expected": "text"})
        if item.max_length is not None and len(value) > item.max_length:
            return Problem("too_long", {"max": item.max_length, "length": len(value)})
        return None
    return _choice_problem(item, value)


def _choice_problem(item: Item, value: Any) -> Problem | None:
    if item.repeats:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Problem("wrong_type", {"expected": "list of codes"})
        codes = value
    else:
        if not isinstance(value, str):
            return Problem("wrong_type", {"expected": "code"})
        codes = [value]
    if item.type == "choice":
        unknown = [code for code in codes if code not in item.codes]
        if unknown:
            return Problem("unknown_code", {"code": unknown[0], "codes": sorted(item.codes)})
    if len(set(codes)) != len(codes):
        return Problem("duplicate_code")
    exclusive = [code for code in codes if (o := item.option(code)) and o.exclusive]
    if exclusive and len(codes) > 1:
        return Problem("exclusive_code", {"code": exclusive[0]})
    return None


def validate_answers(
    questionnaire: QuestionnaireDef, answers: Mapping[str, Any]
) -> dict[str, list[Problem]]:
    """Problems keyed by linkId; empty when the answers can be evaluated.

    Catches an unknown linkId, an item that takes no answer (group, display), a value of the
    wrong JSON type, an unknown code, an out-of-range integer, text over its maximum length, a
    repeated or wrongly combined code, an answer to a disabled item and a missing required one.
    """
    problems: dict[str, list[Problem]] = {}
    for link_id, value in answers.items():
        item = questionnaire.by_id.get(link_id)
        if item is None:
            problems[link_id] = [Problem("unknown_item")]
        elif not item.answerable:
            problems[link_id] = [Problem("not_answerable")]
        elif value is not None:
            problem = _value_problem(item, value)
            if problem is not None:
                problems[link_id] = [problem]
    # enableWhen only looks at well-typed answers, so a bad value cannot enable anything.
    clean = {k: v for k, v in answers.items() if k not in problems}
    enabled = enabled_ids(questionnaire, clean)
    for item in questionnaire.questions():
        if item.link_id in problems:
            continue
        answered = is_answered(clean.get(item.link_id))
        if answered and item.link_id not in enabled:
            problems[item.link_id] = [Problem("disabled")]
        elif not answered and item.required and item.link_id in enabled:
            problems[item.link_id] = [Problem("required")]
    return problems


def _pattern(ruleset: RulesetDef, answers: Mapping[str, Any]) -> tuple[str, dict[str, int]]:
    scores = {
        name: sum(1 for test in tests if test(answers))
        for name, tests in ruleset.pattern_tests.items()
    }
    l5, s1 = scores["L5"], scores["S1"]
    if l5 > s1:
        return "L5", scores
    if s1 > l5:
        return "S1", scores
    if l5 > 0:
        return PATTERN_BOTH, scores
    if ruleset.leg_symptoms(answers):
        return PATTERN_UNSPECIFIED, scores
    return PATTERN_NONE, scores


def _fires(rule: Rule, answers: Mapping[str, Any], pending: Collection[str]) -> bool:
    if not pending:
        return rule.test(answers)
    return condition_known(rule.when, answers, pending) is True


def evaluate(
    ruleset: RulesetDef, answers: Mapping[str, Any], *, pending: Collection[str] = ()
) -> TriageResult:
    """Evaluate every rule; the highest level among those that fire is the urgency.

    Expects answers that ``validate_answers`` accepted. ``pending`` names questions not asked
    yet (a questionnaire stopped early): a rule counts only if it fires whatever their answers
    will be, so the urgency is one the complete answers could only raise. Flags are listed
    highest level first, then by rule id: the order of the rules in the file changes nothing.
    ``routine`` when nothing fires.
    """
    fired = [
        FiredRule(rule.id, rule.level, rule.patient_message, rule.staff_message, rule.source)
        for rule in ruleset.rules
        if _fires(rule, answers, pending)
    ]
    fired.sort(key=lambda flag: (-LEVEL_RANK[flag.level], rule_sort_key(flag.rule)))
    urgency = fired[0].level if fired else LEVELS[0]
    pattern, scores = _pattern(ruleset, answers)
    return TriageResult(urgency=urgency, pattern=pattern, scores=scores, flags=tuple(fired))
