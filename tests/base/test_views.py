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
