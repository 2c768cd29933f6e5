"""Media serving and the error pages."""

import pytest


@pytest.mark.django_db
def test_media_serves_images_inline_and_other_files_as_downloads(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "speakers").mkdir()
    (tmp_path / "speakers" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "speakers" / "notes.html").write_text("<script>alert(1)</script>")

    image = client.get("/media/speakers/a.png")
    other = client.get("/media/speakers/notes.html")
    image.close()
    other.close()

    assert (image.status_code, image["Content-Type"]) == (200, "image/png")
    assert image["X-Content-Type-Options"] == "nosniff"
    assert other["Content-Disposition"].startswith("attachment")
    assert client.get("/media/../settings.py").status_code == 404


@pytest.mark.django_db
def test_media_never_gives_out_answers_to_file_questions_by_their_address(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "cfp-answers").mkdir()
    (tmp_path / "cfp-answers" / "0123abcd.pdf").write_bytes(b"%PDF-1.4 private")

    assert client.get("/media/cfp-answers/0123abcd.pdf").status_code == 404
    assert client.get("/media/speakers/../cfp-answers/0123abcd.pdf").status_code == 404


def test_server_error_page_is_plain_and_friendly(client, settings):
    from django.test import Client
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    boom.podium_permission = "public"
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_favicon_answers_with_the_icon_every_page_links(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    page = client.get("/").content.decode()

    assert response.status_code == 302
    assert response["Location"] == "/static/podium/favicon.ico"
    assert '<link rel="icon" href="/static/podium/favicon.ico"' in page
    icon = finders.find("podium/favicon.ico")
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


@pytest.mark.django_db
def test_healthz_stays_a_single_cheap_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_release_files(client, settings, tmp_path):
    settings.REDIS_URL = ""
    settings.PODIUM_RELEASE_DIR = tmp_path / "releases"
    (tmp_path / "releases").mkdir()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "files": "ok"}, "failed": []}
    assert list((tmp_path / "releases").iterdir()) == []  # its probe file is gone


@pytest.mark.django_db
def test_readyz_before_the_first_release_checks_the_data_dir(client, settings, tmp_path):
    settings.REDIS_URL = ""
    settings.PODIUM_RELEASE_DIR = tmp_path / "not-yet"
    settings.DATA_DIR = tmp_path

    assert client.get("/readyz").json()["checks"]["files"] == "ok"


@pytest.mark.django_db
def test_readyz_names_release_files_it_cannot_use(client, settings, tmp_path, caplog):
    settings.REDIS_URL = ""
    settings.PODIUM_RELEASE_DIR = tmp_path / "a-file"
    (tmp_path / "a-file").write_text("not a directory")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "checks": {"database": "ok", "files": "failed"},
        "failed": ["files"],
    }
    assert "readiness check files failed" in caplog.text


@pytest.mark.django_db
def test_readyz_names_a_database_that_does_not_answer(client, settings, tmp_path, monkeypatch):
    from django.db import OperationalError

    from podium.base import views

    def no_database():
        raise OperationalError("connection refused")

    settings.REDIS_URL = ""
    settings.PODIUM_RELEASE_DIR = tmp_path
    monkeypatch.setattr(views, "_check_database", no_database)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert "refused" not in response.content.decode()  # details go to the log, not to the public


@pytest.mark.django_db
def test_readyz_checks_redis_when_configured(client, settings, tmp_path):
    """Needs the Redis server at 127.0.0.1:6379 (.ci/run starts it when it is down); port 1 has none."""
    settings.PODIUM_RELEASE_DIR = tmp_path
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    up = client.get("/readyz")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    down = client.get("/readyz")

    assert (up.status_code, up.json()["checks"]["redis"]) == (200, "ok")
    assert (down.status_code, down.json()["failed"]) == (503, ["redis"])
