"""Top-level domains, from the Public Suffix List snapshot that tldextract ships.

HubSpot accepts an email only when its domain ends in a TLD of IANA's list (hubspot-domain.md
§6.4a). The list changes every few months, so it is not copied here: tldextract bundles a
dated snapshot of the Public Suffix List, whose ICANN section holds every delegated TLD (the
last label of each rule). The file is read directly, without importing tldextract, which
would pull in requests; nothing is ever fetched.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from specc.errors import SpeccError

_SNAPSHOT = ".tld_set_snapshot"


def _snapshot_text() -> str:
    spec = importlib.util.find_spec("tldextract")
    if spec is None or not spec.submodule_search_locations:
        raise SpeccError(
            "the list of top-level domains is missing: the tldextract package is not installed",
            hint="reinstall specc (pip install specc) to get its dependencies",
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / _SNAPSHOT
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SpeccError(
        "the list of top-level domains is missing from the tldextract package",
        hint="reinstall tldextract",
    )


def _icann_section(text: str) -> str:
    """The lines between the ICANN section's marker comments (the whole text without them)."""
    start = text.find("\n", text.find("===BEGIN ICANN DOMAINS==="))
    end = text.find("===END ICANN DOMAINS===")
    return text[start:end] if 0 <= start < end else text


def parse_tlds(psl_text: str) -> frozenset[str]:
    """Lower-case TLDs of a Public Suffix List: Unicode ones in both Unicode and `xn--` form.

    Read on every check of an email or domain column: the last labels of the rules are
    gathered first, so the character test runs on the ~1,600 distinct ones, not on each of
    the ~7,000 rules."""
    labels: set[str] = set()
    for line in _icann_section(psl_text).splitlines():
        rule = line.strip()
        if rule and not rule.startswith("//"):
            labels.add(rule.split()[0].rsplit(".", 1)[-1].lstrip("!").lower())
    found: set[str] = set()
    for label in labels:
        if not label or any(ch.isascii() and not (ch.isalnum() or ch == "-") for ch in label):
            continue  # a wildcard or anything else that is not a label
        found.add(label)
        if not label.isascii():
            found.add("xn--" + label.encode("punycode").decode("ascii"))
    return frozenset(found)


@functools.cache
def top_level_domains() -> frozenset[str]:
    return parse_tlds(_snapshot_text())


def ascii_tlds() -> list[str]:
    """The ASCII TLDs (with the `xn--` forms), longest first, for regex alternations."""
    return sorted((t for t in top_level_domains() if t.isascii()), key=lambda t: (-len(t), t))


@functools.cache
def tld_pattern() -> str:
    """A regex (Rust and Python syntax) that fully matches exactly the ASCII TLDs, in lower
    case only, as a trie: `c(?:a(?:l|m|...)|o(?:m|op)?...)`.

    Lower case only: `(?i:...)` folds case the Unicode way in both engines, so `.se` written
    with a long s (U+017F) matched while the exact check reads it as no TLD; an engine tests
    a value's ASCII lower case separately (`accepts_ascii_case`). A trie, not a flat
    alternation: polars compiles it in about 3 ms a thread, against 6 for the flat one and 10
    for the case-folded one, with the same speed per value.
    """
    tree: dict[str, dict[str, Any]] = {}
    for tld in ascii_tlds():
        node = tree
        for ch in tld:
            node = node.setdefault(ch, {})
        node[""] = {}
    return f"(?:{_trie(tree)})"


def _trie(node: dict[str, dict[str, Any]]) -> str:
    # TLD characters are ASCII letters, digits and hyphens: none is special outside a class.
    branches = [ch + _trie(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def is_tld(label: str) -> bool:
    tlds = top_level_domains()
    if label in tlds:
        return True
    lowered = label.lower()
    return lowered in tlds
