"""The account's data in value checks: the stage-of-the-row's-pipeline rule (SPC436), the
notes about what a snapshot lacks (SPC442) or what specc leaves alone (SPC439), and the rule
types HubSpot documents."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pytest

from specc.catalog.model import Pipeline, PipelineStage, ValidationRule
from specc.catalog.snapshot import parse_snapshot
from specc.data.values.rows_account import StageRule, stage_rules
from specc.data.values.validations import EVALUATED, RELATIVE, rule_check, unevaluated
from specc.pipeline import lint
from specc.run import Options

SALES = Pipeline(
    "default",
    "Sales Pipeline",
    (
        PipelineStage("appointmentscheduled", "Appointment Scheduled"),
        PipelineStage("closedwon", "Closed Won"),
    ),
)
RENEWALS = Pipeline(
    "812723471",
    "Renewals",
    (
        PipelineStage("1234912", "Negotiation"),
        PipelineStage("1234914", "Closed Won"),
        PipelineStage("1234915", "Lost touch", archived=True),
    ),
)
PIPELINES = (SALES, RENEWALS)


def run(rule: StageRule, rows: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """(row, stage cell, code) of the rows that break the rule; rows are (pipeline, stage)."""
    columns = [pa.array([s for _, s in rows]), pa.array([p for p, _ in rows])]
    return [(i, text, problem.code.code) for i, text, problem in rule.check(columns)]


def test_a_stage_must_be_a_stage_of_the_rows_pipeline() -> None:
    rule = StageRule(stage=0, pipeline=1, object_name="deals", pipelines=PIPELINES, default=SALES)
    rows = [
        ("default", "closedwon"),  # fine
        ("Renewals", "Negotiation"),  # fine, by labels
        ("812723471", "Closed Won"),  # a label both pipelines have: fine in either
        ("default", "Negotiation"),  # Renewals' stage in the sales pipeline
        ("Sales Pipeline", "1234912"),  # the same, by id
        ("Renewals", "appointmentscheduled"),  # the sales pipeline's stage in Renewals
        ("", "Negotiation"),  # no pipeline: the default one
        ("nowhere", "Negotiation"),  # the pipeline's own check reports that pipeline
        ("default", "Closed Lost"),  # no such stage: the stage's own check reports it
        ("default", ""),  # blank stage: nothing to judge
        ("renewals", "negotiation"),  # letter case: warnings of their own checks
        ("Renewals", "1234915"),  # an archived stage: not a stage at all
    ]
    assert run(rule, rows) == [
        (3, "Negotiation", "SPC436"),
        (4, "1234912", "SPC436"),
        (5, "appointmentscheduled", "SPC436"),
        (6, "Negotiation", "SPC436"),
    ]
    [problem] = [p for _, _, p in rule.check([pa.array(["Negotiation"]), pa.array(["default"])])]
    assert 'the row\'s pipeline "default"' in problem.message
    assert "closedwon (Closed Won)" in (problem.hint or "")


def test_without_a_pipeline_column_the_default_pipeline_decides() -> None:
    rule = StageRule(
        stage=0, pipeline=None, object_name="deals", pipelines=PIPELINES, default=SALES
    )
    columns = [pa.array(["closedwon", "1234912", "Closed Won", ""])]
    found = [(i, p.code.code) for i, _, p in rule.check(columns)]
    assert found == [(1, "SPC436")]


def test_one_pass_per_distinct_pair() -> None:
    rule = StageRule(stage=0, pipeline=1, object_name="deals", pipelines=PIPELINES, default=SALES)
    rows = [("default", "Negotiation")] * 5000 + [("Renewals", "Negotiation")] * 5000
    assert len(run(rule, rows)) == 5000
    assert list(rule.seen) == [("default", "Negotiation")]  # judged once, not 5,000 times


def _catalog(text: str):  # type: ignore[no-untyped-def]
    catalog, found = parse_snapshot(text, "c.json")
    assert catalog is not None, found
    return catalog


def test_stage_rules_are_planned_only_with_known_pipelines(tmp_path: Path) -> None:
    deals = {"objectTypeId": "0-3", "name": "deals", "properties": []}
    spec_text = """\
specc: 1
name: deals
files:
  - path: deals.csv
    object: deals
    columns:
      Pipeline: pipeline
      Stage: dealstage
