"""A ticket from the shop to the door: a visitor buys a free ticket on a phone and receives it by mail
with the PDF; at the door, a desk's phone camera (Chromium's fake camera, fed the ticket's QR code as
video) reads the code and checks the visitor in; a second desk typing the same ticket is told it is
already in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from podium.base.pdf import qr_code
from podium.checkin.models import CheckIn
from podium.registration.models import Order
from podium.registration.tickets import token_for
from tests import factories
from tests.browser.actions import log_in
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _chromium
from tests.pdf import pdf_text, qr_modules
from tests.registration import shop

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDTH, HEIGHT = 640, 480


def qr_video(value: str, path) -> None:
    """A one-frame Y4M video (what Chromium's fake camera plays, in a loop) of `value`'s QR code as the
    ticket's PDF draws it (base/pdf.py), black on white, the size a phone held over a ticket would see."""
    grid = qr_modules(qr_code(value, size=100))  # its quiet zone included
    scale = min(WIDTH, HEIGHT) // len(grid)
    left, top = (WIDTH - len(grid) * scale) // 2, (HEIGHT - len(grid) * scale) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # video white
    for row, modules in enumerate(grid):
        for column, dark in enumerate(modules):
            if dark:
                for y in range(top + row * scale, top + (row + 1) * scale):
                    start = y * WIDTH + left + column * scale
                    luma[start : start + scale] = b"\x10" * scale  # video black
    chroma = b"\x80" * (WIDTH // 2 * HEIGHT // 2)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_bought_on_a_phone_received_by_mail_scanned_by_the_camera_at_the_door(
    page, browser, live_url, event, tmp_path
):
    shop.open_registration(event)
    shop.ticket_type(event, "Community", price="0.00", quota=50)
    visitor = factories.UserFactory(email="lukasz@example.org", name="Łukasz O'Brien")
    door = factories.team_member(event, name="Door", can_check_in=True)
    page.set_viewport_size(PHONE)

    log_in(page, email=visitor.email, password=factories.PASSWORD)
    page.goto(f"/{event.slug}/tickets/")
    page.get_by_label("How many").fill("1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Get 1 ticket").click()
    order = Order.objects.get()
    expect(page.get_by_role("heading", name=f"Order {order.code}")).to_be_visible()
    ticket = order.tickets.get()

    # Received: the confirmation mail carries the ticket as a PDF with the attendee's name.
    (message,) = [m for m in mail.outbox if m.to == [visitor.email]]
    ((filename, content, content_type),) = message.attachments
    assert (filename, content_type) == (f"ticket-{order.code}-{ticket.pk}.pdf", "application/pdf")
    assert "Łukasz O'Brien" in pdf_text(content)

    # Desk 1: a phone whose camera sees the ticket's QR code.
    video = tmp_path / "ticket.y4m"
    qr_video(token_for(ticket), video)
    camera_browser = _chromium.playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(base_url=live_url, viewport=PHONE, permissions=["camera"])
        context.set_default_timeout(TIMEOUT_MS)
        desk = context.new_page()
        errors = []
        desk.on("pageerror", lambda error: errors.append(str(error)))
        log_in(desk, email=door.email, password=factories.PASSWORD)
        desk.goto(f"/orga/event/{event.slug}/checkin/")
        desk.get_by_label("Desk").fill("Desk 1")
        desk.get_by_label("Desk").dispatch_event("change")
        desk.get_by_role("button", name="Scan with the camera").click()
        result = desk.locator("#checkin-result .checkin-result")
        expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
        expect(result).to_contain_text("Checked in: Łukasz O'Brien — Community")
        stored = CheckIn.objects.get(ticket=ticket)
        assert (stored.desk, stored.by, stored.offline) == ("Desk 1", door, False)
        assert errors == []
    finally:
        camera_browser.close()

    # Desk 2 types the code from the same ticket: already in, when and where.
    other = browser.new_context(base_url=live_url, viewport=PHONE)
    other.set_default_timeout(TIMEOUT_MS)
    try:
        desk_two = other.new_page()
        log_in(desk_two, email=door.email, password=factories.PASSWORD)
        desk_two.goto(f"/orga/event/{event.slug}/checkin/")
        desk_two.get_by_label("Ticket code").fill(token_for(ticket))
        desk_two.get_by_role("button", name="Check in", exact=True).click()
        answer = desk_two.locator("#checkin-result .checkin-result")
        expect(answer).to_have_class(re.compile(r"\bresult-already\b"))
        expect(answer).to_contain_text(re.compile(r"Already checked in at \d\d:\d\d at Desk 1"))
    finally:
        other.close()
    assert CheckIn.objects.filter(ticket=ticket).count() == 1
