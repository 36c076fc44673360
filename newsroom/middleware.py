"""Headers Django 5.2 does not set itself."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Only the app's own scripts, styles and images; no framing, no foreign forms.

    Everything the pages load is served from STATIC_URL (htmx comes with django-htmx), and
    templates carry no inline scripts, styles or style attributes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
