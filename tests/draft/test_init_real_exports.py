"""`specc init` on files people really have (issue 12, item 2): the nine exports of
../shared/realworld/data, a trailing comma, a file of semicolons, HubSpot's API export layout.

A drafted spec names its data relative to itself, and its own `check` finds no error the data
does not have: a guess is made only when the sampled values fit the property.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from specc.cli import cli
from specc.pipeline import check, lint
from specc.run import Options

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld" / "data"
EXPORTS = sorted(REALWORLD.glob("*.csv")) if REALWORLD.is_dir() else []


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "data").mkdir()
    (tmp_path / "specs").mkdir()
    return tmp_path


def columns_of(spec: Path) -> dict[str, object]:
    document = yaml.safe_load(spec.read_text("utf-8"))
    (file,) = document["files"]
    return dict(file["columns"])


@pytest.mark.skipif(len(EXPORTS) != 9, reason="the real-world corpus is not beside the checkout")
@pytest.mark.parametrize("export", EXPORTS, ids=[p.stem for p in EXPORTS])
def test_init_on_a_real_export_drafts_a_spec_its_check_passes(work: Path, export: Path) -> None:
    shutil.copy(export, work / "data" / export.name)
    spec = work / "specs" / f"{export.stem}.yaml"
    done = run("init", f"data/{export.name}", "-o", str(spec.relative_to(work)))
    assert done.exit_code == 0, done.output
    text = spec.read_text("utf-8")
    assert str(work) not in text and "/tmp" not in text
    assert yaml.safe_load(text)["files"][0]["path"] == f"../data/{export.name}"
    result = check([spec], Options(cwd=work))
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors == [] and result.rows_checked > 0


@pytest.mark.skipif(len(EXPORTS) != 9, reason="the real-world corpus is not beside the checkout")
def test_hubspots_api_export_layout_maps_every_column(work: Path) -> None:
    export = REALWORLD / "02-otf-api-export.csv"
    shutil.copy(export, work / "data" / export.name)
    assert run("init", f"data/{export.name}", "-o", "specs/api.yaml").exit_code == 0
    columns = columns_of(work / "specs" / "api.yaml")
    assert columns["id"] == {"property": "hs_object_id", "id": True}
    assert columns["properties.firstname"] == "firstname"
    assert columns["properties.createdate"] == "createdate"
    # The account's own property, named by the export: mapped, its comment says so.
    assert columns["properties.technical_test___create_date"] == "technical_test___create_date"
    # The record id once, from the column that holds it.
    assert columns["properties.hs_object_id"] == {"ignore": True}
    mapped = [k for k, v in columns.items() if v != {"ignore": True}]
    assert len(mapped) == 10


def test_a_guess_needs_values_that_fit(work: Path) -> None:
    (work / "data" / "people.csv").write_text(
        "Email,Associated Company Domain,Last Modified Date\n"
        "ada@example.com,example.com,2024-01-02\n"
        "alan@example.org,example.org,2024-02-03\n",
        "utf-8",
    )
    done = run("init", "data/people.csv", "--object", "contacts", "-o", "specs/people.yaml")
    assert done.exit_code == 0, done.output
    columns = columns_of(work / "specs" / "people.yaml")
    # A domain column never becomes the company's record id (a number property) ...
    assert columns["Associated Company Domain"] == {"ignore": True}
    assert (
        "column 'Associated Company Domain': it looks like 'associatedcompanyid' (Primary "
        "Associated Company ID), but its values are not numbers; it is ignored for now"
    ) in done.stderr
    # ... and a header naming a read-only property gets no writable look-alike.
    assert columns["Last Modified Date"] == {"ignore": True}
    assert "'lastmodifieddate' (Last Modified Date), which is read-only" in done.stderr
    result = check([work / "specs" / "people.yaml"], Options(cwd=work))
    assert result.errors == 0


def test_a_trailing_comma_is_an_ignored_column_that_lints_clean(work: Path) -> None:
    (work / "leads.csv").write_text("Email,First Name,\nada@example.com,Ada,\n", "utf-8")
    done = run("init", "leads.csv")
    assert done.exit_code == 0, done.output
    assert "leads.yaml lints clean" in done.stderr
    text = (work / "leads.yaml").read_text("utf-8")
    assert '      "": {ignore: true}  # an empty header (a trailing comma in the file)\n' in text
    assert "to decide: column ''" not in done.stderr
    result = check([Path("leads.yaml")], Options(cwd=work))
    assert (result.errors, result.warnings, result.rows_checked) == (0, 0, 1)
    # The list form says the same.
    listed = text.replace(
        "    columns:\n      Email: {property: email, id: true}\n      First Name: firstname\n"
        '      "": {ignore: true}  # an empty header (a trailing comma in the file)\n',
        "    columns:\n      - {column: Email, property: email, id: true}\n"
        "      - {column: First Name, property: firstname}\n"
        '      - {column: "", ignore: true}\n',
    )
    assert listed != text
    (work / "listed.yaml").write_text(listed, "utf-8")
    assert lint([Path("listed.yaml")], Options(cwd=work)).diagnostics == []


def test_an_empty_header_is_only_ever_ignored(work: Path) -> None:
    (work / "leads.csv").write_text("Email,\nada@example.com,\n", "utf-8")
    base = "specc: 1\nname: L\nfiles:\n  - path: leads.csv\n    object: contacts\n    columns:\n"
    email = "      Email: {property: email, id: true}\n"
    (work / "mapped.yaml").write_text(base + email + '      "": firstname\n', "utf-8")
    (work / "missing.yaml").write_text(base + email, "utf-8")
    found = lint([Path("mapped.yaml"), Path("missing.yaml")], Options(cwd=work)).diagnostics
    assert [(d.code, d.spec.file if d.spec else None) for d in found] == [
        ("SPC017", "mapped.yaml"),
        ("SPC302", "missing.yaml"),
    ]
    assert found[0].hint == (
        'a column with an empty header can only be ignored: `"": {ignore: true}`'
    )
    assert found[1].hint is not None and '`"": {ignore: true}`' in found[1].hint


SEMICOLONS = "Email;First Name;Last Name\nada@example.com;Ada;Lovelace\n"


def test_init_refuses_a_file_of_semicolons_and_its_hint_converts_it(work: Path) -> None:
    (work / "leads.csv").write_text(SEMICOLONS, "utf-8")
    done = run("init", "leads.csv")
    assert done.exit_code == 2
    assert not (work / "leads.yaml").exists()
    first, hint = done.stderr.splitlines()
    assert first == "specc: error: leads.csv separates its columns with ';'; HubSpot reads commas"
    command = hint.removeprefix("  hint: convert it to commas: ").removesuffix(
        "; then run `specc init` on the copy"
    )
    assert command.endswith("< 'leads.csv' > 'leads-commas.csv'")
    # The command the hint gives works as it is written.
    subprocess.run(["sh", "-c", command], cwd=work, check=True, timeout=30, env=os.environ)
    assert (work / "leads-commas.csv").read_text("utf-8").splitlines() == [
        "Email,First Name,Last Name",
        "ada@example.com,Ada,Lovelace",
    ]
    done = run("init", "leads-commas.csv")
    assert done.exit_code == 0 and "lints clean" in done.stderr


def test_a_tab_file_gets_a_command_for_tabs(work: Path) -> None:
    (work / "leads.csv").write_text(SEMICOLONS.replace(";", "\t"), "utf-8")
    done = run("init", "leads.csv")
    assert done.exit_code == 2
    command = done.stderr.splitlines()[1].split("commas: ", 1)[1].split("; then", 1)[0]
    subprocess.run(["sh", "-c", command], cwd=work, check=True, timeout=30, env=os.environ)
    assert (work / "leads-commas.csv").read_text("utf-8").startswith("Email,First Name,")


def test_lint_says_a_file_of_semicolons_is_no_csv_hubspot_reads(work: Path) -> None:
    """Even when the spec copies the whole line as one column name, which matches."""
    (work / "leads.csv").write_text(SEMICOLONS, "utf-8")
    base = "specc: 1\nname: L\nfiles:\n  - path: leads.csv\n    object: contacts\n    columns:\n"
    (work / "whole.yaml").write_text(
        base + '      "Email;First Name;Last Name": {ignore: true}\n', "utf-8"
    )
    (work / "split.yaml").write_text(
        base + "      Email: {property: email, id: true}\n      First Name: firstname\n"
        "      Last Name: lastname\n",
        "utf-8",
    )
    found = lint([Path("whole.yaml"), Path("split.yaml")], Options(cwd=work)).diagnostics
    assert [d.code for d in found] == ["SPC307", "SPC301"]
    for d in found:
        assert d.message == (
            "leads.csv's header is a single column 'Email;First Name;Last Name': the file "
            "separates its columns with ';', HubSpot reads commas"
        )
        assert d.hint is not None and "python3 -c" in d.hint
    assert found[1].hint is not None and found[1].hint.startswith("`specc fix` writes a copy")
