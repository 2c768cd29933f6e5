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
        raise RefusedAddress(f"This URL cannot be read: {exc}.", field="url") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise RefusedAddress("A webhook URL starts with https:// or http://.", field="url")
    if not parts.hostname:
        raise RefusedAddress("A webhook URL needs a host name.", field="url")
    if parts.username or parts.password:
        raise RefusedAddress(
            "Put no user name or password in the URL; the signature proves the sender.", field="url"
        )
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE)
    return scheme, parts.hostname, port or SCHEMES[scheme], path


def why_refused(address: str) -> str | None:
    """Why an IP address may not be contacted (e.g. "loopback"), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),  # e.g. shared address space 100.64.0.0/10
    )
    return next((reason for reason, hit in checks if hit), None)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6), in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(f"The host {host} could not be found.", field="url") from exc
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
                raise RefusedAddress(
                    f"{host} resolves to {address}, a {reason} address; webhooks only go to public "
                    "addresses.",
                    field="url",
                )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
