"""The small, safe condition language of the triage rules (data, never code).

A condition is JSON:

- ``{"all": [c, ...]}``, ``{"any": [c, ...]}``, ``{"not": c}``;
- ``{"answer": linkId, "is": value}``: the answer equals the value (same JSON type);
- ``{"answer": linkId, "in": [v, ...]}``: the answer is one of the values;
- ``{"answer": linkId, "includes": code}``: a multi-select answer contains the code;
- ``{"answer": linkId, "at_least": n}`` / ``"at_most"``: an integer answer's bound;
- ``{"answer": linkId, "answered": true|false}``: whether the question has an answer.

Every comparison but ``answered`` is false for an unanswered question. ``check_condition``
rejects anything else at load time; ``compile_condition`` turns a checked condition into a
plain function of the answers (pure, no I/O), so evaluating a ruleset is a few function calls.
"""

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.definitions import Item

Answers = Mapping[str, Any]
Test = Callable[[Answers], bool]

COMPARISONS = ("is", "in", "includes", "at_least", "at_most", "answered")


class DefinitionError(ValueError):
    """A questionnaire or ruleset definition that does not hold together."""


def is_answered(value: Any) -> bool:
    """``None``, an empty list and an empty string mean "no answer" ("not sure")."""
    return value is not None and value != [] and value != ""


def same(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1`` (Python's ``bool`` is an ``int``)."""
    return type(a) is type(b) and a == b


def check_condition(condition: Any, items: "Mapping[str, Item]", where: str) -> None:
    """Raise ``DefinitionError`` unless ``condition`` is well formed and names real items/codes."""
    if not isinstance(condition, dict) or not condition:
        raise DefinitionError(f"{where}: a condition must be a non-empty object")
    if "all" in condition or "any" in condition:
        if len(condition) != 1:
            raise DefinitionError(f"{where}: 'all'/'any' stand alone in their object")
        ((key, parts),) = condition.items()
        if not isinstance(parts, list) or not parts:
            raise DefinitionError(f"{where}: {key!r} needs a non-empty list")
        for part in parts:
            check_condition(part, items, where)
        return
    if "not" in condition:
        if len(condition) != 1:
            raise DefinitionError(f"{where}: 'not' stands alone in its object")
        check_condition(condition["not"], items, where)
        return
    link_id = condition.get("answer")
    item = items.get(link_id)
    if item is None or not item.answerable:
        raise DefinitionError(f"{where}: condition names unknown question {link_id!r}")
    ops = [key for key in condition if key != "answer"]
    if len(ops) != 1 or ops[0] not in COMPARISONS:
        raise DefinitionError(f"{where}: {link_id}: expected exactly one of {COMPARISONS}")
    op, value = ops[0], condition[ops[0]]
    if op == "in" and (not isinstance(value, list) or not value):
        raise DefinitionError(f"{where}: {link_id}: 'in' needs a non-empty list")
    if op == "answered" and not isinstance(value, bool):
        raise DefinitionError(f"{where}: {link_id}: 'answered' is true or false")
    if op == "includes" and not item.repeats:
        raise DefinitionError(f"{where}: 'includes' needs a multi-select item, not {link_id}")
    if op in ("at_least", "at_most") and (item.type != "integer" or type(value) is not int):
        raise DefinitionError(f"{where}: {op!r} needs an integer item and bound ({link_id})")
    if op in ("is", "in", "includes"):
        values = value if op == "in" else [value]
        if item.type == "boolean" and any(type(v) is not bool for v in values):
            raise DefinitionError(f"{where}: {link_id} is a yes/no question")
        if item.type == "choice":
            unknown = [v for v in values if v not in item.codes]
            if unknown:
                raise DefinitionError(f"{where}: {link_id} has no code(s) {unknown}")


def compile_condition(condition: dict) -> Test:
    """A function ``answers -> bool`` for a condition that ``check_condition`` accepted."""
    if "all" in condition:
        parts = tuple(compile_condition(part) for part in condition["all"])
        return lambda answers: all(test(answers) for test in parts)
    if "any" in condition:
        parts = tuple(compile_condition(part) for part in condition["any"])
        return lambda answers: any(test(answers) for test in parts)
    if "not" in condition:
        inner = compile_condition(condition["not"])
        return lambda answers: not inner(answers)
    link_id = condition["answer"]
    if "answered" in condition:
        wanted = condition["answered"]
        return lambda answers: is_answered(answers.get(link_id)) is wanted
    if "is" in condition:
        expected = condition["is"]
        return lambda answers: same(answers.get(link_id), expected)
    if "in" in condition:
        options = tuple(condition["in"])
        return lambda answers: any(same(answers.get(link_id), o) for o in options)
    if "includes" in condition:
        code = condition["includes"]
        return lambda answers: _list(answers.get(link_id)).count(code) > 0
    if "at_least" in condition:
        low = condition["at_least"]
        return lambda answers: _int_between(answers.get(link_id), low, None)
    high = condition["at_most"]
    return lambda answers: _int_between(answers.get(link_id), None, high)


def condition_known(condition: dict, answers: Answers, pending: Collection[str]) -> bool | None:
    """Whether a checked condition holds while the questions in ``pending`` are still to be
    asked: ``True`` or ``False`` when it does so whatever their answers turn out to be,
    ``None`` when that depends on them (three-valued logic; each comparison looks at one
    question, so a definite answer here is the answer of every completion)."""
    if "all" in condition or "any" in condition:
        want_all = "all" in condition
        results = [
            condition_known(part, answers, pending) for part in next(iter(condition.values()))
        ]
        decisive = not want_all  # a False settles "all", a True settles "any"
        if decisive in results:
            return decisive
        return None if None in results else want_all
    if "not" in condition:
        inner = condition_known(condition["not"], answers, pending)
        return None if inner is None else not inner
    if condition["answer"] in pending:
        return None
    return compile_condition(condition)(answers)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _int_between(value: Any, low: int | None, high: int | None) -> bool:
    if type(value) is not int:
        return False
    return (low is None or value >= low) and (high is None or value <= high)
