"""Outbound address checks: a webhook may not reach into the server's own network.

An organiser chooses the URL, so without a check a webhook could be pointed at the database, a cloud
metadata service or an admin panel on localhost. Every address the host resolves to must be public;
the request then connects to the address that was checked (not a second lookup, which a hostile DNS
server could answer differently). `PODIUM_WEBHOOKS_ALLOW_PRIVATE` lifts the address check (for a
receiver on the same machine or network, and for tests).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from podium.base.errors import ServiceError

SCHEMES = {"http": 80, "https": 443}
# Characters left as they are in the request line: reserved ones and existing %-escapes.
PATH_SAFE = "/:@!$&'()*+,;=?%~"


class RefusedAddress(ServiceError):
    """The URL or its host's addresses may not be contacted."""


@dataclass(frozen=True)
class Target:
    """Where a request goes: the URL's parts and the checked address to connect to."""

    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line
    address: str


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an http(s) URL, or RefusedAddress saying what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise RefusedAddress(_("This URL cannot be read: %(error)s.") % {"error": exc}, field="url") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise RefusedAddress(_("A webhook URL starts with https:// or http://."), field="url")
    if not parts.hostname:
        raise RefusedAddress(_("A webhook URL needs a host name."), field="url")
    if parts.username or parts.password:
        raise RefusedAddress(
            _("Put no user name or password in the URL; the signature proves the sender."), field="url"
        )
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE)
    return scheme, parts.hostname, port or SCHEMES[scheme], path


# Networks the running Python's ipaddress tables may not know as non-public (they were added to the IANA
# registries, or to Python, later), or that it counts as global although nothing public lives there.
NOT_PUBLIC = tuple(
    ipaddress.ip_network(network)
    for network in (
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64: a translator of the local network
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) identifiers
        "fec0::/10",  # site-local (deprecated)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: public IPv4 hosts seen over IPv6
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # a translator of the local network
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # ::a.b.c.d (deprecated)
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # ::ffff:0:a.b.c.d (SIIT)

IP = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Embedded:
    """An IPv4 address carried inside an IPv6 one: where the packets end up."""

    form: str  # "6to4", "Teredo", ...
    ipv4: ipaddress.IPv4Address
    form_is_public: bool  # whether the IPv6 form can reach a public host at all


def embedded(ip: IP) -> Embedded | None:
    """The IPv4 address inside an IPv6 address of a form that carries one, or None.

    IPv4-mapped and 6to4 addresses and the well-known NAT64 prefix reach public IPv4 hosts; Teredo,
    IPv4-compatible and IPv4-translated addresses are never a public receiver, whatever they carry.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    last32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return Embedded("IPv4-mapped", ip.ipv4_mapped, form_is_public=True)
    if ip.sixtofour is not None:
        return Embedded("6to4", ip.sixtofour, form_is_public=True)
    if ip.teredo is not None:
        _server, client = ip.teredo  # the client address, its XOR undone by the ipaddress module
        return Embedded("Teredo", client, form_is_public=False)
    if ip in NAT64:
        return Embedded("NAT64", last32, form_is_public=True)
    if ip in LOCAL_NAT64:
        return Embedded("local-use NAT64", last32, form_is_public=False)
    if ip in IPV4_TRANSLATED:
        return Embedded("IPv4-translated", last32, form_is_public=False)
    if ip in IPV4_COMPATIBLE and int(ip) > 1:  # :: and ::1 are what they are
        return Embedded("IPv4-compatible", last32, form_is_public=False)
    return None


def _within(ip: IP, network) -> bool:
    return ip.version == network.version and ip in network


def _kind(ip: IP) -> str | None:
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global or any(_within(ip, network) for network in NOT_PUBLIC)),
    )
    return next((kind for kind, hit in checks if hit), None)


def _ip(address: str) -> IP:
    return ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id


def why_refused(address: str) -> str | None:
    """Why an IP address may not be contacted (e.g. "loopback"), or None for a public address.

    Every address that is not globally routable is refused. An IPv6 address that carries an IPv4
    address (IPv4-mapped, 6to4, Teredo, NAT64, IPv4-compatible or -translated) is judged by the IPv4
    address inside, so 2002:7f00:1:: (6to4 for 127.0.0.1) is "loopback"; a form that never reaches a
    public host (Teredo, IPv4-compatible, IPv4-translated) is "non-public" whatever it carries.
    """
    ip = _ip(address)
    inner = embedded(ip)
    if inner is None:
        return _kind(ip)
    kind = _kind(inner.ipv4)
    if kind is None and not inner.form_is_public:
        return "non-public"
    return kind  # the IPv6 form itself (e.g. 2002::/16, 64:ff9b::/96) is only the way there


def _refusal(host: str, address: str, reason: str) -> str:
    """Why `host` is refused: it resolves to `address`, not a public one (`reason`: "loopback", …)."""
    inner = embedded(_ip(address))
    values = {"host": host, "address": address, "kind": reason}
    if inner is None:
        return (
            _("%(host)s resolves to %(address)s, a %(kind)s address; webhooks only go to public addresses.")
            % values
        )
    return _(
        "%(host)s resolves to %(address)s, a %(kind)s address (%(form)s for %(ipv4)s); "
        "webhooks only go to public addresses."
    ) % {**values, "form": inner.form, "ipv4": inner.ipv4}


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6), in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(
            _("The host %(host)s could not be found.") % {"host": host}, field="url"
        ) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def check(url: str) -> Target:
    """The target to connect to for `url`; RefusedAddress if any of its addresses is not public.

    One non-public address refuses the whole host: a name resolving to both a public and a private
    address must not be a way in.
    """
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    if not settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            reason = why_refused(address)
            if reason:
                raise RefusedAddress(_refusal(host, address, reason), field="url")
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
