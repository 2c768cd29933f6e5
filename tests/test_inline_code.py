"""No page carries inline code: no `style` attribute, no `<style>` block, no `<script>` without `src`
(JSON data blocks from `json_script` excepted), no `on…=` handler attribute, no `javascript:` URL.

The Content-Security-Policy allows only our own files ('self', no 'unsafe-inline'), so a browser would
silently drop inline code; these tests find it first. Two nets:
- every GET page the URL configuration names (the crawler of tests/test_isolation.py), as a visitor,
  a speaker and an organiser with every permission, on an event with a released program;
- every template file read as text, for what the crawl cannot reach (error pages, token pages,
  branches its data does not take).

Mail is sent as plain text only (podium.mail.services builds a text `EmailMessage`), so the mail
templates hold no HTML to check; a future HTML mail template (`*.html`) would be scanned here too.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

import podium
from podium.attendance.models import Star
from podium.base.middleware import SecurityHeadersMiddleware
from podium.contacts.models import Contact, ContactList
from podium.events import pages
from podium.events.models import PageState
from podium.events.rules import FLAGS
from podium.reviews.models import Review
from podium.webhooks.models import WebhookEndpoint
from tests import campaigning, factories, sponsoring, visa
from tests.registration import shop
from tests.test_isolation import _kwargs_for, _named_patterns, _publish_program, _solver_run

SOURCE = Path(podium.__file__).resolve().parent
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
JSON_TYPES = {"application/json", "application/ld+json"}


class _InlineCodeFinder(HTMLParser):
    """Collects "line N: what" for every piece of inline style or script in one HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def _report(self, what: str) -> None:
        self.found.append(f"line {self.getpos()[0]}: {what}")

    def handle_starttag(self, tag, attrs):
        values = {name: (value or "") for name, value in attrs}
        if tag == "style":
            self._report("<style> block")
        if tag == "script" and not values.get("src") and values.get("type", "").lower() not in JSON_TYPES:
            self._report("<script> without src")
        for name, value in values.items():
            if name == "style":
                self._report(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self._report(f"<{tag} {name}=…> handler")
            elif name in URL_ATTRIBUTES and re.sub(r"\s", "", value).lower().startswith("javascript:"):
                self._report(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def template_as_html(source: str) -> str:
    """A template's text with the template language blanked out (line numbers kept), for the parser:
    a tag such as `{% if only %}` inside an element must not read as an `only` attribute."""

    def blank(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n")

    def placeholder(match: re.Match) -> str:
        return "x" + "\n" * match.group(0).count("\n")

    source = re.sub(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", blank, source, flags=re.S)
    source = re.sub(r"{#.*?#}", blank, source, flags=re.S)
    source = re.sub(r"{%.*?%}", lambda m: " " + blank(m), source, flags=re.S)
    return re.sub(r"{{.*?}}", placeholder, source, flags=re.S)


def _template_files() -> list[Path]:
    return sorted(path for path in SOURCE.glob("*/templates/**/*") if path.is_file())


# --- The finder itself ------------------------------------------------------------------------------


def test_inline_code_finder_reports_every_kind_and_allows_files_and_json_data():
    html = (
        "<p style='color: red'>a</p>\n"
        "<style>p { color: red; }</style>\n"
        "<script>alert(1)</script>\n"
        "<button onclick='go()'>b</button>\n"
        "<a href=' javascript:go()'>c</a>\n"
        "<script src='/static/podium/podium.js' defer></script>\n"
        '<script id="data" type="application/json">{"a": 1}</script>\n'
        "<details open><summary>fine</summary></details>\n"
    )

    assert inline_code(html) == [
        'line 1: <p style="color: red">',
        "line 2: <style> block",
        "line 3: <script> without src",
        "line 4: <button onclick=…> handler",
        "line 5: <a href=javascript:…>",
    ]


def test_template_scan_sees_through_the_template_language():
    source = (
        "{% load static %}<input {% if only %}checked{% endif %} name='{{ form.name }}'>\n"
        "{# <p style='hidden in a comment'> #}\n"
        "{% comment %}<script>old()</script>{% endcomment %}\n"
        '<div style="width: {{ width }}%">\n'
        '{% if x %}\n<p onclick="{{ handler }}">{% endif %}\n'
    )

    assert inline_code(template_as_html(source)) == [
        'line 4: <div style="width: x%">',
        "line 6: <p onclick=…> handler",
    ]


# --- Every template file ----------------------------------------------------------------------------


def test_no_template_file_holds_inline_code():
    files = _template_files()
    html_files = [path for path in files if path.suffix == ".html"]
    offenders = [
        f"{path.relative_to(SOURCE)} {where}"
        for path in html_files
        for where in inline_code(template_as_html(path.read_text()))
    ]

    # The glob reaches every app's templates (the layout, the back office, the site, the CfP, mail).
    assert {"base", "orga", "site", "cfp", "accounts"} <= {
        path.relative_to(SOURCE).parts[0] for path in html_files
    }
    # Mail templates are plain text; HTML mail would have to be scanned above.
    assert [path.name for path in files if path.suffix not in {".html", ".txt"}] == []
    assert offenders == []


# --- Every page, as each kind of visitor -------------------------------------------------------------


def _registration(event, *, buyer) -> dict:
    """Open registration with a ticket type, a question, a voucher and the buyer's paid order."""
    shop.open_registration(event)
    ticket_type = shop.ticket_type(event, "Standard", price="0.00", quota=50)
    question = shop.question(event, "Diet")
    voucher = shop.voucher(event, "FRIENDS")
    order = shop.buy(event, buyer, ticket_type)
    return {
        "ticket_type": ticket_type,
        "question": question,
        "voucher": voucher,
        "order": order,
        "ticket": order.tickets.get(),
    }


@pytest.fixture
def conference(db, settings):
    """An event with a released program, a break, reviews, stars, a webhook, a finished solver run,
    proposals not on the schedule yet, and three visitors: nobody, a speaker, an organiser."""
    settings.PODIUM_SOLVER_RUNNER = "inline"
    event = factories.EventFactory(description="A conference with **Markdown** in its description.")
    organiser = factories.team_member(event, is_admin=True, **dict.fromkeys(FLAGS[1:], True))
    speaker = factories.UserFactory(name="Sam Speaker")
    talk = factories.ProposalFactory(event=event, speakers=[speaker], state="confirmed")
    second = factories.ProposalFactory(event=event, title="A second talk", state="confirmed")
    factories.ProposalFactory(event=event, title="Not decided yet", speakers=[speaker])
    factories.ProposalFactory(event=event, title="Accepted, not placed", state="accepted")
    Review.objects.create(proposal=talk, reviewer=organiser, score=2, comment="Clear and useful.")
    lunch = _publish_program(event, talk, organiser, also=second)
    Star.objects.create(event=event, user=speaker, proposal=second)
    WebhookEndpoint.objects.create(event=event, url="https://hooks.example/podium", kinds=["slot.changed"])
    run = _solver_run(event, organiser)
    team = event.organiser.teams.filter(members=organiser).first()
    # An information page whose organisers pasted inline code: the site shows none of it.
    info = pages.save_page(
        event=event,
        by=organiser,
        data={
            "title": "Venue",
            "body": '### Getting in\n\n<p style="color: red" onclick="go()">Doors</p><script>go()</script>',
            "state": PageState.PUBLISHED,
        },
    )
    campaign = campaigning.submitted_campaign(event, organiser)
    press = ContactList.objects.create(organiser=event.organiser, name="Press", description="Journalists")
    contact = Contact.objects.create(organiser=event.organiser, email="pat@example.org", name="Pat Press")
    press.memberships.create(contact=contact)
    return {
        "objects": {
            **_registration(event, buyer=speaker),
            "campaign": campaign,
            "campaign_template": campaign.template,
            "campaign_audience": campaign.audience,
            "contact_list": press,
            "contact": contact,
            "solver_run": run,
            "letter": visa.letter(event, speaker, organiser),
            **sponsoring.seeded(event, organiser),
            "event": event,
            "proposal": talk,
            "break": lunch,
            "room": event.rooms.first(),
            "track": event.tracks.first(),
            "session_type": event.session_types.first(),
            "webhook": event.webhook_endpoints.first(),
            "page": info,
            "tag": _tagged(event, talk),
            "team": team,
            "member": organiser,
            "user": organiser,
        },
        "speaker": speaker,
        "organiser": organiser,
    }


def _tagged(event, talk):
    """A public tag on the talk (the tag pages and the talk page show it)."""
    from podium.proposals.models import Tag

    tag = Tag.objects.create(event=event, name="Beginner friendly", colour="#2e7d32", public=True)
    talk.tags.add(tag)
    return tag


def crawl_html(client, objects) -> dict[str, tuple[int, str]]:
    """GET every named page with the objects' parameters; {url: (status, html)} of every HTML answer,
    whatever its status (a 403 or 404 page is a page too)."""
    pages = {}
    for name, params in _named_patterns(get_resolver().url_patterns):
        kwargs = _kwargs_for(name, params, objects)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            pages[url] = (response.status_code, response.content.decode())
            assert "'unsafe-inline'" not in response.get("Content-Security-Policy", ""), url
    return pages


@pytest.mark.parametrize(
    ("role", "must_reach"),
    [
        (
            "anonymous",
            [
                "site:schedule",
                "site:talk",
                "site:room_now",
                "cfp:cfp",
                "api:openapi-view",
                "site:tickets",
                "site:page",
                "site:letter_verified",
            ],
        ),
        (
            "speaker",
            [
                "site:schedule",
                "cfp:proposal",
                "cfp:my_proposals",
                "accounts:home",
                "site:my_order",
                "site:letter",
            ],
        ),
        (
            "organiser",
            [
                "orga:schedule",
                "orga:dayof",
                "orga:schedule_release",
                "orga:proposals",
                "orga:schedule_solver_run",
                "orga:order",
                "orga:attendees",
                "orga:ticket_type_edit",
                "orga:page_edit",
                "orga:letter",
                "orga:sponsorship",
                "orga:sponsor_level_edit",
            ],
        ),
    ],
)
def test_no_page_holds_inline_code(client, conference, role, must_reach):
    if role != "anonymous":
        client.force_login(conference[role])
    objects = conference["objects"]

    pages = crawl_html(client, objects)

    offenders = [f"{url} {where}" for url, (_, html) in pages.items() for where in inline_code(html)]
    patterns = dict(_named_patterns(get_resolver().url_patterns))
    shown = {url for url, (status, _) in pages.items() if status == 200}
    # The role's own pages were rendered in full, not only refused.
    assert {reverse(name, kwargs=_kwargs_for(name, patterns[name], objects)) for name in must_reach} <= shown
    assert offenders == []


def test_no_page_answering_a_form_holds_inline_code(client, conference):
    """Pages that only a POST shows (the day-of page's confirmation step), which the GET crawl cannot
    reach: the day-of board and its confirmation, with their stylesheet instead of a <style> block."""
    client.force_login(conference["organiser"])
    event, talk = conference["objects"]["event"], conference["objects"]["proposal"]
    board = client.get(reverse("orga:dayof", kwargs={"event": event.slug})).content.decode()
    slot = talk.slot
    confirm = client.post(
        reverse("orga:dayof_change", kwargs={"event": event.slug}),
        {
            "action": "move",
            "day": slot.start.astimezone(event.tz).date().isoformat(),
            "code": talk.code,
            "room": slot.room_id,
            "time": f"{slot.start.astimezone(event.tz):%H:%M}",
            "version": slot.version,
        },
    )
    html = confirm.content.decode()

    assert "Preview the move" in board  # the board rendered its sessions, not only its empty state
    assert (confirm.status_code, "Confirm the change" in html) == (200, True)
    assert [where for page in (board, html) for where in inline_code(page)] == []
    assert all("/static/podium/dayof.css" in page for page in (board, html))


def test_the_policy_forbids_inline_code():
    """The reason for all of the above: the policy names only our own origin for styles and scripts."""
    directives = dict(
        part.strip().split(" ", 1) for part in SecurityHeadersMiddleware.CSP.split(";") if part.strip()
    )

    assert (directives["style-src"], directives["script-src"]) == ("'self'", "'self'")
