import re

import pytest
from django.core import mail
from django.urls import reverse

from podium.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_signup_creates_account_and_logs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Ada Lovelace",
            "email": "Ada@Example.org",
            "password": "analytical engine 1843",
        },
    )

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ada@example.org"
    assert client.get(reverse("accounts:home")).status_code == 200


def test_signup_bad_input_shows_errors_and_creates_nothing(client):
    factories.UserFactory(email="taken@example.org")

    response = client.post(
        reverse("accounts:signup"), {"name": "", "email": "TAKEN@example.org", "password": "123"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "exists already" in content
    assert "This field is required." in content
    assert "too short" in content
    assert User.objects.count() == 1


def test_login_with_email_and_logout(client):
    user = factories.UserFactory(email="grace@example.org")

    response = client.post(
        reverse("accounts:login"), {"username": "GRACE@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).context["user"] == user

    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_failed_logins_are_rate_limited_per_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.UserFactory()
    url = reverse("accounts:login")

    for _ in range(3):
        client.post(url, {"username": user.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    locked = client.post(
        url, {"username": user.email, "password": factories.PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    other_address = client.post(
        url, {"username": user.email, "password": factories.PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )

    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert other_address.status_code == 302


def test_password_reset_link_uses_base_url_not_host_header(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["evil.example", "podium.test", "testserver"]
    user = factories.UserFactory(email="reset@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:password_reset"), {"email": "reset@example.org"}, HTTP_HOST="evil.example"
        )

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("https://podium.test/accounts/password-reset/")
    assert "evil.example" not in mail.outbox[0].body
    # The link works: it leads to the set-password form, and the new password logs in.
    path = link.removeprefix("https://podium.test")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new secret", "new_password2": "a brand new secret"},
    )
    user.refresh_from_db()
    assert user.check_password("a brand new secret")


def test_password_reset_unknown_address_says_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_home_requires_login(client):
    response = client.get(reverse("accounts:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_next_does_not_redirect_off_site(client):
    user = factories.UserFactory()

    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": user.email, "password": factories.PASSWORD},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_home_query_count_is_constant(client):
    from tests.querycount import assert_constant_queries

    speaker = factories.UserFactory()
    client.force_login(speaker)

    def grow(n):
        for _ in range(n):
            event = factories.EventFactory()
            factories.ProposalFactory(event=event, speakers=[speaker])
            factories.team_member(event, user=speaker, can_review=True)

    assert_constant_queries(client, reverse("accounts:home"), grow)


def test_password_reset_mails_are_limited_per_account(client, django_capture_on_commit_callbacks):
    factories.UserFactory(email="flood@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("accounts:password_reset"), {"email": "flood@example.org"}).status_code
            for _ in range(5)
        ]

    assert answers == [302] * 5  # the same answer every time
    assert len(mail.outbox) == 3


SIGN_UP = {"name": "Ada Lovelace", "email": "ada@example.org", "password": "analytical engine 1843"}


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/accounts/login/?next=/conf/submit/", "/conf/submit/"),
        ("/accounts/login/?next=/accounts/signup/%3Fnext%3D/conf/submit/", "/conf/submit/"),
        ("/accounts/login/", "/accounts/"),
        ("/accounts/signup/", "/accounts/"),
        ("/accounts/login/?next=https://evil.example/", "/accounts/"),
        ("/conf/submit/?track=2", "/conf/submit/?track=2"),
    ],
)
def test_signup_never_lands_on_the_log_in_or_sign_up_form(client, next_url, lands_on):
    response = client.post(reverse("accounts:signup"), {**SIGN_UP, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_signup_from_the_log_in_pages_header_goes_on_to_where_the_log_in_was_going(client):
    """ "Submit a proposal" → log-in page → the header's "Sign up": its `next` is the log-in page."""
    login_page = reverse("accounts:login") + "?next=/conf/submit/"
    signup_page = client.get(reverse("accounts:signup") + "?next=" + login_page.replace("?", "%3F"))

    assert 'name="next" value="/conf/submit/"' in signup_page.content.decode()
    response = client.post(reverse("accounts:signup"), {**SIGN_UP, "next": login_page})

    assert response["Location"] == "/conf/submit/"


def test_login_never_lands_on_the_sign_up_form(client):
    user = factories.UserFactory()

    response = client.post(
        reverse("accounts:login") + "?next=/accounts/signup/%3Fnext%3D/conf/submit/",
        {"username": user.email, "password": factories.PASSWORD},
    )

    assert response["Location"] == "/conf/submit/"


def test_signup_and_login_forms_are_prefilled_with_the_address_they_are_given(client):
    signup = client.get(reverse("accounts:signup") + "?email=co%40example.org").content.decode()
    login = client.get(reverse("accounts:login") + "?email=co%40example.org").content.decode()

    assert re.search(r'<input type="email" name="email" value="co@example.org"', signup)
    assert re.search(r'<input type="email" name="username" value="co@example.org"', login)
