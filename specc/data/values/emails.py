"""Email addresses, by HubSpot's published rule (hubspot-domain.md §6.4a).

"In addition to being valid according to RFC 2822, ... We don't allow the local parts to be
quoted ... The domain part must end in a valid TLD". So: an unquoted RFC 2822 dot-atom local
part (ASCII only: RFC 2822 predates internationalised addresses), `@`, and a host name ending
in an IANA TLD (hosts.py). RFC 2822 sets no length limit on the local part, so neither does
specc. email-validator would do (43 µs a call measured); this is about twenty times faster.
"""

from __future__ import annotations

import re

from specc.codes import data as codes
from specc.data.values.base import Problem, quoted
from specc.data.values.hosts import host_problem
from specc.data.values.tlds import tld_pattern

# RFC 2822 atext: letters, digits and these: ! # $ % & ' * + - / = ? ^ _ ` { | } ~
ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
_LOCAL = re.compile(rf"[{ATEXT}]+(?:\.[{ATEXT}]+)*")
_ATEXT_CHARS = frozenset("!#$%&'*+/=?^_`{|}~-")

HINT = "write one address like jane.doe@example.com"


def email_problem(value: str) -> Problem | None:
    """The problem with a trimmed, non-empty email value, or None when HubSpot accepts it."""
    at = value.rfind("@")
    if at > 0 and _LOCAL.fullmatch(value, 0, at) is not None:
        reason = host_problem(value[at + 1 :])
        if reason is None:
            return None
        return _invalid(value, reason)
    return _invalid(value, _local_reason(value, at))


def _invalid(value: str, reason: str, hint: str = HINT) -> Problem:
    return Problem(
        codes.INVALID_EMAIL, f"{quoted(value)} is not a valid email address: {reason}", hint
    )


def _local_reason(value: str, at: int) -> str:
    if at < 0:
        return "it has no @"
    if "<" in value and value.rstrip().endswith(">"):
        return "write the address alone, without a name in front of it"
    if value.lower().startswith("mailto:"):
        return 'remove the "mailto:"'
    if value.count("@") > 1 and any(sep in value for sep in ",; "):
        return "one address per cell (extra addresses go in hs_additional_emails)"
    local = value[:at]
    if not local:
        return "nothing before the @"
    if local.startswith('"'):
        return "HubSpot refuses quoted local parts"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "a dot cannot start or end the part before the @, nor follow another dot"
    for ch in local:
        if not (ch.isascii() and (ch.isalnum() or ch in _ATEXT_CHARS or ch == ".")):
            if ch.isspace():
                return "an address cannot contain spaces"
            if not ch.isascii():
                return f'"{ch}" before the @: HubSpot takes only ASCII there'
            return f'"{ch}" cannot appear before the @'
    return "it is not an address"  # unreachable: the local part matched


def email_pattern() -> str:
    """A fast-path regex (Rust and Python syntax) matching only addresses HubSpot accepts.

    Bounded so that the exact rules' lengths always hold: at most four atoms of 64 characters
    before the @, at most three labels of 63 characters before an ASCII TLD in lower case
    (any case, through `accepts_ascii_case`).
    """
    atom = f"[{ATEXT}]{{1,64}}"
    label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    return f"{atom}(?:\\.{atom}){{0,3}}@(?:{label}\\.){{1,3}}{tld_pattern()}"
