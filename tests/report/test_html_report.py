"""`--format html`: one self-contained page, and what a real browser shows of it.

The browser tests drive Debian's Chromium headless through its command line (`--dump-dom`
prints the DOM after the page's script ran, `--log-net-log` records every request). Without
Chromium they skip, except under CI=true, where they fail: `.ci/run` installs it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from specc.cli import cli
from specc.diagnostics import DataLocation, Diagnostic, Result, Severity, SpecLocation
from specc.report import REPORTER_BY_NAME, ReportOptions
from specc.report.html import CHUNK_ROWS, OPEN_GROUP_LIMIT, render_html

REPO = Path(__file__).resolve().parents[2]
HOSTILE = [
    "</script><img src=x onerror=alert(1)>",
    "javascript:alert(document.domain)",
    '"><svg onload=alert(1)>',
    "<!--",
    "&amp;lt; <style>*{display:none}</style>",
]


# --- reading a page ------------------------------------------------------------------------


class Page(HTMLParser):
    """The elements of a page, and its findings as (error type, line, value) per table row.

    Works on the page as specc writes it (cells without end tags) and as Chromium dumps it.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.findings: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self._types: list[str | None] = []  # the data-error-type of each open <details>
        self._cells: list[str] | None = None
        self._in_row_table = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "details":
            self._types.append(dict(attrs).get("data-error-type"))
        elif tag == "table":
            self._in_row_table = "rows" in (dict(attrs).get("class") or "").split()
        elif tag == "tr":
            self._end_row()
            self._cells = [] if self._in_row_table else None
        elif tag == "td" and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tbody", "table", "tr"):
            self._end_row()
        if tag == "details" and self._types:
            self._types.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cells:
            self._cells[-1] += data

    def _end_row(self) -> None:
        if self._cells and len(self._cells) >= 3:
            error_type = next((t for t in reversed(self._types) if t), "?")
            self.findings.append((error_type, self._cells[0], self._cells[2]))
        self._cells = None

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def assert_inert(page: Page) -> None:
    """No markup from data: one script (ours), no element that loads or runs anything."""
    assert len(page.tags("script")) == 1
    assert not {"img", "svg", "iframe", "object", "embed", "link", "form", "base"} & {
        tag for tag, _ in page.elements
    }
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, attrs)


def expected_findings(document: dict[str, object]) -> list[tuple[str, str, str]]:
    """(error type, line, value) of every row finding of a `--format json` document."""
    found = []
    for d in document["diagnostics"]:  # type: ignore[attr-defined]
        data = d["data"]
        if data and data["line"] is not None:
            found.append((d["hubspot_error"] or d["code"], str(data["line"]), data["value"] or ""))
    return found


# --- runs ----------------------------------------------------------------------------------

