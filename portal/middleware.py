"""A short middleware path for public, anonymous reads of the API.

The public location, physician, article and availability reads are the busiest requests of the
portal, the same for everyone, and need only a few of the portal's middlewares: the ones that
write their headers (request id, security headers, CSP, CORS, ``Content-Language`` and ``Vary``,
``X-Frame-Options``) and the guards that still apply (``CommonMiddleware``, the NUL-character
check). Sessions, CSRF, authentication, OTP, messages, session timeouts, the MFA gate, axes,
whitenoise (the API is never a static file) and the page-language cookie do nothing for them
but cost time on every request.

``PublicReadMiddleware`` sits first in ``MIDDLEWARE``. A request it recognises as a public read
goes through its own chain of ``PUBLIC_READ_MIDDLEWARE`` (a subset of ``MIDDLEWARE``, in the same
order) to the view; everything else goes down the full stack untouched. A public read is:

- ``GET`` or ``HEAD`` (a write, a CORS preflight: the full stack);
- without a session cookie and without an ``Authorization`` header (a signed-in patient or a
  token: the full stack, which marks the answer private when it has to);
- to a URL under ``/api/`` whose view class says ``public_read = True`` (the views opt in; the
  URL is resolved once, here, and the chain reuses the match).

The headers of those answers are pinned by ``tests/portal/test_public_read_headers.py``.
"""

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.urls import Resolver404, get_resolver
from django.utils.module_loading import import_string

API_PREFIX = "/api/"
READ_METHODS = frozenset({"GET", "HEAD"})


class _PublicReadHandler(BaseHandler):
    """Django's request handling (URL match, view middleware, exception handling) behind the
    middlewares of ``paths`` only. Synchronous, like every middleware it is given."""

    def __init__(self, paths: list[str]):
        super().__init__()
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(paths):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def resolve_request(self, request):
        return request.resolver_match  # matched by PublicReadMiddleware.is_public_read


class PublicReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = _PublicReadHandler(settings.PUBLIC_READ_MIDDLEWARE)

    def is_public_read(self, request) -> bool:
        """Whether ``request`` is a public, anonymous read (see the module's docstring); when
        it is, its URL match is left on ``request.resolver_match``."""
        if (
            request.method not in READ_METHODS
            or not request.path_info.startswith(API_PREFIX)
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or hasattr(request, "urlconf")
        ):
            return False
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            return False
        if not getattr(getattr(match.func, "view_class", None), "public_read", False):
            return False
        request.resolver_match = match
        return True

    def __call__(self, request):
        if self.is_public_read(request):
            return self.public._middleware_chain(request)
        return self.get_response(request)