"""
    (tmp_path / "spec.yaml").write_text(spec_text, "utf-8")
    (tmp_path / "deals.csv").write_text("Pipeline,Stage\n", "utf-8")
    from specc.pipeline import load_spec

    spec = load_spec(tmp_path / "spec.yaml", Options(cwd=tmp_path, environ={})).spec
    assert spec is not None
    unknown = _catalog(json.dumps({"catalog": 2, "objects": [deals]}))
    assert stage_rules(spec.files[0], unknown) == []
    known = _catalog(
        json.dumps(
            {
                "catalog": 2,
                "objects": [
                    {**deals, "pipelines": [{"id": "default", "label": "Sales", "stages": []}]}
                ],
            }
        )
    )
    [rule] = stage_rules(spec.files[0], known)
    assert (rule.stage, rule.pipeline, rule.default and rule.default.id) == (1, 0, "default")


def test_notes_name_what_the_snapshot_lacks_once(tmp_path: Path) -> None:
    """SPC442 once per missing part, SPC439 once per rule specc leaves alone."""
    snapshot = {
        "catalog": 2,
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [
                    {"name": "email", "type": "string", "fieldType": "text"},
                    {
                        "name": "hubspot_owner_id",
                        "type": "enumeration",
                        "fieldType": "select",
                        "referencedObjectType": "OWNER",
                    },
                    {"name": "renewal", "type": "date", "fieldType": "date"},
                ],
                "validationRules": [
                    {
                        "propertyName": "renewal",
                        "propertyValidationRules": [
                            {"ruleType": "BEFORE_DURATION", "ruleArguments": ["P30D"]}
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(snapshot), "utf-8")
    (tmp_path / "data.csv").write_text("Email,Owner,Owner again,Renewal\n", "utf-8")
    (tmp_path / "spec.yaml").write_text(
        """\
specc: 1
name: notes
catalog: c.json
checks: {allow: [SPC205]}
files:
  - path: data.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      Owner: hubspot_owner_id
      Owner again: hubspot_owner_id
      Renewal: renewal
""",
        "utf-8",
    )
    found = lint([tmp_path / "spec.yaml"], Options(cwd=tmp_path, environ={})).diagnostics
    notes = [(d.code, d.message) for d in found if d.code in ("SPC439", "SPC442")]
    assert [code for code, _ in notes] == ["SPC439", "SPC442"]
    assert "BEFORE_DURATION(P30D)" in notes[0][1] and "day HubSpot processes" in notes[0][1]
    assert "holds no owners" in notes[1][1] and "'Owner' and 'Owner again'" in notes[1][1]


def test_format_1_snapshots_get_no_validation_rules_note(tmp_path: Path) -> None:
    snapshot = {
        "catalog": 1,
        "objects": [
            {
                "objectTypeId": "0-1",
                "name": "contacts",
                "properties": [{"name": "email", "type": "string", "fieldType": "text"}],
            }
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(snapshot), "utf-8")
    (tmp_path / "data.csv").write_text("Email\n", "utf-8")
    (tmp_path / "spec.yaml").write_text(
        "specc: 1\nname: n\ncatalog: c.json\nfiles:\n  - path: data.csv\n    object: contacts\n"
        "    columns:\n      Email: {property: email, id: true}\n",
        "utf-8",
    )
    found = lint([tmp_path / "spec.yaml"], Options(cwd=tmp_path, environ={})).diagnostics
    assert found == []


REFERENCE = (
    Path(
        os.environ.get(
            "SPECC_HUBSPOT_OPENAPI",
            Path(__file__).resolve().parents[3] / "shared" / "reference" / "hubspot-openapi",
        )
    )
    / "crm-property-validations-v3.json"
)


@pytest.mark.skipif(not REFERENCE.is_file(), reason="HubSpot's OpenAPI files are not here")
def test_every_documented_rule_type_is_evaluated_or_named_as_relative() -> None:
    document = json.loads(REFERENCE.read_text("utf-8"))
    rule = document["components"]["schemas"]["PublicPropertyValidationRule"]
    assert set(rule["properties"]["ruleType"]["enum"]) == EVALUATED | RELATIVE


def test_unreadable_arguments_are_left_alone_not_guessed() -> None:
    rules = (
        ValidationRule("MAX_LENGTH", ("many",)),
        ValidationRule("REGEX", ("(?<=a)b",)),
        ValidationRule("AFTER_DURATION", ("P1D",)),
        ValidationRule("NEW_KIND", ()),
    )
    assert rule_check(rules) is None
    reasons = [why for _, why in unevaluated(rules)]
    assert reasons == [
        "specc cannot read its arguments",
        "specc cannot read its arguments",
        "it depends on the day HubSpot processes the import",
        "HubSpot's property validations guide does not describe it",
    ]
