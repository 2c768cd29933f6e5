"""The client's address: the one place that reads REMOTE_ADDR and X-Forwarded-For.

Without trusted proxies the client is the peer of the connection (REMOTE_ADDR) and every
X-Forwarded-For header is ignored, since anyone can send one. With `PODIUM_TRUSTED_PROXIES` (addresses
or networks of the reverse proxies in front of Podium), a request whose peer is one of them is read
through X-Forwarded-For from the right: each trusted proxy appended the address it saw, so the right-most
hop that is not a trusted proxy is the client. Hops left of it are whatever the client sent and never
count. A malformed hop ends the walk: the last address vouched for by a trusted proxy is the answer.

django-axes (AXES_CLIENT_IP_CALLABLE), the rate limits and anything else that keys on the client use
`client_address`; tests/base/test_clientip.py fails when other code reads the headers itself.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "0.0.0.0"  # noqa: S104 (a placeholder for a request without a readable peer, never bound)


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of `PODIUM_TRUSTED_PROXIES` entries ("127.0.0.1", "10.0.0.0/8", "::1")."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"PODIUM_TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 10.0.0.0/8)."
            ) from exc
    return tuple(networks)


def _parse(value: str) -> Address | None:
    """The address in one hop ("203.0.113.7", "[2001:db8::1]:443", "203.0.113.7:5000"), or None."""
    value = value.strip()
    if value.startswith("["):  # "[v6]" or "[v6]:port"
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # "v4:port"
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])  # no IPv6 zone ids
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:203.0.113.7 is 203.0.113.7
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent `request`, as a string (never taken from a forged header)."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return UNKNOWN
    networks = trusted_networks(tuple(getattr(settings, "PODIUM_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop never wins; the last vouched-for address does
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
