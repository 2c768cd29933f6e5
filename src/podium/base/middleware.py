"""HTTP hardening shared by every page, and the health probes' way past it."""

from django.urls import resolve


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


class ProbeMiddleware:
    """Answer /healthz and /readyz to whoever probes them, by whatever address.

    A load balancer, a monitor or the operator's `curl http://127.0.0.1:8000/healthz` asks a server
    process directly, by its own address and over plain http: the host check (ALLOWED_HOSTS) would
    refuse it (400) and the https redirect send it elsewhere (301), so a healthy process would be taken
    out of service. The two probes say nothing about any site or visitor, so they are answered here,
    before SecurityMiddleware and CommonMiddleware; every other request goes on as before. Placed after
    the request id and metrics middleware, so probes are logged and counted under their route.
    """

    PATHS = frozenset({"/healthz", "/readyz"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in self.PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request.resolver_match = match = resolve(request.path_info)
        return match.func(request, *match.args, **match.kwargs)
