"""The check-in desk page and its JSON, badges and figures: the permission per event, the answers a
desk gets, the offline list (constant queries) and the sync, the PDF's names and QR codes."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.checkin import badges as badge_pdf
from podium.checkin.models import CheckIn, Scan
from podium.checkin.services import check_in
from podium.registration.models import Ticket
from podium.registration.tickets import read_token, token_for
from tests import factories
from tests.checkin.conftest import sell
from tests.pdf import pdf_text
from tests.querycount import assert_constant_queries
from tests.registration import shop

pytestmark = pytest.mark.django_db

# Names with quotes, brackets and accents.
NAMES = ("Siobhán O'Brien", 'Zoë "Zed" Ångström', "François (Frank) Müller")


@pytest.fixture
def full(event):
    shop.open_registration(event)
    return shop.ticket_type(event, "Full conference", price="250.00")


@pytest.fixture
def organiser(event):
    return factories.team_member(event, name="Organisers", can_edit_event=True)


@pytest.fixture
def door(event, client):
    user = factories.team_member(event, name="Door", can_check_in=True)
    client.force_login(user)
    return user


@pytest.fixture
def order(event, full, organiser):
    return sell(event, full, factories.UserFactory(), organiser, *NAMES, company="Acme & Söhne")


def _url(event, name, query=""):
    return reverse(f"orga:checkin{name}", kwargs={"event": event.slug}) + query


def _json(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


def test_the_desk_page_lets_the_camera_in_and_names_the_endpoints(client, event, door):
    response = client.get(_url(event, ""))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    assert _url(event, "_attendees") in html
    assert _url(event, "_sync") in html
    assert 'href="{}"'.format(_url(event, "")) in html  # the navigation link for the flag
    assert "vendor/jsQR-1.4.0" in html


def test_the_desk_page_loads_the_words_reader_before_its_script(client, event, door):
    html = client.get(_url(event, "")).content.decode()

    assert 0 < html.index("/static/podium/messages.js") < html.index("/static/podium/checkin.js")
    assert html.index("/static/podium/checkin.js") < html.index('id="checkin-messages"')


@pytest.mark.parametrize("name", ["", "_attendees", "_figures", "_badges"])
def test_pages_need_the_flag_for_this_very_event(client, event, order, name):
    other_event = factories.EventFactory(organiser=event.organiser)
    elsewhere = factories.team_member(event, name="Other door", can_check_in=True, events=[other_event])
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)

    answers = []
    for user in (elsewhere, scheduler):
        client.force_login(user)
        answers.append(client.get(_url(event, name)).status_code)
    client.logout()
    anonymous = client.get(_url(event, name))

    assert answers == [403, 403]
    assert anonymous.status_code == 302


def test_the_navigation_shows_check_in_only_with_the_flag(client, event, door):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    client.force_login(scheduler)
    page = client.get(reverse("orga:dayof", kwargs={"event": event.slug})).content.decode()

    assert _url(event, "") not in page


def test_posts_from_another_events_team_are_refused_and_change_nothing(client, event, order):
    other_event = factories.EventFactory(organiser=event.organiser)
    client.force_login(factories.team_member(event, name="Other", can_check_in=True, events=[other_event]))
    ticket = order.tickets.first()

    scan = _json(client, _url(event, "_scan"), {"code": token_for(ticket), "desk": "Desk 1"})
    sync = client.post(_url(event, "_sync"), {"scans": []}, content_type="application/json")

    assert (scan.status_code, sync.status_code) == (403, 403)
    assert (CheckIn.objects.count(), Scan.objects.count()) == (0, 0)


def test_a_scan_answers_json_for_the_script(client, event, door, order):
    ticket = order.tickets.first()

    first = _json(client, _url(event, "_scan"), {"code": token_for(ticket), "desk": "Desk 1"}).json()
    again = _json(client, _url(event, "_scan"), {"code": token_for(ticket), "desk": "Desk 2"}).json()

    assert (first["kind"], first["admitted"], first["desk"]) == ("ok", True, "Desk 1")
    assert first["message"] == "Checked in: Siobhán O'Brien \N{EM DASH} Full conference"
    assert first["ticket"] == {
        "id": ticket.pk,
        "name": "Siobhán O'Brien",
        "company": "Acme & Söhne",
        "type": "Full conference",
        "order": order.code,
    }
    assert (again["kind"], again["label"], again["desk"]) == ("already", "Already checked in", "Desk 1")
    assert again["message"].startswith("Already checked in at ")
    assert again["message"].endswith(" at Desk 1")


def test_a_scan_without_the_script_shows_the_page_with_the_result(client, event, door, order):
    ticket = order.tickets.last()

    response = client.post(_url(event, "_scan"), {"code": token_for(ticket), "desk": "Desk 9"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "result-ok" in html
    assert "Checked in: François (Frank) Müller" in html
    assert 'value="Desk 9"' in html


def test_a_forged_code_is_shown_red_with_words(client, event, door, order):
    response = client.post(_url(event, "_scan"), {"code": token_for(order.tickets.first()) + "x", "desk": ""})

    html = response.content.decode()
    assert "result-forged" in html
    assert "Refused: Forged or altered code" in html


def test_the_search_finds_by_name_and_order_code_and_offers_one_tap_check_in(client, event, door, order):
    by_name = client.get(_url(event, "", "?q=zoë")).content.decode()
    by_code = client.get(_url(event, "", f"?q={order.code.lower()}")).content.decode()

    assert "Zoë &quot;Zed&quot; Ångström" in by_name
    assert "Siobhán" not in by_name
    assert all(name.replace('"', "&quot;").replace("'", "&#x27;") in by_code for name in NAMES)
    assert by_name.count('name="ticket"') == 1


def test_the_desk_dates_a_check_in_of_another_day_and_not_one_of_today(client, event, door, order):
    yesterday, today = order.tickets.order_by("pk")[:2]
    check_in(event=event, code=token_for(yesterday), desk="Desk 1", by=door)
    check_in(event=event, code=token_for(today), desk="Desk 2", by=door)
    earlier = timezone.now() - dt.timedelta(days=1)
    CheckIn.objects.filter(ticket=yesterday).update(scanned_at=earlier)
    Scan.objects.filter(ticket=yesterday).update(scanned_at=earlier)

    html = client.get(_url(event, "", f"?q={order.code}")).content.decode()

    local = timezone.localtime(earlier, event.tz)
    assert f"checked in {local.day} {local:%B %H:%M} at Desk 1" in html
    now = timezone.localtime(CheckIn.objects.get(ticket=today).scanned_at, event.tz)
    assert f"checked in {now:%H:%M} at Desk 2" in html
    assert f">{local.day} {local:%B %H:%M}</time> · Desk 1" in html  # the desk's log of scans


def test_the_attendee_list_has_what_a_desk_needs_offline(client, event, door, order, full, organiser):
    ticket = order.tickets.first()
    check_in(event=event, code=token_for(ticket), desk="Desk 1", by=door)
    pending = sell(event, full, factories.UserFactory(), organiser, "Pending Person", paid=False)

    response = client.get(_url(event, "_attendees"))

    body = response.json()
    assert response["Cache-Control"] == "no-store"
    rows = {row["name"]: row for row in body["attendees"]}
    assert sorted(rows) == sorted([*NAMES, "Pending Person"])
    first = rows["Siobhán O'Brien"]
    assert (first["id"], first["order"], first["state"], first["type"], first["desk"]) == (
        ticket.pk,
        order.code,
        "paid",
        "Full conference",
        "Desk 1",
    )
    assert read_token(event, first["token"]) == ticket
    assert first["checked_in_at"] == CheckIn.objects.get().scanned_at.isoformat()
    assert rows["Pending Person"]["state"] == "pending"
    assert rows["Pending Person"]["order"] == pending.code
    assert rows['Zoë "Zed" Ångström']["checked_in_at"] is None


def test_the_attendee_list_takes_the_same_queries_for_more_tickets(client, event, door, full, organiser):
    buyer = factories.UserFactory()

    def grow(count):
        for n in range(count):
            order = sell(event, full, buyer, organiser, f"Guest {n}")
            check_in(event=event, code=token_for(order.tickets.get()), desk="Desk", by=door)

    assert_constant_queries(client, _url(event, "_attendees"), grow)


def test_the_attendee_list_shows_no_other_events_tickets(client, event, door, order):
    other = factories.EventFactory()
    shop.open_registration(other)
    shop.buy(other, factories.UserFactory(), shop.ticket_type(other, "Other", price="0"))

    names = [row["name"] for row in client.get(_url(event, "_attendees")).json()["attendees"]]

    assert sorted(names) == sorted(NAMES)


def test_the_sync_applies_the_queue_and_reports_conflicts(client, event, door, order):
    first, second, _third = order.tickets.order_by("pk")
    live = check_in(event=event, code=token_for(first), desk="Desk 1", by=door)
    earlier = (live.check_in.scanned_at - dt.timedelta(minutes=5)).isoformat()
    queue = [
        {"code": token_for(first), "desk": "Desk 2", "scanned_at": earlier},
        {"code": order.code, "ticket": second.pk, "desk": "Desk 2", "scanned_at": timezone.now().isoformat()},
    ]

    response = client.post(_url(event, "_sync"), {"scans": queue}, content_type="application/json")

    body = response.json()
    assert response.status_code == 200
    assert [(r["kind"], r["conflict"], r["offline"]) for r in body["results"]] == [
        ("ok", True, True),
        ("ok", False, True),
    ]
    assert body["conflicts"] == 1
    assert CheckIn.objects.get(ticket=first).desk == "Desk 2"
    assert CheckIn.objects.filter(ticket=second, offline=True).exists()


@pytest.mark.parametrize("body", [b"not json", b'{"scans": "no"}', b"[1, 2]", b'{"scans": [{"code": 5}]}'])
def test_a_damaged_sync_is_refused_with_a_reason(client, event, door, body):
    response = client.post(_url(event, "_sync"), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]


# --- Badges --------------------------------------------------------------------------------------------


@pytest.fixture
def qr_values(monkeypatch):
    """The values of the QR codes a badge PDF draws, in order."""
    drawn = []
    original = badge_pdf.qr_code
    monkeypatch.setattr(
        badge_pdf, "qr_code", lambda value, size: drawn.append(value) or original(value, size)
    )
    return drawn


@pytest.fixture
def uncompressed(monkeypatch):
    original = badge_pdf.badges_pdf
    monkeypatch.setattr(
        "podium.orga.views.checkin.badge_pdf.badges_pdf",
        lambda event, tickets, layout: original(event, tickets, layout=layout, compress=False),
    )


@pytest.mark.parametrize(("layout", "pages"), [("a6", 3), ("avery", 1)])
def test_badges_name_each_paid_attendee_with_one_qr_each(
    client, event, door, order, full, organiser, qr_values, uncompressed, layout, pages
):
    sell(event, full, factories.UserFactory(), organiser, "Unpaid Ursula", paid=False)

    response = client.get(_url(event, "_badges", f"?layout={layout}"))

    document = response.content
    text = pdf_text(document)
    assert response["Content-Type"] == "application/pdf"
    assert all(name in text for name in NAMES)
    assert "Unpaid Ursula" not in text
    assert text.count("Full conference") == 3
    assert text.count("Acme & Söhne") == 3
    assert text.count(event.name) == 3
    assert len(qr_values) == 3
    assert sorted(read_token(event, value).attendee_name for value in qr_values) == sorted(NAMES)
    assert document.count(b"/Type /Page\n") == pages


def test_a_sheet_holds_eight_badges(client, event, door, full, organiser, qr_values, uncompressed):
    sell(event, full, factories.UserFactory(), organiser, *(f"Guest {n}" for n in range(9)))

    document = client.get(_url(event, "_badges", "?layout=avery")).content

    assert len(qr_values) == 9
    assert document.count(b"/Type /Page\n") == 2


def test_one_badge_by_ticket_id_and_never_another_events(client, event, door, order, qr_values, uncompressed):
    ticket = order.tickets.last()
    other = factories.EventFactory()
    shop.open_registration(other)
    foreign = shop.buy(
        other, factories.UserFactory(), shop.ticket_type(other, "Other", price="0")
    ).tickets.get()

    one = client.get(_url(event, "_badges", f"?ticket={ticket.pk}"))
    theirs = client.get(_url(event, "_badges", f"?ticket={foreign.pk}"))
    junk = client.get(_url(event, "_badges", "?ticket=abc"))
    layout = client.get(_url(event, "_badges", "?layout=a0"))

    assert pdf_text(one.content).count("François (Frank) Müller") == 1
    assert "Siobhán" not in pdf_text(one.content)
    assert qr_values == [token_for(ticket)] or read_token(event, qr_values[0]) == ticket
    assert (theirs.status_code, junk.status_code, layout.status_code) == (404, 404, 400)


def test_the_desk_names_the_badges_that_cannot_print_as_written(
    client, event, door, order, full, organiser, uncompressed
):
    """Chinese, Japanese, Korean and Arabic names print; letters no font here has (Devanagari, Thai)
    cannot: the desk page names those badges, with a link to each, and never a name that prints (nor
    an unpaid order's)."""
    names = ("王小明", "山田 やまだ", "김민준", "Priya प्रिया", "سارة Haddad", "Somchai ไทย")
    sell(event, full, factories.UserFactory(), organiser, *names)
    sell(event, full, factories.UserFactory(), organiser, "Unpaid नमस्ते", paid=False)

    html = client.get(_url(event, "")).content.decode()
    document = client.get(_url(event, "_badges")).content

    warning = html[html.index('id="unprintable-badges"') :]
    warning = warning[: warning.index("</div>")]
    assert "2 badges hold words" in warning
    assert "Priya प्रिया</a> (प्रिया)" in warning
    assert "Somchai ไทย</a> (ไทย)" in warning
    priya = Ticket.objects.get(attendee_name="Priya प्रिया")
    assert f"?ticket={priya.pk}" in warning
    assert not any(name in warning for name in ("王小明", "山田", "김민준", "سارة", "Unpaid", *NAMES))
    text = "".join(pdf_text(document).split())
    assert all(name in text for name in ("王小明", "山田やまだ", "김민준", "Haddad"))
    assert set("ﺓﺭﺎﺳ") <= set(text)  # سارة drawn in its joined forms
    assert "س" not in text


def test_the_desk_warns_of_no_badge_when_every_name_prints(client, event, door, order):
    assert 'id="unprintable-badges"' not in client.get(_url(event, "")).content.decode()


# --- Figures -------------------------------------------------------------------------------------------


def test_figures_count_check_ins_against_paid_tickets_per_type_and_per_quarter(
    client, event, door, order, full, organiser
):
    speakers = shop.ticket_type(event, "Speaker", price="0")
    sell(event, full, factories.UserFactory(), organiser, "Not paid", paid=False)
    shop.buy(event, factories.UserFactory(), speakers)
    first, second, _third = order.tickets.order_by("pk")
    yesterday = timezone.now().astimezone(event.tz) - dt.timedelta(days=1)
    nine = yesterday.replace(hour=9, minute=5, second=0, microsecond=0)
    for ticket, moment in ((first, nine), (second, nine + dt.timedelta(minutes=3))):
        check_in(event=event, code=token_for(ticket), desk="Desk", by=door, scanned_at=moment)

    response = client.get(_url(event, "_figures"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>2</strong> of 4 tickets checked in (50%)" in html
    assert re.search(r"Full conference</th><td>3</td><td>2</td>", html)
    assert re.search(r"Speaker</th><td>1</td><td>0</td>", html)
    assert html.count('<rect class="bar"') == 1
    assert "<title>09:00: 2</title>" in html
    assert 'http-equiv="refresh"' in html


def test_posts_need_the_csrf_token(event, door, order):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(door)

    scan = strict.post(
        _url(event, "_scan"), {"code": token_for(order.tickets.first())}, HTTP_ACCEPT="application/json"
    )
    sync = strict.post(_url(event, "_sync"), {"scans": []}, content_type="application/json")

    assert (scan.status_code, sync.status_code) == (403, 403)
    assert CheckIn.objects.count() == 0
