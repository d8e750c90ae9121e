"""Fixtures of the kernel's tests."""

from tests.clinic.outboxes import pending  # noqa: F401 - rows in both outboxes