PLANTED_SPEC = """\
specc: 1
name: planted
date_format: DAY_MONTH_YEAR
files:
  - path: planted.csv
    object: contacts
    columns:
      Name: firstname
      Email: {property: email, id: true}
      Lifecycle: lifecyclestage
      "<i>Signed</i>": closedate
      "javascript:alert(2)": {property: "<img src=y onerror=alert(3)>"}
"""


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A spec and a data file with errors of several types, hostile values among them."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    rows = [["Name", "Email", "Lifecycle", "<i>Signed</i>", "javascript:alert(2)"]]
    for i in range(40):
        bad = HOSTILE[i % len(HOSTILE)]
        rows.append(
            [
                bad if i % 3 == 0 else f"N{i}",
                bad if i % 2 == 0 else f"u{i}@example.com",
                "customerx" if i % 5 == 0 else "lead",
                "31/02/2026" if i % 3 == 1 else "01/02/2026",
                bad,
            ]
        )
    rows.append(rows[2])  # a repeated email
    with (tmp_path / "planted.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    (tmp_path / "planted.yaml").write_text(PLANTED_SPEC, encoding="utf-8")
    return tmp_path / "planted.yaml"


def specc(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


def hand_made(findings: int, *, columns: int = 4, types: int = 3) -> Result:
    """A Result of `findings` row errors, spread over columns and error types."""
    result = Result(files=1, rows_checked=findings, sources={"spec.yaml": "specc: 1\n"})
    names = ["INVALID_EMAIL", "COULD_NOT_PARSE_DATE", "INVALID_ENUMERATION_OPTION"]
    for i in range(findings):
        line = 2 + i // columns
        result.diagnostics.append(
            Diagnostic(
                "SPC401",
                Severity.ERROR,
                f'"value {i}" is not valid for this column',
                hint="write it as HubSpot reads it",
                hubspot_error=names[i % types],
                data=DataLocation("big.csv", line, line - 1, f"Column {i % columns}", f"v{i}"),
            )
        )
    result.errors_by_type.update({n: findings // types for n in names[:types]})
    return result


# --- the page ------------------------------------------------------------------------------


def test_lint_and_check_print_one_html_page(planted: Path) -> None:
    assert REPORTER_BY_NAME["html"] is render_html
    code, out = specc("check", str(planted.name), "--format", "html")
    assert code == 1
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert out.count("<html") == 1
    code, out = specc("lint", str(planted.name), "--format", "html")
    assert code == 1  # a property name with spaces is an error: HubSpot maps internal names
    page = Page(out)
    assert "specc lint" in page.text and "rows checked" not in page.text
    assert not page.findings


def test_page_loads_nothing_and_allows_only_its_own_script(planted: Path) -> None:
    _, out = specc("check", planted.name, "--format", "html")
    page = Page(out)
    (csp,) = [
        a["content"] for a in page.tags("meta") if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    # The script runs by its hash: the hash in the policy is of the script the page holds.
    script = re.search(r"<script>(.*?)</script>", out, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'"
    # Nothing to fetch: no URL, no stylesheet import, no font.
    assert not re.search(r"https?:|//[a-z]|url\(|@import|@font-face", out, re.I)


def test_values_names_and_messages_from_data_and_spec_are_text(planted: Path) -> None:
    _, out = specc("check", planted.name, "--format", "html")
    page = Page(out)
    assert_inert(page)
    for value in HOSTILE:
        assert value in page.text  # shown as it is, as text
    assert "<i>Signed</i>" in page.text and "javascript:alert(2)" in page.text
    assert "<img src=y onerror=alert(3)>" in page.text  # the property name in the spec line


def test_every_row_finding_is_shown_with_its_error_type_line_and_value(planted: Path) -> None:
    _, doc = specc("check", planted.name, "--format", "json")
    _, out = specc("check", planted.name, "--format", "html")
    expected = expected_findings(json.loads(doc))
    assert len(expected) > 40 and len({e[0] for e in expected}) >= 4
    assert sorted(Page(out).findings) == sorted(expected)


def test_findings_are_grouped_by_file_column_and_error_type(planted: Path) -> None:
    _, out = specc("check", planted.name, "--format", "html")
    summaries = re.findall(r'<details class="group (file|column|type)"', out)
    assert summaries[0] == "file"
    columns = re.findall(r"column <strong>(.*?)</strong> <span class=\"count\">(\d+)", out)
    assert {name for name, _ in columns} == {"Email", "Lifecycle", "&lt;i&gt;Signed&lt;/i&gt;"}
    email = out[out.index("column <strong>Email") : out.index("column <strong>&lt;i&gt;")]
    assert 'data-error-type="INVALID_EMAIL"' in email
    assert 'data-error-type="DUPLICATE_ALTERNATE_ID"' in email
    # A hint shared by a group is shown once, not once per row.
    assert out.count("hint: write one address like jane.doe@example.com") == 1


def test_a_row_hint_unlike_its_groups_is_shown_at_the_row() -> None:
    result = hand_made(3, columns=1, types=1)
    odd = result.diagnostics[1]
    result.diagnostics[1] = Diagnostic(
        odd.code, odd.severity, odd.message, "did you mean 'lead'?", odd.hubspot_error,
        data=odd.data,
    )  # fmt: skip
    out = render_html(result, ReportOptions(rows=True))
    assert out.count("hint: write it as HubSpot reads it") == 1
    row = next(line for line in out.splitlines() if "value 1" in line)
    assert "hint: did you mean &#39;lead&#39;?" in row


def test_summary_counts_and_verdict(mixed_result: Result) -> None:
    out = render_html(mixed_result, ReportOptions(rows=True))
    assert "specc check not ok" in " ".join(Page(out).text.split())
    cards = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", out))
    assert cards == {
        "errors": "2",
        "warnings": "1",
        "notes": "1",
        "data files": "1",
        "rows checked": "1,000",
    }
    ok = render_html(Result(files=1, rows_checked=5), ReportOptions(rows=True))
    assert "specc check ok" in " ".join(Page(ok).text.split())


def test_spec_problems_show_their_place_and_source_line(mixed_result: Result) -> None:
    out = render_html(mixed_result, ReportOptions())
    assert '<span class="where">imports/leads.yaml:7:25</span>' in out
    assert (
        '<pre class="source"><span class="ln">7 | </span>      Email: {property: '
        "<mark>emial</mark>}</pre>"
    ) in out
    assert "hint: did you mean &#34;email&#34;?" in out
    # The whole-file note and the placeless error are listed too.
    assert "the file could not be confirmed" in out and "something without a place" in out


def test_long_spec_lines_are_shown_as_a_window_around_the_column() -> None:
    line = "x: " + "a" * 5000 + " TARGET " + "b" * 5000
    column = line.index("TARGET") + 1
    result = Result(sources={"s.yaml": line + "\n"})
    result.diagnostics.append(
        Diagnostic("SPC001", Severity.ERROR, "bad", spec=SpecLocation("s.yaml", 1, column))
    )
    out = render_html(result, ReportOptions())
    source = re.search(r'<pre class="source">(.*?)</pre>', out)
    assert source is not None and "<mark>TARGET</mark>" in source.group(1)
    assert len(source.group(1)) < 400


def test_with_max_errors_the_page_says_how_many_more_there_are(planted: Path) -> None:
    _, doc = specc("check", planted.name, "--format", "json")
    document = json.loads(doc)
    # The spec's own errors (a property name with spaces) are always shown, past the limit too.
    spec_errors = sum(
        1 for d in document["diagnostics"] if d["severity"] == "error" and d["data"] is None
    )
    all_errors = document["summary"]["errors"] - spec_errors
    code, out = specc("check", planted.name, "--format", "html", "--max-errors", "5")
    assert code == 1
    page = Page(out)
    assert len(page.findings) == 5
    shown_errors = sum(1 for f in page.findings if f[0] != "INVALID_ENUMERATION_OPTION")
    text = " ".join(page.text.split())
    assert f"{all_errors - shown_errors} more errors not shown" in text
    assert "more problems in planted.csv not shown" in text  # the file's own note (SPC480)
    by_type = re.search(r'<table class="by-type">.*?</table>', out, re.S)
    assert by_type is not None  # all 20 bad emails are counted, though few are listed
    assert '<span class="etype">INVALID_EMAIL</span></td><td class="n">20</td>' in by_type.group(0)


def test_large_groups_start_closed_in_chunks_and_small_ones_open() -> None:
    result = hand_made(CHUNK_ROWS * 2 + 7, columns=1, types=1)
    small = hand_made(OPEN_GROUP_LIMIT, columns=1, types=1)
    for d in small.diagnostics:
        assert d.data is not None
        result.diagnostics.append(
            Diagnostic(
                d.code, d.severity, d.message, d.hint, "INVALID_PHONE_NUMBER",
                data=DataLocation("small.csv", d.data.line, d.data.row, "Phone", d.data.value),
            )
        )  # fmt: skip
    out = render_html(result, ReportOptions(rows=True))
    big_group = re.search(
        r'<details class="group type" data-error-type="INVALID_EMAIL"( open)?', out
    )
    small_group = re.search(
        r'<details class="group type" data-error-type="INVALID_PHONE[^>]*>', out
    )
    assert big_group is not None and big_group.group(1) is None
    assert small_group is not None and small_group.group(0).endswith(" open>")
    assert out.count('<details class="chunk">') == 3
    assert f"lines {2 + 2 * CHUNK_ROWS}\N{EN DASH}{2 + 2 * CHUNK_ROWS + 6}" in out
    assert len(Page(out).findings) == CHUNK_ROWS * 2 + 7 + OPEN_GROUP_LIMIT


# --- in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Chromium is not installed (apt-get install chromium; .ci/run does it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def browse(
    chromium: str, page: Path, tmp: Path, *extra: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Chromium headless on `page`, with no profile, no background traffic and no DNS."""
    profile = tmp / "profile"
    shutil.rmtree(profile, ignore_errors=True)
    command = [
        chromium,
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *extra,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def page_requests(net_log: Path) -> list[str]:
    """The URLs a page asked for. Chromium's own traffic (update checks) has no origin."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start
        and "url" in e.get("params", {})
        and e["params"].get("initiator") != "not an origin"
    ]


def test_browser_shows_every_finding_runs_only_our_script_and_fetches_nothing(
    chromium: str, planted: Path, tmp_path: Path
) -> None:
    _, doc = specc("check", planted.name, "--format", "json")
    _, out = specc("check", planted.name, "--format", "html")
    report = tmp_path / "report.html"
    report.write_text(out, encoding="utf-8")
    net_log = tmp_path / "net.json"
    dumped = browse(chromium, report, tmp_path, f"--log-net-log={net_log}", "--dump-dom").stdout
    page = Page(dumped)
    assert sorted(page.findings) == sorted(expected_findings(json.loads(doc)))
    assert_inert(page)  # after the script ran: nothing from the data became an element
    for value in HOSTILE:
        assert value in page.text
    # The script ran (the CSP hash matched): it shows the open/close buttons it drives.
    buttons = page.tags("button")
    assert len(buttons) == 2 and all("hidden" not in b for b in buttons)
    assert page_requests(net_log) == []

    # The same look-out sees a page that does fetch: the empty list above means something.
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><img src="http://probe.invalid/x.png">', encoding="utf-8")
    browse(chromium, probe, tmp_path, f"--log-net-log={net_log}", "--dump-dom")
    assert page_requests(net_log) == ["http://probe.invalid/x.png"]


def test_a_page_of_100000_findings_renders_in_seconds(chromium: str, tmp_path: Path) -> None:
    result = hand_made(100_000, columns=6, types=3)
    start = time.perf_counter()
    out = render_html(result, ReportOptions(rows=True))
    made = time.perf_counter() - start
    report = tmp_path / "big.html"
    report.write_text(out, encoding="utf-8")
    start = time.perf_counter()
    dumped = browse(chromium, report, tmp_path, "--dump-dom").stdout
    shown = time.perf_counter() - start
    print(
        f"100,000 findings: page {len(out) / 1e6:.1f} MB made in {made:.2f} s, "
        f"Chromium --dump-dom {shown:.2f} s"
    )
    assert shown < 20
    # The whole page was read: the last finding is in the DOM, and its script ran.
    assert "<td>v99999</td>" in dumped
    assert '<button type="button" data-open="1">' in dumped
