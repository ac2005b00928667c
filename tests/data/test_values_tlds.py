"""The TLD list: read from tldextract's bundled Public Suffix List snapshot, never fetched."""

from __future__ import annotations

from specc.data.values.tlds import parse_tlds, top_level_domains

MINI_PSL = """\
// header comment
// ===BEGIN ICANN DOMAINS===

// com : https://www.verisign.com
com
// uk
uk
co.uk
*.ck
!www.ck
// рф
рф
// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===
blogspot.com
herokuapp.io
// ===END PRIVATE DOMAINS===
"""


def test_parse_keeps_the_last_label_of_icann_rules() -> None:
    assert parse_tlds(MINI_PSL) == {"com", "uk", "ck", "рф", "xn--p1ai"}


def test_bundled_snapshot_has_the_tlds_hubspot_checks() -> None:
    tlds = top_level_domains()
    assert len(tlds) > 1400  # IANA delegates about 1,450
    for tld in ("com", "org", "uk", "de", "io", "museum", "рф", "xn--p1ai", "中国", "xn--fiqs8s"):
        assert tld in tlds
    for not_a_tld in ("", "===begin", "localhost", "example", "c0m", "*", "co.uk"):
        assert not_a_tld not in tlds
