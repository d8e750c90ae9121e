"""The base of API views whose write operations take no body, or look something up first."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView


class BodyCheckedApiView(APIView):
    """Parses a write request's body right after authentication, permissions and throttling,
    before the handler runs, whether or not the operation reads it. A malformed, oversized or
    wrongly typed body is then refused (400 ``parse_error``, 413, 415) like on every other write
    endpoint, instead of being ignored or answered with a 404 of the lookup that comes first;
    and nothing is done on a request whose body was refused (a logout does not log out)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            request.data  # noqa: B018 - parsing is the point: it raises on a bad body
