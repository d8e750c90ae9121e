"""Glue between django-axes and our e-mail log-in."""


def axes_username(request, credentials: dict | None) -> str:
    """Count failures per account whatever the letter case the visitor typed."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    if not raw and request is not None:
        data = getattr(request, "POST", {}) or {}
        raw = data.get("username") or data.get("email") or ""
    return str(raw).strip().lower()
