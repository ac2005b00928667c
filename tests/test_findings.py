"""specc.findings: what a spec allows is dropped, once, and errors are counted by type, once."""

from __future__ import annotations

from pathlib import Path

from specc.diagnostics import DataLocation, Diagnostic, Severity, SpecLocation
from specc.findings import Allowed, ErrorCounts, Findings, ranked
from specc.pipeline import check, load_spec
from specc.run import Options


def at(
    code: str, pointer: str, severity: Severity = Severity.ERROR, hubspot: str | None = None
) -> Diagnostic:
    return Diagnostic(
        code, severity, "m", hubspot_error=hubspot, spec=SpecLocation("s", 1, 1, pointer)
    )


def test_a_column_allows_a_code_at_the_column_and_below_it_only() -> None:
    allowed = Allowed(by_pointer={"/files/0/columns/1": frozenset({"SPC401"})})
    assert allowed.allows("SPC401", "/files/0/columns/1")
    assert allowed.allows("SPC401", "/files/0/columns/1/property")
    assert not allowed.allows("SPC402", "/files/0/columns/1")  # another code
    assert not allowed.allows("SPC401", "/files/0/columns/10")  # a column that merely starts alike
    assert not allowed.allows("SPC401", "/files/0/columns/0")
    assert not allowed.allows("SPC401", "/files/0")  # the whole file is not the column


def test_checks_allow_drops_a_code_everywhere_and_keep_keeps_the_rest() -> None:
    allowed = Allowed(everywhere=frozenset({"SPC465"}))
    found = [at("SPC465", "/files/0"), at("SPC465", ""), at("SPC401", "/files/0/columns/0")]
    found.append(Diagnostic("SPC465", Severity.WARNING, "no place"))
    assert [d.code for d in allowed.keep(found)] == ["SPC401"]


def test_allowed_reads_the_spec_as_written(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Email,Score\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "specc: 1\nname: t\nchecks:\n  allow: [SPC465]\nfiles:\n  - path: c.csv\n"
        "    object: contacts\n    columns:\n"
        "      Email: {property: email, id: true, allow: [SPC401]}\n      Score: lead_score\n",
        encoding="utf-8",
    )
    loaded = load_spec(Path("spec.yaml"), Options(cwd=tmp_path, environ={}))
    assert loaded.spec is not None, loaded.diagnostics
    email, score = loaded.spec.files[0].columns
    allowed = Allowed.of(loaded.spec)
    assert allowed.allows("SPC465", score.pointer)
    assert allowed.allows("SPC401", email.pointer)
    assert not allowed.allows("SPC401", score.pointer)


def test_errors_are_counted_by_hubspot_error_type_else_by_code() -> None:
    counts = ErrorCounts().errors(
        [
            at("SPC401", "", hubspot="INVALID_EMAIL"),
            at("SPC401", "", hubspot="INVALID_EMAIL"),
            at("SPC465", ""),  # no HubSpot error for it: counted by its code
            at("SPC214", "", Severity.WARNING, hubspot="INVALID_EMAIL"),  # warnings: not counted
        ]
    )
    assert counts == {"INVALID_EMAIL": 2, "SPC465": 1}
    counts.update(ErrorCounts({"SPC465": 2, "INVALID_DATE": 3}))  # adding two adds their counts
    assert ranked(counts) == [("INVALID_DATE", 3), ("SPC465", 3), ("INVALID_EMAIL", 2)]


def test_findings_keeps_what_the_spec_does_not_allow() -> None:
    findings = Findings(Allowed(everywhere=frozenset({"SPC465"})))
    findings.add([at("SPC465", ""), at("SPC401", "/files/0/columns/0")])
    assert [d.code for d in findings.diagnostics] == ["SPC401"]


def test_check_neither_shows_nor_counts_what_a_column_allows(tmp_path: Path) -> None:
    """Row errors a column allows are gone from the report and from its summary count."""
    (tmp_path / "c.csv").write_text(
        "Email,Score,Followers\na@x.com,abc,xyz\nb@x.com,1,2\n", encoding="utf-8"
    )

    def run(allow: str) -> tuple[list[tuple[str, int, str | None]], dict[str, int]]:
        (tmp_path / "spec.yaml").write_text(
            "specc: 1\nname: t\nfiles:\n  - path: c.csv\n    object: contacts\n    columns:\n"
            "      Email: {property: email, id: true}\n"
            f"      Score: {{property: hs_latitude{allow}}}\n      Followers: followercount\n",
            encoding="utf-8",
        )
        result = check([Path("spec.yaml")], Options(cwd=tmp_path, environ={}))
        shown = [
            (d.code, d.data.line, d.data.column)
            for d in result.diagnostics
            if isinstance(d.data, DataLocation) and d.data.line
        ]
        return shown, dict(result.errors_by_type)

    shown, counts = run("")
    # the same mistake in two number columns: the same code twice, on line 2
    assert sorted(shown, key=lambda s: str(s[2])) == [
        (shown[0][0], 2, "Followers"),
        (shown[0][0], 2, "Score"),
    ]
    assert sum(counts.values()) == 2
    code = shown[0][0]

    shown, counts = run(f", allow: [{code}]")
    assert shown == [(code, 2, "Followers")]  # the other column is still checked
    assert sum(counts.values()) == 1
