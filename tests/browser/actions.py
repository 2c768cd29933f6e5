"""What a person does in the browser again and again: sign up, log in, fill forms."""

import re

from tests import factories

PASSWORD = "a long and unusual passphrase"
PHONE = {"width": 390, "height": 844}


def sign_up(page, *, name: str, email: str, password: str = PASSWORD) -> None:
    """Fill and send the sign-up form on the current page."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign up").click()


def log_in(page, *, email: str, password: str = PASSWORD) -> None:
    """Open the log-in page and log in."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def open_desk(browser, live_url, event, door, name: str, viewport=PHONE):
    """A phone (or `viewport`) at a check-in desk: its own browser context, `door` logged in, on the
    check-in page with its desk `name`. Returns (context, page); `page.errors` collects script errors."""
    context = browser.new_context(base_url=live_url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    log_in(page, email=door.email, password=factories.PASSWORD)
    page.goto(f"/orga/event/{event.slug}/checkin/")
    page.get_by_label("Desk").fill(name)
    page.get_by_label("Desk").dispatch_event("change")
    return context, page


def field(page, label: str):
    """The form field labelled `label` (Django may add a colon to the label)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def form_data(form) -> dict[str, str]:
    """The values a form would send now (file inputs and buttons left out)."""
    data = {}
    for element in form.locator("input[name], select[name], textarea[name]").all():
        if element.get_attribute("type") in {"file", "submit", "button"}:
            continue
        data[element.get_attribute("name")] = element.input_value()
    return data


def next_frames(page) -> None:
    """Wait until the browser has drawn twice: what a scroll, a focus or autofocus changes is laid out
    by then (instead of a fixed pause, which a loaded machine may outlast)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
