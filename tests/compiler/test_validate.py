"""validate_request: schema problems located in the spec; and, for random valid specs, that
compiling is deterministic and always gives a request the schema accepts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from specc.compiler import (
    compile_request,
    request_errors,
    request_is_valid,
    request_json,
    spec_pointer,
    validate_request,
)
from specc.pipeline import compile_spec, load_spec
from specc.run import Options

SPEC = """\
specc: 1
name: Case
operations: {contacts: create}
marketing_event: 5
files:
  - path: a.csv
    object: contacts
    columns:
      Email: {property: email, id: true}
      Joined: {event: joined}
"""


def loaded_spec(tmp_path: Path, text: str = SPEC) -> Any:
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    loaded = load_spec(Path("spec.yaml"), Options(cwd=tmp_path, environ={}))
    assert loaded.spec is not None, loaded.diagnostics
    return loaded.spec


def test_a_broken_request_points_at_its_spec_entry(tmp_path: Path) -> None:
    spec = loaded_spec(tmp_path)
    request = compile_request(spec)
    assert validate_request(request, spec) == []
    mappings = request["files"][0]["fileImportPage"]["columnMappings"]
    del mappings[1]["marketingEventSubmissionType"]
    request["importOperations"]["0-1"] = "MERGE"
    found = validate_request(request, spec)
    assert {(d.code, d.spec.line if d.spec else 0) for d in found} == {
        ("SPC150", 3),  # importOperations/0-1 -> operations: contacts
        ("SPC150", 10),  # columnMappings/1 -> the Joined column
    }
    assert all(
        "/files/0/fileImportPage/columnMappings/1" in d.message
        or "/importOperations/0-1" in d.message
        for d in found
    )


def test_spec_pointers_of_request_pointers(tmp_path: Path) -> None:
    spec = loaded_spec(tmp_path)
    assert spec_pointer("", spec) == ""
    assert spec_pointer("/name", spec) == "/name"
    assert spec_pointer("/marketingEventObjectId", spec) == "/marketing_event"
    assert spec_pointer("/importOperations/0-1", spec) == "/operations/contacts"
    assert spec_pointer("/files/0/fileName", spec) == "/files/0/path"
    assert spec_pointer("/files/0/fileImportPage/columnMappings/0/columnType", spec) == (
        "/files/0/columns/Email"
    )
    assert spec_pointer("/files/7", spec) == "/files"


# --- random valid specs ----------------------------------------------------------------------

OBJECTS = ["contacts", "contact", "0-1", "companies", "deals", "tickets", "pets"]
PROPERTIES = ["email", "firstname", "domain", "name", "dealname", "hs_object_id", "amount"]
# YAML cannot hold surrogates, control characters or the noncharacters U+FFFE/U+FFFF (Cn).
header = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")


@st.composite
def column_specs(draw: st.DrawFn, file_object: str) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "property",
                "short",
                "id",
                "association_key",
                "association_keys",
                "label",
                "event",
                "references",
                "ignore",
            ]
        )
    )
    column: dict[str, Any] = {}
    if draw(st.booleans()):
        column["object"] = draw(st.sampled_from(OBJECTS))
    if kind in ("property", "short", "id", "association_key", "association_keys"):
        column["property"] = draw(st.sampled_from(PROPERTIES))
        if kind in ("id", "association_key", "association_keys"):
            column[kind] = True
        if kind == "short" and "object" not in column:
            return {"short": column["property"]}
    elif kind == "label":
        column["label"] = draw(st.sampled_from(OBJECTS))
    elif kind == "event":
        column.pop("object", None)
        column["event"] = draw(st.sampled_from(["registered", "JOINED", "Left", "cancelled"]))
    elif kind == "references":
        column.pop("object", None)
        target = draw(st.sampled_from(["contacts", "companies", "deals", "pets"]))
        column["references"] = target
        if file_object == "pets" or target == "pets" or draw(st.booleans()):
            column["association"] = {
                "type_id": draw(st.integers(1, 10**6)),
                "category": draw(st.sampled_from(["HUBSPOT_DEFINED", "user_defined"])),
            }
    else:
        column["ignore"] = True
    if draw(st.booleans()):
        column["allow"] = ["SPC412"]
    return column


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    files = []
    names = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9 _-]{0,10}", fullmatch=True),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    has_event = False
    for name in names:
        file_object = draw(st.sampled_from(OBJECTS))
        headers = draw(st.lists(header, min_size=1, max_size=6, unique=True))
        columns: dict[str, Any] = {}
        for h in headers:
            col = draw(column_specs(file_object))
            columns[h] = col.get("short", col)
            has_event = has_event or (isinstance(col, dict) and "event" in col)
        extension = draw(st.sampled_from([".csv", ".xlsx", ".xls", ".CSV"]))
        files.append(
            {
                "path": f"data/{name}{extension}",
                "object": file_object,
                "has_header": draw(st.booleans()),
                "columns": columns,
            }
        )
    spec: dict[str, Any] = {
        "specc": 1,
        "name": draw(header.filter(lambda s: "{" not in s)),
        "objects": {"pets": "2-1234567"},
        "files": files,
        "date_format": draw(
            st.sampled_from(["MONTH_DAY_YEAR", "day_month_year", "YEAR_MONTH_DAY"])
        ),
    }
    if has_event or draw(st.booleans()):
        spec["marketing_event"] = draw(st.integers(1, 10**15))
    if draw(st.booleans()):
        spec["operations"] = draw(
            st.one_of(
                st.sampled_from(["create", "UPDATE", "Upsert"]),
                st.dictionaries(
                    st.sampled_from(["contacts", "companies", "deals", "pets"]),
                    st.sampled_from(["create", "update", "upsert"]),
                    max_size=3,
                ),
            )
        )
    for key, strategy in (
        ("marketable", st.booleans()),
        ("create_list", st.booleans()),
        ("time_zone", st.sampled_from(["UTC", "Europe/Berlin"])),
    ):
        if draw(st.booleans()):
            spec[key] = draw(strategy)
    return spec


# Each example writes a spec, loads, compiles and validates it against the request schema:
# 100 of them, each drawing every optional key at even odds.
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs(), st.sampled_from(["spec.yaml", "spec.toml"]))
def test_valid_specs_compile_deterministically_to_schema_valid_requests(
    tmp_path: Path, data: dict[str, Any], name: str
) -> None:
    if name.endswith(".toml"):
        import tomllib  # noqa: F401 - only to show the TOML form below is read by tomllib

        text = _toml(data)
    else:
        text = json.dumps(data, ensure_ascii=False)  # JSON is YAML
    (tmp_path / name).write_text(text, encoding="utf-8")
    options = Options(cwd=tmp_path, environ={}, now=datetime(2026, 11, 29, tzinfo=UTC))
    loaded = load_spec(Path(name), options)
    errors = [d for d in loaded.diagnostics if d.severity.value == "error"]
    event("compiled" if loaded.spec is not None else "refused")
    if loaded.spec is None:
        # Generated specs are valid except by chance: one-word operations when no column writes
        # a property (SPC030), or two names of one object under operations (SPC016).
        assert {d.code for d in errors} <= {"SPC030", "SPC016"}, [d.message for d in errors]
        return
    request = compile_request(loaded.spec)
    assert request_errors(request) == []
    assert request_is_valid(request)
    assert validate_request(request, loaded.spec) == []
    again, _ = compile_spec(Path(name), options)
    assert again is not None
    assert request_json(again) == request_json(request)


def _toml(data: dict[str, Any]) -> str:
    """A TOML rendering of a generated spec (inline tables; enough for these shapes)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, list):
            return "[" + ", ".join(value(i) for i in v) + "]"
        return (
            "{"
            + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {value(i)}" for k, i in v.items())
            + "}"
        )

    lines = [f"{k} = {value(v)}" for k, v in data.items() if k != "files"]
    for data_file in data["files"]:
        lines.append("[[files]]")
        lines += [f"{k} = {value(v)}" for k, v in data_file.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("kind", ["yaml", "toml"])
def test_toml_and_yaml_give_the_same_request(tmp_path: Path, kind: str) -> None:
    data = json.loads(
        json.dumps(
            {
                "specc": 1,
                "name": "Same",
                "operations": {"contacts": "create"},
                "files": [
                    {
                        "path": "a.csv",
                        "object": "contacts",
                        "columns": {"Email": {"property": "email", "id": True}, "X": "firstname"},
                    }
                ],
            }
        )
    )
    text = _toml(data) if kind == "toml" else json.dumps(data)
    (tmp_path / f"spec.{kind}").write_text(text, encoding="utf-8")
    request, result = compile_spec(Path(f"spec.{kind}"), Options(cwd=tmp_path, environ={}))
    assert result.diagnostics == []
    assert request == {
        "name": "Same",
        "importOperations": {"0-1": "CREATE"},
        "dateFormat": "MONTH_DAY_YEAR",
        "files": [
            {
                "fileName": "a.csv",
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "Email",
                            "propertyName": "email",
                            "columnType": "HUBSPOT_ALTERNATE_ID",
                        },
                        {
                            "columnObjectTypeId": "0-1",
                            "columnName": "X",
                            "propertyName": "firstname",
                        },
                    ],
                },
            }
        ],
    }
