"""JSON pointers (RFC 6901), the one way specc names a place in a spec, a request or a snapshot.

A reference token escapes `~` as `~0` and `/` as `~1`, so a header named `a/b` stays one token.
"""

from __future__ import annotations

from collections.abc import Iterable


def escape_token(token: str) -> str:
    """One reference token: `~` -> `~0`, `/` -> `~1` (in that order, so `~1` stays literal)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """The text of one reference token: `~1` -> `/`, `~0` -> `~`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, token: str | int) -> str:
    """`pointer` extended by one key or index."""
    return f"{pointer}/{escape_token(str(token))}"


def pointer_of(path: Iterable[str | int]) -> str:
    """A JSON pointer from a sequence of keys and indexes (jsonschema's `absolute_path`)."""
    return "".join(f"/{escape_token(str(part))}" for part in path)
