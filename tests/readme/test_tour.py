"""The README's tour runs as shown (issue 12, item 1): every console block from a fresh copy
of docs/tour, its import against a real `specc sandbox`, its outputs compared line by line
(ports, import ids, dates and the passing states a poll happens to see normalised, nothing
else). tools/regen_tour.py rewrites them."""

from __future__ import annotations

import difflib
import json
from dataclasses import replace

import pytest
from tour_kit import (
    README,
    TOUR,
    blocks,
    normalise,
    run_step,
    shown_output,
    steps,
    tour_run,
    tour_section,
)

from specc.cli.hubspot_commands import sandbox_command
from specc.hubspot.catalog_pull import OWNERS_SCOPE

pytestmark = pytest.mark.xdist_group("readme-tour")


@pytest.fixture(scope="module")
def section() -> tuple[str, int]:
    return tour_section(README.read_text("utf-8"))


def test_the_tour_starts_in_docs_tour(section: tuple[str, int]) -> None:
    text, _ = section
    assert "$ cd docs/tour\n" in text
    first = steps(blocks(*section))[0]
    assert first.command == "cd docs/tour", "the tour's first command says where it runs"


def test_every_console_block_prints_what_the_readme_shows(section: tuple[str, int]) -> None:
    tour_steps = steps(blocks(*section))
    assert any(s.command.startswith("specc import") for s in tour_steps)
    differences = []
    with tour_run() as run:
        for step in tour_steps:
            actual = normalise(run_step(run, step))
            expected = normalise(shown_output(step))
            if actual != expected:
                diff = difflib.unified_diff(
                    expected.splitlines(), actual.splitlines(), "README", "specc", lineterm=""
                )
                differences.append(f"README.md:{step.line}: $ {step.command}\n" + "\n".join(diff))
    assert not differences, "\n\n".join(differences) + "\n\n(run tools/regen_tour.py)"


def test_every_yaml_block_is_a_file_of_the_tour(section: tuple[str, int]) -> None:
    files = {p.read_text("utf-8"): p.name for p in TOUR.glob("*.yaml")}
    shown = [b for b in blocks(*section) if b.language == "yaml"]
    assert shown
    for block in shown:
        text = "".join(f"{line}\n" for line in block.lines)
        assert text in files, f"README line {block.line}: the yaml shown is no file of docs/tour"


def test_the_json_block_is_a_diagnostic_of_the_check_before_it(section: tuple[str, int]) -> None:
    found = blocks(*section)
    (shown,) = [b for b in found if b.language == "json"]
    before = [s for s in steps(found) if s.line < shown.line]
    check = [s for s in before if s.command.startswith("specc check")][-1]
    with tour_run() as run:
        document = json.loads(
            run_step(run, replace(check, command=check.command + " --format json"))
        )
    assert json.loads("\n".join(shown.lines)) in document["diagnostics"]


def test_the_readme_names_every_sandbox_option_and_the_scopes_catalog_pull_needs() -> None:
    readme = README.read_text("utf-8")
    for option in sandbox_command.params:
        for name in option.opts:
            if name.startswith("--") and name != "--debug":
                assert name in readme, f"`specc sandbox {name}` is not in the README"
    scopes = ("crm.import", "crm.objects.contacts.read", "crm.schemas.custom.read", OWNERS_SCOPE)
    for scope in scopes:
        assert f"`{scope}`" in readme, scope
