"""What a newcomer meets in the first hour (issue 12, item 6): each mistake gets a message that
says what to do. Run through the CLI, as a user would see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.cli import cli
from specc.spec.loader import parse_spec_text

SPEC = """\
specc: 1
name: {name}
date_format: {date_format}
files:
  - path: {path}
    object: contacts
    columns:
      Email: {{property: email, id: true}}
"""


def spec_text(
    name: str = "Leads", date_format: str = "DAY_MONTH_YEAR", path: str = "contacts.csv"
) -> str:
    return SPEC.format(name=name, date_format=date_format, path=path)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "contacts.csv").write_text("Email\nada@example.com\n", "utf-8")
    (tmp_path / "contacts.yaml").write_text(spec_text(), "utf-8")
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_a_data_file_given_as_the_spec_is_named_a_data_file(work: Path) -> None:
    done = run("check", "contacts.csv")
    assert done.exit_code == 1
    assert done.stdout.startswith(
        "contacts.csv:1:1: error[SPC008] contacts.csv is a data file, not a spec\n"
        "  hint: run `specc init contacts.csv` to draft a spec for it\n"
    )


def test_a_missing_spec_gets_the_near_name(work: Path) -> None:
    done = run("lint", "contact.yaml")
    assert done.exit_code == 2
    assert done.stderr == (
        "specc: error: contact.yaml: no such file\n  hint: did you mean 'contacts.yaml'?\n"
    )
    # A name no file is close to gets no guess.
    assert "hint" not in run("lint", "orders.yaml").stderr


def test_a_missing_data_file_gets_the_near_name(work: Path) -> None:
    (work / "typo.yaml").write_text(spec_text(path="contact.csv"), "utf-8")
    done = run("lint", "typo.yaml")
    assert done.exit_code == 1
    assert "error[SPC300] data file contact.csv not found" in done.stdout
    assert "  hint: did you mean 'contacts.csv'? (paths are relative to the spec file)\n" in (
        done.stdout
    )
    done = run("init", "contact.csv")
    assert done.exit_code == 2
    assert done.stderr == (
        "specc: error: contact.csv: does not exist\n  hint: did you mean 'contacts.csv'?\n"
    )


def test_one_missing_spec_among_several_does_not_hide_the_others(work: Path) -> None:
    (work / "bad.yaml").write_text(spec_text(date_format="SOMEDAY"), "utf-8")
    done = run("lint", "contacts.yaml", "missing.yaml", "bad.yaml")
    assert done.exit_code == 2  # a file it could not read: specc could not do all its job
    assert done.stderr == "specc: error: missing.yaml: no such file\n"
    assert "bad.yaml:3:14: error[SPC014]" in done.stdout
    assert done.stdout.endswith("1 error in 2 specs (1 data file)\n")
    done = run("check", "missing.yaml", "contacts.yaml", "--format", "json")
    assert done.exit_code == 2
    document = json.loads(done.stdout)
    assert document["ok"] is True and document["summary"]["rows_checked"] == 1


def test_a_value_with_a_colon_gets_a_quote_it_hint(work: Path) -> None:
    (work / "march.yaml").write_text(spec_text(name="Import: March"), "utf-8")
    done = run("lint", "march.yaml")
    assert done.exit_code == 1
    assert "march.yaml:2:13: error[SPC001] invalid YAML: mapping values are not allowed" in (
        done.stdout
    )
    assert """  hint: a value holding ': ' must be quoted: name: "Import: March"\n""" in done.stdout


def test_a_date_pattern_gets_its_hubspot_name(work: Path) -> None:
    (work / "dates.yaml").write_text(spec_text(date_format="DD/MM/YYYY"), "utf-8")
    done = run("lint", "dates.yaml")
    assert done.exit_code == 1
    assert "error[SPC014] date_format 'DD/MM/YYYY' is not one of" in done.stdout
    assert (
        "  hint: HubSpot names the order, not the pattern: date_format: DAY_MONTH_YEAR\n"
        in done.stdout
    )
    (work / "dates.yaml").write_text(spec_text(date_format='"%Y-%d-%m"'), "utf-8")
    assert "HubSpot reads no YEAR_DAY_MONTH dates" in run("lint", "dates.yaml").stdout


def test_a_broken_json_spec_is_invalid_json_not_yaml(work: Path) -> None:
    (work / "spec.json").write_text('{"specc": 1,\n "name": "x",,\n}\n', "utf-8")
    done = run("lint", "spec.json")
    assert done.exit_code == 1
    assert done.stdout.startswith(
        "spec.json:2:14: error[SPC001] invalid JSON: expecting property name enclosed in "
        "double quotes\n"
    )
    assert "YAML" not in done.stdout


def test_explain_a_hubspot_error_lists_the_codes_predicting_it() -> None:
    done = run("explain", "INVALID_EMAIL")
    assert done.exit_code == 0
    assert done.stdout.splitlines()[:6] == [
        "INVALID_EMAIL: an error HubSpot reports for an import's rows or files",
        "meaning: not a valid email address",
        "",
        "specc predicts it before the import with:",
        "  SPC401  error    not a valid email address",
        "",
    ]
    # Lower case works as for codes; an error no check predicts says how it is reported.
    assert run("explain", "could_not_find_business_unit").stdout.endswith(
        "report it as SPC520 (a row) or SPC521 (a file).\n"
    )
    assert run("explain", "NOT_AN_ERROR_TYPE").exit_code == 2


def test_rejects_says_where_it_wrote(work: Path) -> None:
    (work / "contacts.csv").write_text("Email\nada@example\n", "utf-8")
    done = run("check", "contacts.yaml", "--rejects", "fix")
    assert done.exit_code == 1
    assert done.stderr == (
        "specc: wrote the rows that fail into fix/: one file per data file, with its name and "
        "header\n"
    )
    assert (work / "fix" / "contacts.csv").read_text("utf-8").splitlines() == [
        "Email",
        "ada@example",
    ]


def test_the_summary_counts_the_errors_past_max_errors(work: Path) -> None:
    rows = "".join(f"bad{i}@example\n" for i in range(12))
    (work / "contacts.csv").write_text("Email\n" + rows, "utf-8")
    done = run("check", "contacts.yaml", "--max-errors", "5")
    assert done.stdout.count("error[SPC401]") == 5
    assert done.stdout.endswith(
        "row errors by type: INVALID_EMAIL 12\n"
        "12 errors (7 not shown), 1 note in 1 spec (1 data file, 12 rows checked)\n"
    )
    one = run("check", "contacts.yaml", "--rows", "1")
    assert one.stdout.endswith("1 error in 1 spec (1 data file, 1 row checked)\n")


@pytest.mark.parametrize(
    "url", ["https://api.hubapi.com/crm/v3/imports", "https://api.hubapi.com/crm/v3/imports/"]
)
def test_a_base_url_naming_the_imports_path_says_to_give_the_root(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-test")
    done = run("status", "1", "--base-url", url)
    assert done.exit_code == 2
    assert done.stderr == (
        "specc: error: the base URL 'https://api.hubapi.com/crm/v3/imports' names an API path; "
        "specc adds /crm/... to it itself\n"
        "  hint: give the server's root, e.g. https://api.hubapi.com\n"
    )
    monkeypatch.setenv("SPECC_BASE_URL", "http://127.0.0.1:9/crm/imports/2026-03")
    assert "hint: give the server's root: http://127.0.0.1:9 (HubSpot's is" in run("imports").stderr


def test_init_counts_what_is_left_in_the_singular(work: Path) -> None:
    from specc.draft import lint_written
    from specc.report.drafts import lint_verdict

    (work / "one.yaml").write_text(
        spec_text(date_format="SOMEDAY").replace("email, id: true", "emial, id: true"), "utf-8"
    )
    assert lint_verdict(Path("one.yaml"), lint_written(Path("one.yaml"))) == (
        "one.yaml does not lint clean yet (1 error, 0 warnings): run `specc lint one.yaml` "
        "for the details"
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_json_spec_text_gives_data_or_diagnostics_in_json_words(text: str) -> None:
    doc = parse_spec_text(text, "fuzz.json", "json")
    assert doc.data is not None or doc.diagnostics
    for d in doc.diagnostics:
        assert d.spec is not None and d.spec.line >= 1 and d.spec.column >= 1
        assert "invalid YAML" not in d.message


def test_counts_of_one_are_singular(work: Path) -> None:
    """ "1 more column", "1 more problem": never "1 more columns"."""
    header = ",".join(["Email", *(f"Extra {n}" for n in range(11))])
    (work / "contacts.csv").write_text(f"{header}\n" + "ada@example\n" * 3, "utf-8")
    done = run("check", "contacts.yaml", "--max-errors", "2")
    assert "1 more column of contacts.csv is not in the spec's columns" in done.stdout
    (work / "contacts.csv").write_text("Email\nada@example\nbob@example\neve@example\n", "utf-8")
    done = run("check", "contacts.yaml", "--max-errors", "2")
    assert "1 more problem in contacts.csv not shown (1 error)" in done.stdout
    assert "1 more problems" not in done.stdout
