"""Outbound address checks: only public addresses, every resolved address checked."""

import re
import socket

import pytest

from podium.webhooks import netguard


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (an address under test, nothing binds)
        ("100.64.0.1", "non-public"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_why_refused_names_the_kind_of_address(address, reason):
    assert netguard.why_refused(address) == reason


def test_check_refuses_a_host_with_one_private_address_among_public_ones(settings, monkeypatch):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False

    def mixed(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)

    with pytest.raises(netguard.RefusedAddress, match=re.escape("10.0.0.8, a private address")):
        netguard.check("https://mixed.example/hook")


def test_check_allows_private_addresses_when_the_setting_says_so(settings):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = True

    target = netguard.check("http://127.0.0.1:9/in?a=b")

    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "http",
        "127.0.0.1",
        9,
        "/in?a=b",
        "127.0.0.1",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "starts with https:// or http://"),
        ("file:///etc/passwd", "starts with https:// or http://"),
        ("http://", "needs a host name"),
        ("http://example.org:99999/", "cannot be read"),
    ],
)
def test_parse_refuses_what_is_not_an_http_url(url, message):
    with pytest.raises(netguard.RefusedAddress, match=message):
        netguard.parse(url)


def test_parse_fills_in_the_default_port_and_path():
    assert netguard.parse("HTTPS://Hooks.Example") == ("https", "hooks.example", 443, "/")


def test_parse_escapes_a_non_ascii_path_but_keeps_existing_escapes():
    assert netguard.parse("https://hooks.example/grüße?a=b%20c&d=é")[3] == "/gr%C3%BC%C3%9Fe?a=b%20c&d=%C3%A9"
