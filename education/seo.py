"""schema.org data for article pages (JSON-LD): a MedicalWebPage and, with a FAQ, a FAQPage."""

from typing import Any

from education.models import Person
from education.selectors import FaqItem, LocalizedArticle


def _person(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    data = {"@type": "Person", "name": person.name}
    if person.credentials:
        data["honorificSuffix"] = person.credentials
    if person.job_title:
        data["jobTitle"] = person.job_title
    return data


def article_json_ld(
    *, text: LocalizedArticle, faq: list[FaqItem], url: str, site_name: str, site_url: str
) -> dict[str, Any]:
    article = text.article
    page: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#page",
        "url": url,
        "name": text.title,
        "headline": text.title,
        "description": text.summary,
        "inLanguage": text.language,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "author": _person(article.author),
        "publisher": {"@type": "MedicalOrganization", "name": site_name, "url": site_url},
        "dateModified": article.updated_at.isoformat(),
    }
    if article.published_at:
        page["datePublished"] = article.published_at.isoformat()
    if article.last_reviewed:
        page["lastReviewed"] = article.last_reviewed.isoformat()
    if article.reviewer:
        page["reviewedBy"] = _person(article.reviewer)
    graph = [page]
    if faq:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{url}#faq",
                "url": url,
                "inLanguage": faq[0].language,
                "isPartOf": {"@id": f"{url}#page"},
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": item.question,
                        "acceptedAnswer": {"@type": "Answer", "text": item.answer},
                    }
                    for item in faq
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}
