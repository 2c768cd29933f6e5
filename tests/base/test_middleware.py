"""The health probes answer whoever asks (ProbeMiddleware); every other address still answers only to the
site's host, over https."""

import pytest

# A production site: its own host name only, plain http redirected to https.
SITE = {"ALLOWED_HOSTS": ["program.example.org"], "SECURE_SSL_REDIRECT": True}
# A load balancer's probe: the server's own address in Host, over plain http.
PROBE = {"HTTP_HOST": "10.0.0.5:8000"}


@pytest.fixture
def production(settings):
    for name, value in SITE.items():
        setattr(settings, name, value)


@pytest.mark.django_db
def test_healthz_answers_a_probe_by_the_servers_own_address_over_http(client, production):
    response = client.get("/healthz", **PROBE)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_a_probe_by_the_servers_own_address_over_http(client, production, settings, tmp_path):
    settings.PODIUM_RELEASE_DIR = tmp_path
    settings.REDIS_URL = ""
    response = client.get("/readyz", **PROBE)

    assert response.status_code == 200
    assert response.json()["failed"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz/", "/healthzx", "/metrics"])
def test_any_other_address_is_refused_to_an_unknown_host(client, production, path):
    assert client.get(path, **PROBE).status_code == 400


@pytest.mark.django_db
def test_a_probe_written_to_is_refused_to_an_unknown_host(client, production):
    assert client.post("/healthz", **PROBE).status_code == 400


@pytest.mark.django_db
def test_the_sites_own_host_is_still_redirected_to_https(client, production):
    response = client.get("/accounts/login/", HTTP_HOST="program.example.org")

    assert response.status_code == 301
    assert response["Location"] == "https://program.example.org/accounts/login/"
