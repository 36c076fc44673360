"""What Django 5.2 does not do itself: a body size limit per request, and no-store for
signed-in pages (the Content-Security-Policy comes from django-csp)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than its view accepts, before it is read.

    Django caps non-file form data (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size
    of multipart body to disk. Here the declared Content-Length is checked against the
    view's limit before anything reads the body (so this sits before CsrfViewMiddleware,
    the first to read a POST): REQUEST_MAX_BYTES_ANONYMOUS without a signed-in user
    (the sign-in form is tiny), REQUEST_MAX_BYTES_BY_VIEW for views that take files, else
    REQUEST_MAX_BYTES. A body without a Content-Length is read as empty by Django.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None  # Django reads such a body as empty
        if length <= settings.REQUEST_MAX_BYTES_ANONYMOUS:
            return None
        limit = request_body_limit(request)
        if length <= limit:
            return None
        page = render_to_string(
            "413.html", {"limit_mb": limit / 1024 / 1024, "size_mb": length / 1024 / 1024}, request
        )
        return HttpResponse(page, status=413)


def request_body_limit(request: HttpRequest) -> int:
    """The largest body the request's view accepts from this user, in bytes."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return settings.REQUEST_MAX_BYTES_ANONYMOUS
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    return settings.REQUEST_MAX_BYTES_BY_VIEW.get(name, settings.REQUEST_MAX_BYTES)


class NoStoreWhenSignedInMiddleware:
    """A signed-in user's pages and exports are never kept by a browser or proxy cache.

    Every response to a signed-in request gets `Cache-Control: no-store` (with Django's
    never-cache headers), unless its view chose its own Cache-Control.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
