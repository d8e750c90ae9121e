"""System checks of the alert configuration: a red-flag alert must have somewhere to go."""

from django.conf import settings
from django.core import checks

from triage.channels import Channel


@checks.register()
def alert_channels_known(app_configs, **kwargs):
    names = list(settings.ALERT_CHANNELS)
    if not names:
        return [
            checks.Error(
                "ALERT_CHANNELS is empty: red-flag alerts would reach nobody.",
                hint="Enable at least the e-mail channel: ALERT_CHANNELS=email.",
                id="triage.E001",
            )
        ]
    return [
        checks.Error(
            f"ALERT_CHANNELS names an unknown channel {name!r}.",
            hint=f"Known channels: {', '.join(sorted(Channel.registry))}.",
            id="triage.E002",
        )
        for name in names
        if name not in Channel.registry
    ]


@checks.register(deploy=True)
def alert_fallback_address(app_configs, **kwargs):
    if settings.ALERT_FALLBACK_EMAIL:
        return []
    return [
        checks.Warning(
            "ALERT_FALLBACK_EMAIL is not set.",
            hint="Alerts for a location without an alert responder then go to every responder "
            "of any location, and to nobody when there are none. Set a monitored address.",
            id="triage.W001",
        )
    ]
