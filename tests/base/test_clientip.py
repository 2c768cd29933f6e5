"""The client address: REMOTE_ADDR, or X-Forwarded-For read from the right behind trusted proxies."""

import ast
import http.cookiejar
import io
import re
import subprocess
import tokenize
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from podium.base.clientip import client_address
from tests import factories, served

SRC = Path(__file__).resolve().parents[2] / "src" / "podium"


def _request(remote_addr="198.51.100.20", forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def _forged(number: int) -> str:
    return f"10.{number // 250}.{number % 250}.1"


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_headers(settings):
    settings.PODIUM_TRUSTED_PROXIES = []

    address = client_address(_request("198.51.100.20", forwarded_for="203.0.113.9, 127.0.0.1"))

    assert address == "198.51.100.20"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client(settings):
    settings.PODIUM_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_address(_request("198.51.100.20", forwarded_for="203.0.113.9")) == "198.51.100.20"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # The client wrote the left-most hops itself; the proxies appended the rest.
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"),  # 10.0.0.0/8 is a trusted proxy network
        ("not-an-address, 203.0.113.9", "203.0.113.9"),
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]:4711", "2001:db8::7"),
        ("203.0.113.9:4711", "203.0.113.9"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        # A malformed hop never wins: the last address a trusted proxy vouched for does.
        ("203.0.113.9, garbage", "127.0.0.1"),
        ("203.0.113.9, 10.1.2.3, 999.1.1.1", "127.0.0.1"),
        ("", "127.0.0.1"),
        ("10.9.9.9", "10.9.9.9"),  # only proxies: the left-most of them
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(settings, forwarded_for, client):
    settings.PODIUM_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "::1"]

    assert client_address(_request("127.0.0.1", forwarded_for=forwarded_for)) == client


def test_a_trusted_proxy_without_a_forwarded_header_is_the_client(settings):
    settings.PODIUM_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_address(_request("127.0.0.1")) == "127.0.0.1"


def test_an_unreadable_peer_gives_a_placeholder_not_a_header(settings):
    settings.PODIUM_TRUSTED_PROXIES = []

    assert client_address(_request("", forwarded_for="203.0.113.9")) == "0.0.0.0"  # noqa: S104


# --- Log-in lockout (django-axes) ------------------------------------------------------------------


def _login(client, user, password, forwarded_for, remote_addr="198.51.100.20"):
    return client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_thirty_wrong_passwords_with_thirty_forged_headers_lock_the_real_address(client, settings):
    settings.PODIUM_TRUSTED_PROXIES = []
    user = factories.UserFactory()

    answers = [_login(client, user, "wrong", _forged(n)).status_code for n in range(30)]
    right_password_forged_header = _login(client, user, factories.PASSWORD, "203.0.113.77")

    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429] * (31 - settings.AXES_FAILURE_LIMIT)
    assert right_password_forged_header.status_code == 429
    assert "Too many failed log-ins" in right_password_forged_header.content.decode()


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_lockout_follows_the_right_most_untrusted_hop(client, settings):
    settings.PODIUM_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.UserFactory()

    for n in range(3):  # the attacker forges a different left part each time
        _login(client, user, "wrong", f"{_forged(n)}, 203.0.113.9", remote_addr="127.0.0.1")
    attacker = _login(client, user, factories.PASSWORD, "1.1.1.1, 203.0.113.9", remote_addr="127.0.0.1")
    someone_else = _login(client, user, factories.PASSWORD, "203.0.113.10", remote_addr="127.0.0.1")

    assert attacker.status_code == 429
    assert someone_else.status_code == 302


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_real_address(
    client, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from podium.accounts.services import RESET_REQUESTS_PER_ADDRESS_PER_HOUR

    settings.PODIUM_TRUSTED_PROXIES = []
    limit = RESET_REQUESTS_PER_ADDRESS_PER_HOUR
    for n in range(limit + 2):
        factories.UserFactory(email=f"person{n}@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(
                reverse("accounts:password_reset"),
                {"email": f"person{n}@example.org"},
                REMOTE_ADDR="198.51.100.20",
                HTTP_X_FORWARDED_FOR=_forged(n),
            ).status_code
            for n in range(limit + 2)
        ]
        from_elsewhere = client.post(
            reverse("accounts:password_reset"),
            {"email": f"person{limit + 1}@example.org"},
            REMOTE_ADDR="198.51.100.21",
        )

    assert answers == [302] * (limit + 2)  # the same answer every time
    assert from_elsewhere.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [f"person{n}@example.org" for n in range(limit)] + [f"person{limit + 1}@example.org"]
    )


# --- A real `podium serve`: the ASGI server must not take the address from the headers either ------


@pytest.fixture
def server(tmp_path):
    port = served.free_port()
    env = served.clean_env(served.migrated(tmp_path), port, drop=("FORWARDED_",))
    create = (
        "from podium.accounts.models import User; "
        "User.objects.create_user(email='door@example.org', password='the right password 1')"
    )
    subprocess.run(
        [served.PODIUM, "shell", "-c", create], env=env, check=True, timeout=120, capture_output=True
    )
    process = served.start(port, env, tmp_path / "serve.log", "--no-migrate")
    yield f"http://127.0.0.1:{port}"
    served.stop(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _served_login(base: str, password: str, forwarded_for: str) -> int:
    """One log-in through the real server, with its CSRF cookie and token; the answer's status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
    )
    url = base + reverse("accounts:login")
    with opener.open(url, timeout=30) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"username": "door@example.org", "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": forwarded_for})  # noqa: S310 (http://127.0.0.1)
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_served_site_locks_the_real_address_whatever_x_forwarded_for_says(server):
    limit = django_settings.AXES_FAILURE_LIMIT

    answers = [_served_login(server, "wrong", _forged(n)) for n in range(30)]
    unlocked = _served_login(server, "the right password 1", "203.0.113.77")

    assert answers == [200] * (limit - 1) + [429] * (31 - limit)
    assert unlocked == 429


# --- Guards: one place reads the client address ---------------------------------------------------

HEADER_NAMES = re.compile(r"remote_addr|forwarded[_-]for|x[_-]real[_-]ip|forwarded_allow_ips", re.IGNORECASE)


def _code_tokens(path: Path):
    """Names and string literals of a module (comments are free to explain the rule)."""
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if token.type in (tokenize.NAME, tokenize.STRING):
            yield token


def test_no_code_outside_clientip_reads_the_client_address_headers():
    readers = sorted(
        f"{path.relative_to(SRC)}:{token.start[0]}"
        for path in SRC.rglob("*.py")
        if path.name != "clientip.py" or path.parent.name != "base"
        for token in _code_tokens(path)
        if HEADER_NAMES.search(token.string)
    )

    assert readers == []


def test_axes_asks_clientip_for_the_address():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "podium.base.clientip.client_address"


def test_every_uvicorn_run_leaves_the_forwarded_headers_alone():
    """uvicorn rewrites the peer from X-Forwarded-For for 127.0.0.1 unless told not to."""
    calls = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "uvicorn"
            ):
                keywords = {kw.arg: kw.value for kw in node.keywords}
                proxy_headers = keywords.get("proxy_headers")
                calls.append(
                    (
                        f"{path.relative_to(SRC)}:{node.lineno}",
                        isinstance(proxy_headers, ast.Constant) and proxy_headers.value is False,
                    )
                )

    assert calls
    assert [where for where, safe in calls if not safe] == []
