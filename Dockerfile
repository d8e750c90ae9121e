# One image for web, worker and beat. Build: docker build -t clinic-portal .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 clinic \
    && install -d -o clinic -m 0750 /var/lib/clinic/audit

WORKDIR /app
# Runtime dependencies only (no test tools), at the exact versions of the lock file. The code
# runs from /app, which gunicorn, celery and manage.py put on the import path.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/runtime.txt \
    && pip install -c requirements.lock -r /tmp/runtime.txt

COPY . .
# collectstatic needs settings but no services: a throwaway key, SQLite, no broker.
RUN DJANGO_SECRET_KEY=build-only-not-used-at-runtime DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && python manage.py compilemessages --ignore=.venv >/dev/null

USER clinic
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
