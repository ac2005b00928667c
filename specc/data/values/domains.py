"""Company domains (hubspot-domain.md §6.5, KB "Format import files").

HubSpot keeps only the domain of a URL-like value: the KB's example imports
`example.edu/home` as `example.edu`. specc takes the same to hold for a protocol, a port, a
query and a trailing dot (all are what a URL parser drops before the host), and warns, since
the value is accepted but not as written. What remains must be a host name ending in a real
TLD (hosts.py), else INVALID_DOMAIN.
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import Problem, quoted
from specc.data.values.hosts import ASCII_HOST, MAX_HOST_LENGTH, host_problem
from specc.data.values.tlds import is_tld, tld_pattern

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_PORT = re.compile(r":[0-9]{1,5}")

HINT = "write the bare domain, like example.com"


def domain_problem(value: str) -> Problem | None:
    """The problem with a trimmed, non-empty domain value, or None when HubSpot accepts it."""
    if len(value) <= MAX_HOST_LENGTH:
        m = ASCII_HOST.fullmatch(value)
        if m is not None and is_tld(m.group(1)):
            return None
    return _slow(value)


def _slow(value: str) -> Problem | None:
    if "@" in value:
        return _invalid(value, "it looks like an email address", "write the part after the @")
    host = value
    scheme = _SCHEME.match(host)
    if scheme is not None:
        host = host[scheme.end() :]
    cut = min((i for i in (host.find(c) for c in "/?#") if i >= 0), default=len(host))
    host = host[:cut]
    port = _PORT.search(host)
    if port is not None and port.end() == len(host):
        host = host[: port.start()]
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    reason = host_problem(host)
    if reason is not None:
        return _invalid(value, reason)
    if host != value:
        return Problem(
            codes.DOMAIN_TRIMMED,
            f"{quoted(value)} is not a bare domain; HubSpot keeps only {quoted(host)}",
            hint=f"write {host}",
        )
    return None


def _invalid(value: str, reason: str, hint: str = HINT) -> Problem:
    return Problem(codes.INVALID_DOMAIN, f"{quoted(value)} is not a valid domain: {reason}", hint)


def domain_pattern() -> str:
    """A fast-path regex (Rust and Python syntax): ASCII host names with a known TLD in
    lower case (any case, through `accepts_ascii_case`)."""
    label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    return f"(?:{label}\\.){{1,3}}{tld_pattern()}"
