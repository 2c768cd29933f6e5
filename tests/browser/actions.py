"""What a person does in the browser again and again: sign up, log in, fill forms."""

import re

PASSWORD = "a long and unusual passphrase"


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
