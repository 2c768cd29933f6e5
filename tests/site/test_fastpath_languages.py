"""The release's pages are rendered in one language (LANGUAGE_CODE): the fast path and Django serve a
page's file only to a visitor whose language, as LocaleMiddleware decides it (the language cookie,
else Accept-Language), is that one; everyone else gets the page rendered in their language. The
exports are the same in every language and are served to everyone."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from podium.site import fastpath, release_files
from tests.site.test_fastpath import DJANGO, _django, _urls, call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def app():
    return fastpath.FastPath(_django)


@pytest.fixture
def rendered(program, django_capture_on_commit_callbacks):
    # Rendered while another language is active (a German request's thread): the files are English.
    with django_capture_on_commit_callbacks(execute=True), translation.override("de"):
        return release_files.render_release(program["event"], program["release"])


@pytest.mark.parametrize(
    ("headers", "served"),
    [
        ({}, True),  # no preference: LANGUAGE_CODE
        ({"accept_language": "en-GB,en;q=0.9"}, True),
        ({"accept_language": "pt-BR"}, True),  # a language the interface does not speak: LANGUAGE_CODE
        ({"accept_language": "de-DE,de;q=0.9,en;q=0.8"}, False),
        ({"accept_language": "fr;q=0.5, en;q=0.9"}, True),  # English preferred
        ({"accept_language": "fr"}, False),
        ({"cookie": f"{COOKIE}=de"}, False),
        ({"cookie": f"{COOKIE}=fr", "accept_language": "en"}, False),  # the cookie decides first
        ({"cookie": f"{COOKIE}=en", "accept_language": "de"}, True),
        ({"cookie": f"{COOKIE}=xx", "accept_language": "de"}, False),  # no language: Accept-Language
        ({"cookie": f"{COOKIE}=xx"}, True),
    ],
)
def test_pages_only_to_visitors_of_their_language(app, program, rendered, headers, served):
    urls = _urls(program, rendered)
    for name in ("schedule", "day", "talks", "speakers", "talk", "speaker"):
        answer = call(app, urls[name], **headers)
        assert (answer.status != DJANGO) is served, (name, headers)


def test_exports_are_the_same_for_every_language(app, program, rendered):
    urls = _urls(program, rendered)
    for name in ("xml", "json", "ics", "talk_ics", "versioned"):
        english = call(app, urls[name])
        for headers in ({"accept_language": "de"}, {"cookie": f"{COOKIE}=fr"}):
            answer = call(app, urls[name], **headers)
            assert answer.status == 200, name
            assert answer.body == english.body, name


def test_the_files_say_their_language(app, program, rendered):
    assert rendered.path.joinpath(release_files.MANIFEST).read_text().count('"language": "en"') == 1
    page = call(app, _urls(program, rendered)["talks"])
    assert page.headers["content-language"] == "en"
    assert b'<html lang="en">' in page.body
    assert "Accept-Language" in page.headers["vary"]


def test_django_renders_the_page_in_the_visitors_language(client, program, rendered):
    url = _urls(program, rendered)["talks"]

    english = client.get(url)
    german = client.get(url, headers={"accept-language": "de"})
    french = client.get(url, headers={"cookie": f"{COOKIE}=fr"})

    assert english["Content-Language"] == "en"
    assert english.content == (rendered.path / "pages/talks.html").read_bytes()  # the file
    assert german["Content-Language"] == "de"
    assert b'<html lang="de">' in german.content
    assert french["Content-Language"] == "fr"
    assert b'<html lang="fr">' in french.content
    assert "Accept-Language" in german["Vary"]


def test_a_cached_page_is_kept_per_language(client, program, settings):
    settings.PODIUM_RELEASE_FILES = False
    settings.PODIUM_PAGE_CACHE = True
    url = _urls(program, None)["talks"]

    english = client.get(url)
    german = client.get(url, headers={"accept-language": "de"})
    english_again = client.get(url)

    assert b'<html lang="en">' in english.content
    assert b'<html lang="de">' in german.content
    assert english_again.content == english.content


def test_numbers_a_program_reads_are_the_same_in_every_language(client, program, settings):
    """Pages format dates and numbers for their reader (German "3. Februar", "4,5"), but what a
    stylesheet, a script or the browser reads (attributes, CSS, JSON) must not take a decimal comma."""
    settings.PODIUM_RELEASE_FILES = False
    slug = program["event"].slug
    urls = [
        *(
            _urls(program, None)[name]
            for name in ("day", "list", "room", "talks", "speakers", "talk", "speaker")
        ),
        f"/{slug}/tracks.css",
        f"/{slug}/branding.css",
        f"/{slug}/widget/",
        f"/{slug}/widget/schedule.json",
        f"/{slug}/rooms/now",
    ]
    decimal_comma = re.compile(r'="[^"]*\d,\d[^"]*"|:\s*-?\d+,\d+\s*(?:px|rem|em|%|fr|;)|"\w+":\s*\d+,\d')
    for url in urls:
        english = client.get(url)
        for language in ("de", "fr"):
            answer = client.get(url, headers={"accept-language": language})
            assert answer.status_code == english.status_code, url
            text = answer.content.decode()
            found = [
                m.group(0) for m in decimal_comma.finditer(text) if m.group(0) not in english.content.decode()
            ]
            assert found == [], (url, language, found[:5])
