"""Host names as HubSpot validates them, for email domains and company domains.

HubSpot does not publish its host name rule; it is a Java service and its email rule ("the
domain part must end in a valid TLD ... after handling unicode TLDs") reads like Guava's
InternetDomainName, so specc follows that: labels of 1-63 characters made of letters, digits,
hyphens and underscores (any Unicode letters too), neither starting nor ending with a hyphen
or underscore, at most 253 characters in all, and a last label that is a real TLD.
"""

from __future__ import annotations

import re
import unicodedata

from specc.data.values.tlds import is_tld

MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63

# The common case in one match: ASCII labels, the last one alphabetic (or an `xn--` TLD).
ASCII_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+"
    r"([A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})"
)
_ASCII_LABEL = re.compile(r"[A-Za-z0-9_-]+")
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")


def host_problem(host: str) -> str | None:
    """Why `host` is not a valid host name for HubSpot, or None when it is."""
    if len(host) <= MAX_HOST_LENGTH:
        m = ASCII_HOST.fullmatch(host)
        if m is not None:
            return None if is_tld(m.group(1)) else _unknown_tld(m.group(1))
    return _diagnose(host)


def _unknown_tld(tld: str) -> str:
    return f'".{tld}" is not a top-level domain'


def _diagnose(host: str) -> str | None:
    """The slow path: Unicode labels, and the reason when the host is not valid."""
    if not host:
        return "the domain is empty"
    if _IPV4.fullmatch(host) or host.startswith("["):
        return "an IP address is not a domain name"
    if any(ch.isspace() for ch in host):
        return "a domain cannot contain spaces"
    if len(host) > MAX_HOST_LENGTH:
        return f"the domain is longer than {MAX_HOST_LENGTH} characters"
    labels = host.split(".")
    if len(labels) < 2:
        return f'"{host}" has no top-level domain (like .com)'
    for label in labels:
        reason = _label_problem(label)
        if reason is not None:
            return reason
    tld = labels[-1]
    if tld[0].isdigit():
        return _unknown_tld(tld)
    if not is_tld(tld):
        return _unknown_tld(tld)
    return None


def _label_problem(label: str) -> str | None:
    if not label:
        return "the domain has an empty part (two dots in a row, or a dot at an end)"
    if label[0] in "-_" or label[-1] in "-_":
        return f'the part "{label}" starts or ends with a hyphen or underscore'
    if label.isascii():
        if len(label) > MAX_LABEL_LENGTH:
            return f'the part "{label[:20]}…" is longer than {MAX_LABEL_LENGTH} characters'
        if _ASCII_LABEL.fullmatch(label) is None:
            bad = next(ch for ch in label if not (ch.isalnum() or ch in "-_"))
            return f'"{bad}" cannot appear in a domain'
        return None
    for ch in label:
        if ch.isascii():
            if not (ch.isalnum() or ch in "-_"):
                return f'"{ch}" cannot appear in a domain'
        elif unicodedata.category(ch)[0] not in "LMN":
            return f'"{ch}" cannot appear in a domain'
    try:
        encoded = "xn--" + label.lower().encode("punycode").decode("ascii")
    except UnicodeError:
        return f'the part "{label}" cannot be written as an internationalised domain'
    if len(encoded) > MAX_LABEL_LENGTH:
        return f'the part "{label}" is too long once encoded ({len(encoded)} characters)'
    return None
