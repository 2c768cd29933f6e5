"""Isolation and anonymisation, proven by crawling every page each role can reach.

The crawler walks the URL configuration itself, so a page added later is crawled without anyone
remembering to list it. A URL parameter the crawler cannot fill fails the test loudly.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from podium.cfp import services as cfp
from podium.events import pages
from podium.events.models import PageState, Room, Track
from podium.reviews.models import Review
from podium.scheduling import runs
from podium.webhooks.models import WebhookEndpoint
from tests import factories, program, public_sponsors, visa

pytestmark = pytest.mark.django_db

OTHER_SECRETS = [
    "LEAK-OTHER-EVENT",
    "Leaky Othername",
    "leak@other.example",
    "LeakTrack",
    "LeakRoom",
    "LEAKBIO",
]
HIDDEN_SPEAKER = [
    "Zelda Quixotic-Marmalade",
    "zelda@secret.example",
    "ZELDA-BIO",
    "zelda.example",
    "@zelda_social",
]


def _named_patterns(patterns, namespace="", params=()):
    """(namespaced name, URL parameters including those of the enclosing includes)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, ns, (*params, *entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, (*params, *entry.pattern.converters)


def _kwargs_for(name: str, params: tuple, objects: dict):
    """Fill the pattern's parameters from the seeded objects; None for token pages (tested elsewhere)."""
    if "token" in params or "uidb64" in params or "path" in params:
        return None
    kwargs = {}
    for param in params:
        if param == "event":
            kwargs[param] = objects["event"].slug
        elif param == "organiser":
            kwargs[param] = objects["event"].organiser.slug
        elif param == "code":
            # An order's pages name it by its code (an order seeded as objects["order"]), the rest a proposal.
            is_order = ("order" in name or "ticket_pdf" in name) and "order" in objects
            kwargs[param] = objects["order"].code if is_order else objects["proposal"].code
        elif param == "speaker":
            kwargs[param] = program.speaker_code(objects["proposal"])
        elif param == "version":  # a release number (API)
            kwargs[param] = 1
        elif param == "name" and name == "site:export_versioned":  # a file of a release
            kwargs[param] = "schedule.xml"
        elif param == "room":
            kwargs[param] = objects["room"].uuid
        elif param == "page":  # an information page's short name
            kwargs[param] = objects["page"].slug
        elif param == "letter":  # a visa letter request (seeded as objects["letter"])
            kwargs[param] = objects["letter"].pk
        elif param == "verification":  # a letter's public verification code
            kwargs[param] = objects["letter"].verification_code
        elif param == "key" and name.startswith("orga:system_mail"):  # one of the editable system mails
            kwargs[param] = "decision_accepted"
        elif param == "uuid" and "solver" in name:
            kwargs[param] = objects["solver_run"].uuid
        elif param in ("organisation", "sponsorship"):  # sponsors (seeded where crawled; else a 404)
            kwargs[param] = objects[param].pk if param in objects else 0
        elif param == "pk" and name.startswith("orga:sponsor_level"):  # seeded where crawled
            kwargs[param] = objects["sponsor_level"].pk if "sponsor_level" in objects else 0
        elif param == "pk" and name.startswith("orga:contact"):  # a contact list (seeded where crawled)
            kwargs[param] = objects["contact_list"].pk if "contact_list" in objects else 0
        elif param == "contact":  # a contact on that list
            kwargs[param] = objects["contact"].pk if "contact" in objects else 0
        elif param in ("contact_list", "deliverable", "interaction"):  # ids (API; seeded where crawled)
            kwargs[param] = objects[param].pk if param in objects else 0
        elif param == "level":  # a sponsor level's id (API; seeded where crawled)
            kwargs[param] = objects["sponsor_level"].pk if "sponsor_level" in objects else 0
        elif param == "campaign":  # a mail campaign's id (API)
            kwargs[param] = objects["campaign"].pk if "campaign" in objects else 0
        elif param == "pk" and name.startswith("orga:campaign"):
            # A mail campaign's pages, its template's and its audience's (seeded where crawled; else a 404).
            key = next(
                (k for k in ("campaign_template", "campaign_audience") if name.startswith(f"orga:{k}")),
                "campaign",
            )
            kwargs[param] = objects[key].pk if key in objects else 0
        elif param == "pk" and name.startswith("orga:cfp_question"):  # a CfP question (seeded where crawled)
            kwargs[param] = objects["cfp_question"].pk if objects.get("cfp_question") else 0
        elif param == "tag":  # a proposal tag (seeded where crawled; else a 404)
            kwargs[param] = objects["tag"].pk if objects.get("tag") else 0
        elif param == "answer":  # a file given as a CfP answer (seeded where crawled; else a 404)
            kwargs[param] = objects["cfp_answer"].pk if objects.get("cfp_answer") else 0
        elif param == "kind" and name == "api:withdraw_conflict":  # a conflict of interest's kind (API)
            kwargs[param] = "person"
        elif param in ("conflict", "question"):  # a conflict's or a CfP question's id (API; a 404 here)
            kwargs[param] = 1
        elif param == "pk":
            registration = ("ticket_type", "question", "voucher", "ticket")
            setup = ("webhook", "break", "session_type", "room", "track", "team", "member", "user", "page")
            for key in (*setup, *registration):
                if key in name:
                    # Registration objects are seeded only where registration is crawled; elsewhere a 404.
                    kwargs[param] = objects[key].pk if key in objects or key not in registration else 0
                    break
            else:
                pytest.fail(
                    f"the crawler does not know which object {name}'s <pk> is: teach it in _kwargs_for"
                )
        else:
            pytest.fail(f"the crawler cannot fill <{param}> of {name}: teach it in _kwargs_for")
    return kwargs


def crawl(client, objects) -> dict[str, str]:
    """GET every named page with the objects' parameters; {url: html} for the pages that answer 200."""
    pages = {}
    for name, params in _named_patterns(get_resolver().url_patterns):
        kwargs = _kwargs_for(name, params, objects)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        extra = ["?q=Zelda", "?q=Leaky"] if "proposals" in name or "review" in name else []
        for suffix in ["", *extra]:
            response = client.get(url + suffix)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                pages[url + suffix] = response.content.decode()
    return pages


def _leaks(pages: dict[str, str], secrets: list[str]) -> list[str]:
    return [
        f"{url}: {s}" for url, html in pages.items() for s in secrets if re.search(re.escape(s), html, re.I)
    ]


def _publish_program(event, proposal, by, also=None):
    """Place the talk (and `also`) with a break in every room, then release: public pages have content."""
    room = event.rooms.order_by("position").first()
    program.place(event, proposal, room.name, program.at(event, 10), by)
    if also is not None:
        program.place(event, also, room.name, program.at(event, 11), by)
    lunch = program.lunch(event, by)
    program.release(event, by)
    return lunch


def _solver_run(event, by):
    """A finished plan of the event's draft: its run page lists the event's sessions."""
    return runs.start_run(event=event, mode="replan", time_limit=1, keep_pinned=True, by=by)


@pytest.fixture
def world(settings):
    settings.PODIUM_SOLVER_RUNNER = "inline"
    ours = factories.EventFactory()
    admin = factories.team_member(
        ours,
        is_admin=True,
        can_edit_event=True,
        can_review=True,
        can_schedule=True,
        can_send_mail=True,
        can_check_in=True,
        can_manage_sponsors=True,
    )
    reviewer = factories.team_member(ours, name="Reviewers", can_review=True)
    speaker = factories.UserFactory(name="Our Speaker")
    proposal = factories.ProposalFactory(event=ours, speakers=[speaker], state="confirmed")
    Review.objects.create(proposal=proposal, reviewer=reviewer, score=2, comment="fine")
    our_break = _publish_program(ours, proposal, admin)
    WebhookEndpoint.objects.create(event=ours, url="https://hooks.example/ours", kinds=["slot.changed"])
    pages.save_page(event=ours, by=admin, data={"title": "Venue", "state": PageState.PUBLISHED})

    # The other event's name is public (the index lists it); its proposals, people and set-up are not.
    other = factories.EventFactory(name="Elsewhere Conf", description="LEAK-OTHER-EVENT description")
    leaky = factories.UserFactory(name="Leaky Othername", email="leak@other.example")
    leak_track = Track.objects.create(event=other, name="LeakTrack")
    Room.objects.create(event=other, name="LeakRoom")
    other_proposal = factories.ProposalFactory(
        event=other, title="LEAK-OTHER-EVENT talk", speakers=[leaky], track=leak_track
    )
    other_proposal.event.speaker_profiles.filter(user=leaky).update(bio="LEAKBIO")
    other_admin = factories.team_member(
        other,
        name="LeakTeam",
        is_admin=True,
        can_edit_event=True,
        can_review=True,
        can_send_mail=True,
        can_schedule=True,
    )
    # Our speaker also has a proposal at the other event: their pages must still not mix the two.
    shared = factories.ProposalFactory(
        event=other,
        title="LEAK-OTHER-EVENT second talk",
        speakers=[leaky, speaker],
        state="confirmed",
        track=leak_track,
    )
    other_proposal.state = "confirmed"
    other_proposal.save(update_fields=["state"])
    other_break = _publish_program(other, other_proposal, other_admin, also=shared)
    WebhookEndpoint.objects.create(event=other, url="https://hooks.example/LEAK-OTHER-EVENT", kinds=["ping"])
    # Published under the same short name as ours: only our page may show on our event's pages.
    pages.save_page(
        event=other,
        by=other_admin,
        data={"title": "LEAK-OTHER-EVENT venue", "slug": "venue", "state": PageState.PUBLISHED},
    )

    # A CfP question at each event: the other's must not show on our set-up pages.
    cfp.save_question(event=other, by=other_admin, data={"label": "LEAK-OTHER-EVENT question"})
    cfp.save_question(event=ours, by=admin, data={"label": "Our question"})

    our_run = _solver_run(ours, admin)
    other_run = _solver_run(other, other_admin)
    # A visa letter at each event: the other's names its requester and passport, which must not leak.
    our_letter = visa.letter(ours, speaker, admin, passport_name="Our Speaker")
    other_letter = visa.letter(
        other, leaky, other_admin, passport_name="Leaky Othername", passport_number="LEAK-OTHER-EVENT-P1"
    )

    def objects(event, prop, team_user, slot, run, letter):
        team = event.organiser.teams.filter(members=team_user).first()
        return {
            "solver_run": run,
            "letter": letter,
            "event": event,
            "proposal": prop,
            "break": slot,
            "room": event.rooms.first(),
            "track": event.tracks.first(),
            "session_type": event.session_types.first(),
            "webhook": event.webhook_endpoints.first(),
            "page": event.pages.first(),
            "cfp_question": event.cfp_questions.first(),
            "tag": event.tags.get_or_create(name="Shortlist")[0],
            "team": team,
            "member": team_user,
            "user": team_user,
        }

    return {
        "ours": objects(ours, proposal, admin, our_break, our_run, our_letter),
        "other": objects(other, other_proposal, other_admin, other_break, other_run, other_letter),
        "admin": admin,
        "reviewer": reviewer,
        "speaker": speaker,
        "other_admin": other_admin,
    }


@pytest.mark.parametrize("role", ["anonymous", "speaker", "reviewer", "admin"])
def test_no_page_shows_another_organisers_data(client, world, role):
    if role != "anonymous":
        client.force_login(world[role])

    pages = crawl(client, world["ours"])

    assert len(pages) >= (3 if role in ("anonymous", "speaker") else 6)
    slug, code = world["ours"]["event"].slug, world["ours"]["proposal"].code
    speaker_code = program.speaker_code(world["ours"]["proposal"])
    # The released program's public pages were reached, including our speaker's (who also speaks there).
    assert {f"/{slug}/talk/{code}/", f"/{slug}/speaker/{speaker_code}/", f"/{slug}/schedule/"} <= set(pages)
    assert _leaks(pages, OTHER_SECRETS) == []


def test_crawler_detects_the_secrets_where_they_belong(client, world):
    """The control: the other organiser's admin sees their own data, so the leak check can fail."""
    client.force_login(world["other_admin"])

    pages = crawl(client, world["other"])

    found = {s for s in OTHER_SECRETS if any(s.lower() in html.lower() for html in pages.values())}
    assert found >= {"LEAK-OTHER-EVENT", "Leaky Othername", "LeakTrack", "LeakRoom"}


def test_other_organisers_admin_reaches_no_page_of_ours(client, world):
    client.force_login(world["other_admin"])

    pages = crawl(client, world["ours"])

    back_office = [url for url in pages if url.startswith("/orga/") and url != "/orga/"]
    assert back_office == []


@pytest.fixture
def anonymised(world):
    event = world["ours"]["event"]
    event.anonymise_review = True
    event.save()
    zelda = factories.UserFactory(name="Zelda Quixotic-Marmalade", email="zelda@secret.example")
    proposal = factories.ProposalFactory(event=event, title="Hidden identity talk", speakers=[zelda])
    event.speaker_profiles.filter(user=zelda).update(
        bio="ZELDA-BIO", website="https://zelda.example", social="@zelda_social"
    )
    Review.objects.create(proposal=proposal, reviewer=world["admin"], score=3, comment="great")
    return {**world["ours"], "proposal": proposal}


def test_anonymised_review_hides_speaker_identity_from_reviewers_everywhere(client, world, anonymised):
    client.force_login(world["reviewer"])

    pages = crawl(client, anonymised)

    assert any("Hidden identity talk" in html for html in pages.values())
    assert _leaks(pages, HIDDEN_SPEAKER) == []


def test_anonymised_review_still_shows_identity_to_organisers(client, world, anonymised):
    client.force_login(world["admin"])

    pages = crawl(client, anonymised)

    assert any("Zelda Quixotic-Marmalade" in html for html in pages.values())


# --- A non-public event answers exactly as an unknown slug ------------------------------------------

UNKNOWN_SLUG = "no-such-event"
HIDDEN_SECRETS = ["HIDDEN-EVENT-NAME", "HIDDEN-EVENT talk", "HiddenRoom", "#a1b2c3", "Hidden Speakerperson"]


def _event_patterns(patterns=None, route="", namespace="", params=()):
    """(route, namespaced name, parameters) of every URL that names an event outside the back office:
    the public site, the CfP and mail-link pages, exports, live stream, room screens and the API."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _event_patterns(
                entry.url_patterns,
                route + str(entry.pattern),
                f"{namespace}{entry.namespace}:" if entry.namespace else namespace,
                (*params, *entry.pattern.converters),
            )
        elif isinstance(entry, URLPattern) and entry.name:
            full = (*params, *entry.pattern.converters)
            if "event" in full and not route.startswith("orga/"):
                yield route + str(entry.pattern), namespace + entry.name, full


def _hidden_kwargs(name: str, params: tuple, hidden: dict, slug: str) -> dict:
    kwargs = {}
    for param in params:
        if param == "event":
            kwargs[param] = slug
        elif param == "token":  # a token that proves nothing: mail-link pages must not tell the event exists
            kwargs[param] = "x"
        elif param == "code":
            kwargs[param] = hidden["proposal"].code
        elif param == "speaker":
            kwargs[param] = program.speaker_code(hidden["proposal"])
        elif param == "version":
            kwargs[param] = 1
        elif param == "name" and name == "site:export_versioned":  # a file of a release
            kwargs[param] = "schedule.xml"
        elif param == "room":
            kwargs[param] = hidden["room"].uuid
        elif param == "page":
            kwargs[param] = hidden["page"].slug
        elif param in ("pk", "answer"):  # e.g. a ticket of an order: never reached, the event answers first
            kwargs[param] = 1
        elif param == "verification":  # a letter's code: the event answers first
            kwargs[param] = hidden["letter"].verification_code
        elif param in (
            "organisation",
            "sponsorship",
            "campaign",
            "contact",
            "deliverable",
            "interaction",
            "level",
            "tag",
            "conflict",
            "question",
        ):
            # ids (API): the event answers first
            kwargs[param] = 1
        elif param == "kind" and name == "api:withdraw_conflict":
            kwargs[param] = "person"
        else:
            pytest.fail(f"the crawler cannot fill <{param}> of {name}: teach it in _hidden_kwargs")
    return kwargs


def _answer(client, method: str, url: str, slug: str) -> tuple[tuple, str]:
    """What a visitor learns from one request: (status, content type, redirect target) and the body."""
    response = getattr(client, method)(url)
    location = response.get("Location", "").replace(slug, "<event>")
    shape = (response.status_code, response.get("Content-Type", "").split(";")[0], location)
    if response.streaming:  # an open event stream: its headers tell enough, and it never ends (left unread)
        return shape, ""
    return shape, response.content.decode(errors="replace")


@pytest.fixture
def hidden(db):
    """A non-public event with a released program, its team, its speaker, and three outsiders."""
    event = factories.EventFactory(name="HIDDEN-EVENT-NAME", slug="hidden-conf", is_public=False)
    event.tracks.update(colour="#a1b2c3")
    event.rooms.filter(position=0).update(name="HiddenRoom")
    admin = factories.team_member(event, is_admin=True, can_edit_event=True, can_schedule=True)
    speaker = factories.UserFactory(name="Hidden Speakerperson")
    proposal = factories.ProposalFactory(
        event=event, title="HIDDEN-EVENT talk", speakers=[speaker], state="confirmed"
    )
    _publish_program(event, proposal, admin)
    letter = visa.letter(event, speaker, admin, passport_name="Hidden Speakerperson")
    page = pages.save_page(
        event=event,
        by=admin,
        data={"title": "HIDDEN-EVENT-NAME venue", "slug": "venue", "state": PageState.PUBLISHED},
    )
    # A public sponsor sponsoring a track: the sponsors page, logos and marks would show it, were it public.
    public_sponsors.sponsor(event, admin, "HIDDEN-EVENT-NAME Sponsorco", track=event.tracks.first())
    public = factories.EventFactory(name="Open Conf")
    other_speaker = factories.UserFactory(name="Open Speaker")
    factories.ProposalFactory(event=public, speakers=[other_speaker])
    return {
        "event": event,
        "proposal": proposal,
        "room": event.rooms.get(name="HiddenRoom"),
        "page": page,
        "letter": letter,
        "admin": admin,
        "speaker": speaker,
        "outsider": factories.UserFactory(),
        "other_admin": factories.team_member(public, is_admin=True, can_edit_event=True),
        "other_speaker": other_speaker,
    }


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_admin", "other_speaker"])
def test_a_non_public_event_answers_every_public_url_as_an_unknown_slug(client, hidden, role):
    if role != "anonymous":
        client.force_login(hidden[role])
    slug = hidden["event"].slug
    patterns = list(_event_patterns())
    differences, leaks = [], []

    for route, name, params in patterns:
        for method in ("get", "post"):
            theirs, body = _answer(
                client, method, reverse(name, kwargs=_hidden_kwargs(name, params, hidden, slug)), slug
            )
            unknown, _ = _answer(
                client,
                method,
                reverse(name, kwargs=_hidden_kwargs(name, params, hidden, UNKNOWN_SLUG)),
                UNKNOWN_SLUG,
            )
            if theirs != unknown:
                differences.append(
                    f"{method.upper()} {route}: {theirs} where an unknown slug gives {unknown}"
                )
            leaks += [f"{method.upper()} {route}: {s}" for s in HIDDEN_SECRETS if s.lower() in body.lower()]

    # The list comes from the resolver: the site, the CfP, the mail links and the API are all in it.
    assert {"site:tracks_css", "site:live", "cfp:confirm", "cfp:invite", "api:sessions"} <= {
        name for _, name, _ in patterns
    }
    assert differences == []
    assert leaks == []


def test_a_non_public_event_still_serves_its_team_and_speakers(client, hidden):
    """The control: insiders reach what they need, so the comparison above can fail."""
    event, proposal = hidden["event"], hidden["proposal"]
    client.force_login(hidden["admin"])
    css = client.get(
        reverse("site:tracks_css", kwargs={"event": event.slug})
    )  # the schedule editor's colours
    assert (css.status_code, "#a1b2c3" in css.content.decode()) == (200, True)
    assert "private" in css["Cache-Control"]
    assert client.get(reverse("cfp:cfp", kwargs={"event": event.slug})).status_code == 200
    info = client.get(reverse("site:page", kwargs={"event": event.slug, "page": hidden["page"].slug}))
    assert (info.status_code, "private" in info["Cache-Control"]) == (200, True)  # its pages, before opening

    client.force_login(hidden["speaker"])
    mine = client.get(reverse("cfp:proposal", kwargs={"event": event.slug, "code": proposal.code}))
    assert (mine.status_code, "HIDDEN-EVENT talk" in mine.content.decode()) == (200, True)
    bad_link = client.get(reverse("cfp:confirm", kwargs={"event": event.slug, "token": "x"}))
    assert bad_link.status_code == 400  # a speaker of the event may learn that the link is broken
