"""Who is asking, from where, through which door: built once per request by the views, APIs and
admin, and passed down to the selectors and services that record PHI access."""

import ipaddress
from dataclasses import dataclass, field

from django.http import HttpRequest
from rest_framework.settings import api_settings

from audit.models import Channel

_CACHE_ATTRIBUTE = "_phi_access_context"


def client_ip(request: HttpRequest) -> str:
    """The client's address, judged as DRF's throttling judges it.

    ``REMOTE_ADDR`` unless ``REST_FRAMEWORK["NUM_PROXIES"]`` says how many proxies stand in
    front: then the address that many hops from the right of ``X-Forwarded-For`` (a client can
    prepend anything to that header, but not past our own proxies). Without ``NUM_PROXIES`` the
    header is not trusted at all. Empty when the address is not a valid IP.
    """
    meta = request.META
    address = meta.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return ""
    mapped = getattr(parsed, "ipv4_mapped", None)
    return str(mapped or parsed)


@dataclass(frozen=True, eq=False)
class AccessContext:
    """The request behind an access. ``recorded`` remembers what this request has logged
    already, so reading the same record twice in one request is one row."""

    actor_id: int | None
    channel: str
    ip: str = ""
    request_id: str = ""
    recorded: set[tuple[str, str, str]] = field(default_factory=set, repr=False)

    @classmethod
    def from_request(cls, request, *, channel: str) -> "AccessContext":
        """The request's context (one per request and channel; DRF requests included)."""
        http = getattr(request, "_request", request)
        cached = getattr(http, _CACHE_ATTRIBUTE, None)
        if cached is not None and cached.channel == channel:
            return cached
        user = getattr(request, "user", None)
        context = cls(
            actor_id=user.pk if user is not None and user.is_authenticated else None,
            channel=channel,
            ip=client_ip(http),
            request_id=getattr(http, "request_id", "")[:64],
        )
        setattr(http, _CACHE_ATTRIBUTE, context)
        return context

    @classmethod
    def web(cls, request) -> "AccessContext":
        return cls.from_request(request, channel=Channel.WEB)

    @classmethod
    def api(cls, request) -> "AccessContext":
        return cls.from_request(request, channel=Channel.API)

    @classmethod
    def admin(cls, request) -> "AccessContext":
        return cls.from_request(request, channel=Channel.ADMIN)
