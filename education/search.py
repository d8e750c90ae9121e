"""Article search on SQLite (the embedded default), kept close to PostgreSQL's full-text search.

Two FTS5 tables hold each article's text, one row per article: English (``porter`` stemming,
accents folded) and Spanish (accents folded; words reduced by a light Spanish stemmer here,
before they are stored and before they are searched, since SQLite has no Spanish stemmer). Both
carry the article's topic tag names in their language. A search is read once into a
``QueryPlan``, like PostgreSQL's ``websearch_to_tsquery``: words must all match (``or`` between
two makes either do), ``"quoted words"`` are a phrase, ``-word`` excludes, common short words
are ignored. The selectors turn the same plan into PostgreSQL's query, so both databases answer
the same searches alike.

The education services write the rows (``index_rows``); the selectors run the query
(``ranked_ids``).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.utils.html import strip_tags

TABLES = {"en": "education_article_fts_en", "es": "education_article_fts_es"}
TOKENIZERS = {"en": "porter unicode61 remove_diacritics 2", "es": "unicode61 remove_diacritics 2"}
COLUMNS = ("title", "summary", "body", "tags")
# bm25 column weights: title > summary = tags > body (PostgreSQL: A, B, B, C).
WEIGHTS = (8.0, 4.0, 1.0, 4.0)

_STOP = "a an and are as at be by can do does for from has have how i in is it my of on or "
_STOP += "the to what when where which who why with you your "
_STOP += "al con de del el en es la las lo los mi o para por que se su sus un una unas "
_STOP += "unos y como cuando"
# Common short words of either language (without accents), left out of a search as
# PostgreSQL's stop words are.
STOP_WORDS = frozenset(_STOP.split())
_WORD = re.compile(r"\w+", re.UNICODE)
_ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')

Term = tuple[str, ...]  # one word, or the words of a phrase


def fold(text: str) -> str:
    """Lower case without accents (``ciática`` -> ``ciatica``; ``ñ`` -> ``n``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def spanish_stem(word: str) -> str:
    """A light Spanish stemmer: plural, then gender endings (``inyecciones`` and
    ``inyección`` -> ``inyeccion``; ``discos`` -> ``disc``; ``señales`` -> ``senal``)."""
    word = fold(word)
    if len(word) > 4 and word.endswith("ces"):
        word = word[:-3] + "z"
    elif len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aoe":
        word = word[:-1]
    return word


def spanish_text(text: str) -> str:
    """Text as the Spanish table stores it: every word stemmed."""
    return " ".join(spanish_stem(word) for word in _WORD.findall(text))


@dataclass(frozen=True)
class QueryPlan:
    """What a search asks for: every group must match (a group is one term, or terms joined
    by ``or``), and no excluded term may."""

    groups: list[list[Term]]
    excluded: list[Term]


def query_plan(q: str) -> QueryPlan:
    """``websearch``-style: words, ``"phrases"``, ``-excluded`` ones, ``or`` between two."""
    items: list[tuple[Term, bool, bool]] = []  # (words, negated, or-with-previous)
    pending_or = False
    for negated, phrase, bare in _ITEM.findall(q):
        if bare and bare.lower() == "or" and items:
            pending_or = True
            continue
        is_negated = bool(negated) or (bool(bare) and bare.startswith("-"))
        words = tuple(_WORD.findall(phrase if phrase or not bare else bare))
        if words:
            items.append((words, is_negated, pending_or and not is_negated))
        pending_or = False
    meaningful = [item for item in items if len(item[0]) > 1 or fold(item[0][0]) not in STOP_WORDS]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    for words, negated, either in meaningful or items:
        if negated:
            excluded.append(words)
        elif either and groups:
            groups[-1].append(words)
        else:
            groups.append([words])
    return QueryPlan(groups, excluded)


def _fts_term(words: Term, language: str) -> str:
    stem = spanish_stem if language == "es" else fold
    return '"' + " ".join(stem(word) for word in words) + '"'


def match_expression(plan: QueryPlan, language: str) -> str | None:
    """The FTS5 ``MATCH`` expression of a search in ``language``'s table, or ``None`` when it
    has nothing to look for."""
    if not plan.groups:
        return None
    expression = " AND ".join(
        "(" + " OR ".join(_fts_term(term, language) for term in group) + ")"
        for group in plan.groups
    )
    for term in plan.excluded:
        expression = f"({expression}) NOT {_fts_term(term, language)}"
    return expression


def texts_of(article, *, topics, translations) -> dict[str, tuple[str, str, str, str]]:
    """``{language: (title, summary, body, tags)}`` in plain text, for ``index_rows``: the
    article in English, its Spanish translation (empty when there is none) and the topic tag
    names in each language. Works on models and on a migration's historical models."""
    spanish = next((t for t in translations if t.language == "es"), None)
    return {
        "en": (
            article.title,
            article.summary,
            strip_tags(article.body_html),
            " ".join(tag.name for tag in topics),
        ),
        "es": (
            spanish.title if spanish else "",
            spanish.summary if spanish else "",
            strip_tags(spanish.body_html) if spanish else "",
            " ".join(tag.name_es for tag in topics if tag.name_es),
        ),
    }


def index_rows(*, article_id: int, texts: dict[str, tuple[str, str, str, str] | None]) -> None:
    """Replace the article's rows: ``texts[language]`` is ``(title, summary, body, tags)`` as
    plain text, or ``None`` when the article has nothing in that language."""
    with connection.cursor() as cursor:
        for language, table in TABLES.items():
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [article_id])  # noqa: S608
            values = texts.get(language)
            if values is None:
                continue
            if language == "es":
                values = tuple(spanish_text(value) for value in values)
            cursor.execute(
                f"INSERT INTO {table} (rowid, {', '.join(COLUMNS)}) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [article_id, *values],
            )


def ranked_ids(q: str) -> dict[int, float]:
    """``{article id: score}`` of the articles matching ``q`` in either language (the better
    of the two scores; higher is better)."""
    plan = query_plan(q)
    scores: dict[int, float] = {}
    with connection.cursor() as cursor:
        for language, table in TABLES.items():
            expression = match_expression(plan, language)
            if expression is None:
                continue
            weights = ", ".join(str(weight) for weight in WEIGHTS)
            cursor.execute(
                f"SELECT rowid, bm25({table}, {weights}) FROM {table} "  # noqa: S608
                f"WHERE {table} MATCH %s",
                [expression],
            )
            for article_id, rank in cursor.fetchall():
                scores[article_id] = max(scores.get(article_id, float("-inf")), -rank)
    return scores


def create_tables_sql() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
        f"{', '.join(COLUMNS)}, tokenize = '{TOKENIZERS[language]}')"
        for language, table in TABLES.items()
    ]


def drop_tables_sql() -> list[str]:
    return [f"DROP TABLE IF EXISTS {table}" for table in TABLES.values()]
