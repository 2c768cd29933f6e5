"""HTTP hardening shared by every page."""


class SecurityHeadersMiddleware:
    """Add a Content-Security-Policy and Permissions-Policy to every HTML answer.

    Pages load only our own scripts and styles; user text never becomes markup
    (it is escaped or sanitised), and CSP is the second line of defence.
    """

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
