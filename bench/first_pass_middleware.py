"""The short path of public reads without whole answers kept (as it was before them), for the
``first pass`` server of ``bench/location_api.py`` (``BENCH_NO_RESPONSE_CACHE=1``). Never used
by the product."""

from portal.middleware import PublicReadMiddleware


class FirstPassPublicReadMiddleware(PublicReadMiddleware):
    def __call__(self, request):
        if self.is_public_read(request):
            return self.public._middleware_chain(request)
        return self.get_response(request)
