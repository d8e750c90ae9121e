"""Article search on SQLite: the FTS5 tables of ``education.search``, filled from the articles
already there. A no-op on PostgreSQL (its search vector and GIN index come from 0002)."""

from django.db import migrations


def create_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from education import search

    for statement in search.create_tables_sql():
        schema_editor.execute(statement)
    Article = apps.get_model("education", "Article")
    for article in Article.objects.prefetch_related("tags", "translations"):
        topics = [tag for tag in article.tags.all() if tag.kind == "topic"]
        texts = search.texts_of(article, topics=topics, translations=article.translations.all())
        search.index_rows(article_id=article.pk, texts=texts)


def drop_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from education import search

    for statement in search.drop_tables_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("education", "0002_search_index_and_triage_tags")]

    operations = [migrations.RunPython(create_tables, drop_tables)]
