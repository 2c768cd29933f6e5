"""/api/v1/, the address the README gives: the API's index, with links to its docs and schema."""

import pytest

from podium.api.auth import PUBLIC
from podium.api.main import api


@pytest.mark.django_db
def test_the_api_address_answers_with_links_to_the_docs_and_the_schema(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["docs"] == "http://testserver/api/v1/docs"
    assert body["schema"] == "http://testserver/api/v1/openapi.json"
    assert body["events"] == "http://testserver/api/v1/events"
    assert client.get(body["docs"]).status_code == 200
    assert client.get(body["schema"]).json()["info"]["title"] == body["name"]


@pytest.mark.django_db
def test_the_api_index_needs_no_token_and_stays_out_of_the_schema(client):
    index = next(
        operation
        for _prefix, router in api._routers
        for path, view in router.path_operations.items()
        if path == "/"
        for operation in view.operations
    )

    assert index.auth_param is PUBLIC
    assert "/api/v1/" not in client.get("/api/v1/openapi.json").json()["paths"]
