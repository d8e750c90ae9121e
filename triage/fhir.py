"""FHIR R4 export: a questionnaire version as ``Questionnaire``, an assessment as
``QuestionnaireResponse``. Plain dicts ready for JSON; the tests validate them with the
fhir.resources R4B models. Texts are translated into the active language, which the resource
states in ``language``."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext as _

from triage.definitions import EnableWhen, Item, QuestionnaireDef
from triage.models import Assessment, VersionStatus

FHIR_MEDIA_TYPE = "application/fhir+json"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
_STATUS = {
    VersionStatus.DRAFT: "draft",
    VersionStatus.PUBLISHED: "active",
    VersionStatus.RETIRED: "retired",
}


def _extension_base(questionnaire: QuestionnaireDef) -> str:
    parts = urlsplit(questionnaire.url)
    return f"{parts.scheme}://{parts.netloc}/fhir/StructureDefinition"


def _answer_value(item: Item, value: Any) -> dict:
    """The ``value[x]`` of one answer (or of an enableWhen's ``answer[x]`` without the prefix)."""
    if item.type == "boolean":
        return {"Boolean": value}
    if item.type == "integer":
        return {"Integer": value}
    if item.type in ("choice", "open-choice") and item.option(value) is not None:
        return {"Coding": {"code": value, "display": _(item.option(value).display)}}
    return {"String": value}


def _enable_when(condition: EnableWhen, questionnaire: QuestionnaireDef) -> dict:
    entry: dict[str, Any] = {"question": condition.question, "operator": condition.operator}
    if condition.operator == "exists":
        entry["answerBoolean"] = bool(condition.answer)
        return entry
    source = questionnaire.by_id[condition.question]
    ((kind, value),) = _answer_value(source, condition.answer).items()
    entry[f"answer{kind}"] = value
    return entry


def _questionnaire_item(item: Item, questionnaire: QuestionnaireDef, base: str) -> dict:
    out: dict[str, Any] = {"linkId": item.link_id, "text": _(item.text), "type": item.type}
    extensions = []
    if item.min_value is not None:
        extensions.append({"url": EXT_MIN_VALUE, "valueInteger": item.min_value})
    if item.max_value is not None:
        extensions.append({"url": EXT_MAX_VALUE, "valueInteger": item.max_value})
    if item.red_flag:
        extensions.append({"url": f"{base}/triage-red-flag", "valueBoolean": True})
    if extensions:
        out["extension"] = extensions
    if item.enable_when:
        out["enableWhen"] = [_enable_when(c, questionnaire) for c in item.enable_when]
        if len(item.enable_when) > 1:
            out["enableBehavior"] = item.enable_behavior
    if item.answerable:
        out["required"] = item.required
    if item.repeats:
        out["repeats"] = True
    if item.max_length is not None:
        out["maxLength"] = item.max_length
    if item.options:
        out["answerOption"] = [
            {
                "valueCoding": {"code": option.code, "display": _(option.display)},
                **(
                    {"extension": [{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}]}
                    if option.exclusive
                    else {}
                ),
            }
            for option in item.options
        ]
    children = [_questionnaire_item(child, questionnaire, base) for child in item.items]
    if item.help:
        children.insert(
            0,
            {
                "linkId": f"{item.link_id}-help",
                "text": _(item.help),
                "type": "display",
                "extension": [
                    {
                        "url": EXT_ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help"}]
                        },
                    }
                ],
            },
        )
    if children:
        out["item"] = children
    return out


def questionnaire_resource(
    questionnaire: QuestionnaireDef, *, status: str, published_at: datetime | None
) -> dict:
    """The FHIR R4 ``Questionnaire`` of one version, in the active language."""
    base = _extension_base(questionnaire)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{questionnaire.slug}-v{questionnaire.version}",
        "language": translation.get_language() or "en",
        "url": questionnaire.url,
        "version": str(questionnaire.version),
        "name": questionnaire.name,
        "title": _(questionnaire.title),
        "status": _STATUS.get(status, "unknown"),
        "subjectType": ["Patient"],
        "publisher": questionnaire.publisher,
        "description": _(questionnaire.description),
        "item": [_questionnaire_item(item, questionnaire, base) for item in questionnaire.items],
    }
    if published_at is not None:
        resource["date"] = published_at.isoformat()
    return resource


def _response_items(items: tuple[Item, ...], answers: dict[str, Any]) -> list[dict]:
    out = []
    for item in items:
        if item.type == "group":
            children = _response_items(item.items, answers)
            if children:
                out.append({"linkId": item.link_id, "text": _(item.text), "item": children})
            continue
        value = answers.get(item.link_id)
        if not item.answerable or value is None:
            continue
        values = value if isinstance(value, list) else [value]
        answer = []
        for single in values:
            ((kind, fhir_value),) = _answer_value(item, single).items()
            answer.append({f"value{kind}": fhir_value})
        out.append({"linkId": item.link_id, "text": _(item.text), "answer": answer})
    return out


def questionnaire_response_resource(
    assessment: Assessment, questionnaire: QuestionnaireDef
) -> dict:
    """The FHIR R4 ``QuestionnaireResponse`` of an assessment, with the triage result (urgency,
    pattern, ruleset) as extensions."""
    base = _extension_base(questionnaire)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(assessment.pk),
        "language": translation.get_language() or "en",
        "extension": [
            {"url": f"{base}/triage-urgency", "valueCode": assessment.urgency},
            {"url": f"{base}/triage-pattern", "valueCode": assessment.pattern},
            {"url": f"{base}/triage-ruleset", "valueString": assessment.ruleset.reference},
        ],
        "questionnaire": questionnaire.reference,
        # An assessment stopped at the first emergency was deliberately not finished.
        "status": "completed" if assessment.complete else "stopped",
        "authored": assessment.created_at.isoformat(),
        "item": _response_items(questionnaire.items, assessment.answers),
    }
