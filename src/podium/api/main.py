"""The REST API at /api/v1/: one NinjaAPI with a router per audience.

Refusals are JSON with a `detail` message: 422 for invalid input, 404 for what the caller may not
see, 403 for what the token's scope or the user's team flags forbid, 400/409 for a refused use case
(409 when someone else changed the object first). GET answers carry an ETag and answer 304 to a
matching If-None-Match.
"""

import hashlib

from django.http import HttpResponseNotModified
from django.urls import reverse
from ninja import NinjaAPI

from podium.api import (
    campaigns,
    contacts,
    organiser,
    public,
    questions,
    registration,
    reviews,
    sponsors,
    tags,
)
from podium.api.auth import PUBLIC
from podium.base import permissions
from podium.base.errors import NotAllowed, ServiceError, StaleEdit

DESCRIPTION = """The program of public events (no authentication), and the organiser's work
(proposals, reviews, decisions, the draft schedule, releases, orders, attendees, check-ins, sponsors,
mail campaigns, contact lists) for API tokens made in the back office; `checkin` tokens (check-in devices) read the attendee list and check
tickets in, nothing else. Send tokens as `Authorization: Bearer <token>`. Write calls accept an `Idempotency-Key`
header: a retry with the same key returns the first answer without doing the work again."""


def _matches(header: str, etag: str) -> bool:
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates


class PodiumApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            response["Vary"] = "Authorization"
            if _matches(request.headers.get("If-None-Match", ""), etag):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                not_modified["Vary"] = "Authorization"
                return not_modified
        return response


api = PodiumApi(
    title="Podium API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_decorator=permissions.public,
)


def _refusal(request, exc: ServiceError, status: int):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=status)


@api.exception_handler(ServiceError)
def service_error(request, exc):
    return _refusal(request, exc, 400)


@api.exception_handler(NotAllowed)
def not_allowed(request, exc):
    return _refusal(request, exc, 403)


@api.exception_handler(StaleEdit)
def stale_edit(request, exc):
    return _refusal(request, exc, 409)


@api.get("/", auth=PUBLIC, include_in_schema=False)
def index(request):
    """The API's front door (the address the README gives): where its documentation and schema are."""
    return {
        "name": api.title,
        "version": api.version,
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "schema": request.build_absolute_uri(reverse("api:openapi-json")),
        "events": request.build_absolute_uri(reverse("api:events")),
    }


api.add_router("/", public.router)
api.add_router("/", organiser.router)
api.add_router("/", reviews.router)
api.add_router("/", registration.router)
api.add_router("/", campaigns.router)
api.add_router("/", sponsors.router)
api.add_router("/", contacts.router)
api.add_router("/", tags.router)
api.add_router("/", questions.router)
