"""The project: settings, URLs, the Celery app, WSGI/ASGI. It sits on top of every app."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
