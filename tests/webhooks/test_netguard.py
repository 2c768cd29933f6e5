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
        ("192.0.0.8", "non-public"),
        ("fec0::1", "non-public"),  # site-local (deprecated)
        ("3fff::1", "non-public"),  # documentation
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_why_refused_names_the_kind_of_address(address, reason):
    assert netguard.why_refused(address) == reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        # 6to4 (2002::/16): the IPv4 address sits in bits 16 to 48.
        ("2002:7f00:1::", "loopback"),
        ("2002:7f00:1:1:1:1:1:1", "loopback"),
        ("2002:a00:1::", "private"),
        ("2002:c0a8:101::1", "private"),
        ("2002:a9fe:a9fe::", "link-local"),
        ("2002::", "unspecified"),
        ("2002:5db8:d822::1", None),  # 93.184.216.34
        # Teredo (2001::/32): the client address is the last 32 bits, XOR-ed with ones.
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fff7", "private"),  # 10.0.0.8
        ("2001:0:4136:e378:8000:63bf:a247:27dd", "non-public"),  # 93.184.216.34: Teredo is no receiver
        # NAT64, the well-known prefix 64:ff9b::/96 and the local-use 64:ff9b:1::/48.
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b::a00:8", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("64:ff9b::5db8:d822", None),  # 93.184.216.34
        ("64:ff9b:1::7f00:1", "loopback"),
        ("64:ff9b:1::5db8:d822", "non-public"),
        # IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d).
        ("::ffff:7f00:1", "loopback"),
        ("::ffff:10.0.0.8", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:93.184.216.34", None),
        ("::127.0.0.1", "loopback"),
        ("::10.0.0.8", "private"),
        ("::93.184.216.34", "non-public"),
        ("::ffff:0:127.0.0.1", "loopback"),
        ("::ffff:0:93.184.216.34", "non-public"),
    ],
)
def test_why_refused_checks_the_ipv4_address_inside_ipv6_forms(address, reason):
    assert netguard.why_refused(address) == reason


def _resolving_to(monkeypatch, *addresses):
    def fake(host, port, *args, **kwargs):
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[4 if "." in a and ":" not in a else 6], socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_check_names_the_embedded_address_it_refused(settings, monkeypatch):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False
    _resolving_to(monkeypatch, "2002:7f00:1::")

    with pytest.raises(netguard.RefusedAddress) as refused:
        netguard.check("https://sixtofour.example/hook")

    assert refused.value.message == (
        "sixtofour.example resolves to 2002:7f00:1::, a loopback address (6to4 for 127.0.0.1); "
        "webhooks only go to public addresses."
    )


@pytest.mark.django_db
def test_an_endpoint_on_an_embedded_loopback_address_is_refused_at_save_time(settings, event):
    from podium.webhooks import services
    from podium.webhooks.models import WebhookEndpoint

    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False

    with pytest.raises(netguard.RefusedAddress, match="loopback"):
        services.register_endpoint(
            event=event, by=None, url="http://[2002:7f00:1::]:8000/hook", kinds=["release.published"]
        )

    assert not WebhookEndpoint.objects.exists()


def test_delivery_checks_the_addresses_it_resolves_and_connects_to_none_of_them(settings, monkeypatch):
    """A host that was public when saved and resolves to 6to4 loopback by delivery time (rebinding)."""
    from podium.webhooks import delivery

    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False
    _resolving_to(monkeypatch, "2002:7f00:1::")
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connections.append(args))

    outcome = delivery.post("https://rebinding.example/hook", b"{}", {"Content-Type": "application/json"})

    assert (outcome.delivered, outcome.code, connections) == (False, None, [])
    assert outcome.error.startswith("Refused: rebinding.example resolves to 2002:7f00:1::, a loopback")


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
