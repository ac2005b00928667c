"""Where and how to reach HubSpot: base URL, API version, token and timeouts.

Nothing here imports httpx, so `specc emit` (which needs only the URLs) stays light. The
token is held in a `Secret` whose repr and str never show it: it must not land in output,
logs, exceptions or emitted scripts.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from specc.errors import SpeccError, UsageError
from specc.secrets import TOKEN_VARIABLE

BASE_URL_VARIABLE = "SPECC_BASE_URL"
DEFAULT_BASE_URL = "https://api.hubapi.com"
API_VERSIONS = ("v3", "2026-03", "2026-09")
DEFAULT_API_VERSION = "v3"
# Printable ASCII without spaces: what a bearer token (RFC 6750 b64token and more) can hold.
TOKEN_SHAPE = re.compile(r"^[\x21-\x7e]+$")


class Secret:
    """A value that never shows itself: repr, str and format all print a placeholder."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. The upload's read timeout is long: HubSpot answers only once it has the file.

    `read` and `upload_read` bound each wait for the next bytes; `answer` bounds one answer
    from its first byte awaited to its last, so a server that trickles a byte a second cannot
    hold specc forever (the upload's answer gets `upload_read + answer`).
    """

    connect: float = 10.0
    read: float = 60.0
    upload_read: float = 300.0
    write: float = 60.0
    answer: float = 120.0


@dataclass(frozen=True)
class Connection:
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    token: Secret | None = field(default=None, compare=False)
    timeouts: Timeouts = field(default_factory=Timeouts)

    # --- paths -------------------------------------------------------------------------
    # v3 is the legacy semantic path; the dated versions share the request and response
    # shapes (hubspot-domain.md §1.2), so only the prefix changes.

    @property
    def imports_path(self) -> str:
        if self.api_version == "v3":
            return "/crm/v3/imports"
        return f"/crm/imports/{self.api_version}"

    def properties_path(self, object_type: str) -> str:
        if self.api_version == "v3":
            return f"/crm/v3/properties/{object_type}"
        return f"/crm/properties/{self.api_version}/{object_type}"

    @property
    def schemas_path(self) -> str:
        # The docs use /crm/v3/schemas for every version; no dated schemas path is published.
        return "/crm/v3/schemas"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    @property
    def imports_url(self) -> str:
        return self.url(self.imports_path)

    def require_token(self) -> Secret:
        if self.token is None:
            raise SpeccError(
                f"no HubSpot access token: set the environment variable {TOKEN_VARIABLE}",
                hint=(
                    "use a private app or service key token with the crm.import scope; specc "
                    "reads it only from the environment so it never lands in shell history"
                ),
            )
        return self.token


def connection_from(
    environ: Mapping[str, str],
    *,
    base_url: str | None = None,
    api_version: str | None = None,
    timeouts: Timeouts | None = None,
) -> Connection:
    """The connection the command line and environment describe (the token may be absent)."""
    url = (base_url or environ.get(BASE_URL_VARIABLE, "").strip() or DEFAULT_BASE_URL).rstrip("/")
    check_base_url(url)
    version = api_version or DEFAULT_API_VERSION
    if version not in API_VERSIONS:
        raise UsageError(
            f"unknown API version {version!r}", hint=f"choose one of {', '.join(API_VERSIONS)}"
        )
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if token and not TOKEN_SHAPE.match(token):
        # httpx would reject the header and quote it in its message: stop before that.
        raise SpeccError(
            f"{TOKEN_VARIABLE} holds characters an access token cannot have "
            "(spaces, line breaks or non-ASCII)",
            hint="copy the token again from HubSpot's settings, without quotes or 'Bearer '",
        )
    return Connection(
        base_url=url,
        api_version=version,
        token=Secret(token) if token else None,
        timeouts=timeouts or Timeouts(),
    )


def check_base_url(url: str) -> None:
    """Refuse URLs that cannot work, and plain http anywhere but loopback.

    Plain http would send the bearer token in clear text; a local sandbox is the one place
    where that is harmless.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url must be an http(s) URL, got {url!r}")
    api_path = re.search(r"/crm(?:/|$)", parts.path)
    if api_path is not None:
        # specc adds /crm/v3/imports (or a dated path) itself: one more would be a 404 later.
        root = url[: url.index(parts.path) + api_path.start()]
        hint = f"give the server's root, e.g. {DEFAULT_BASE_URL}"
        if root != DEFAULT_BASE_URL:
            hint = f"give the server's root: {root} (HubSpot's is {DEFAULT_BASE_URL})"
        raise UsageError(
            f"the base URL {url!r} names an API path; specc adds /crm/... to it itself",
            hint=hint,
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"refusing plain http to {parts.hostname}: the access token would travel unencrypted",
            hint="use https, or http only for a server on this machine (127.0.0.1, localhost)",
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
