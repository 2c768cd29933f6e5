"""A visitor creates an account, logs out and in, and resets a forgotten password."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from podium.accounts.models import User
from tests.browser.actions import PASSWORD, log_in, sign_up

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another quite long passphrase"


def test_account_sign_up_log_out_log_in(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    sign_up(page, name="Ada Visitor", email="Ada@Example.org")

    expect(page.get_by_role("status")).to_have_text("Welcome to Podium. Your account is ready.")
    page.get_by_role("link", name="My Podium").click()
    expect(page.get_by_role("heading", name="Hello Ada Visitor")).to_be_visible()
    assert User.objects.get(email="ada@example.org").name == "Ada Visitor"

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/accounts/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/$"))

    log_in(page, email="ada@example.org")
    expect(page.get_by_role("heading", name="Hello Ada Visitor")).to_be_visible()


def test_account_password_reset_mails_a_base_url_link_that_sets_a_new_password(page):
    User.objects.create_user(email="grace@example.org", name="Grace Speaker", password=PASSWORD)

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    assert [m.to for m in mail.outbox] == [["grace@example.org"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("https://podium.test/accounts/password-reset/")

    page.goto(urlsplit(link).path)
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New password confirmation:?$")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    log_in(page, email="grace@example.org", password=NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Hello Grace Speaker")).to_be_visible()


def test_account_wrong_password_shows_an_error_and_keeps_the_email(page):
    User.objects.create_user(email="lin@example.org", name="Lin", password=PASSWORD)

    log_in(page, email="lin@example.org", password="not the password")

    expect(page.get_by_role("alert")).to_contain_text("correct")
    expect(page.get_by_label("E-mail")).to_have_value("lin@example.org")
