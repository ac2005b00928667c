"""Hypothesis: diff is reflexive and symmetric in emptiness, for requests compiled from
generated specs and for the examples' requests; rewrites HubSpot reads alike (legacy names,
defaults written out, null for absent, files reordered, the request as text) give no change,
and every real change (a property, a column, an operation, the order, ...) gives one, both ways.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.catalog.objects import resolve_object, standard_objects
from specc.diff import diff_requests, differ
from specc.pipeline import compile_spec
from specc.run import Options

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    json.loads(p.read_text("utf-8"))
    for p in sorted((ROOT / "examples").glob("*/expected-request.json"))
]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Request = dict[str, Any]


# --- requests compiled from generated specs --------------------------------------------------

PROPERTIES = {
    "contacts": ["firstname", "lastname", "email", "phone", "city"],
    "companies": ["name", "domain", "city", "industry"],
    "deals": ["dealname", "amount", "pipeline", "dealstage"],
}
header = st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,8}", fullmatch=True).map(str.strip).filter(bool)


@st.composite
def generated_specs(draw: st.DrawFn) -> dict[str, Any]:
    files = []
    for index in range(draw(st.integers(1, 3))):
        obj = draw(st.sampled_from(sorted(PROPERTIES)))
        columns: dict[str, Any] = {}
        for name in draw(st.lists(header, min_size=1, max_size=5, unique=True)):
            prop = draw(st.sampled_from(PROPERTIES[obj]))
            columns[name] = (
                {"property": prop, "id": True}
                if prop in ("email", "domain") and draw(st.booleans())
                else prop
            )
        if draw(st.booleans()):
            columns["Skipped"] = {"ignore": True}
        files.append(
            {
                "path": f"file{index}.csv",
                "object": obj,
                "has_header": draw(st.booleans()),
                "columns": columns,
            }
        )
    spec: dict[str, Any] = {"specc": 1, "name": draw(header), "files": files}
    if draw(st.booleans()):
        spec["date_format"] = draw(
            st.sampled_from(["MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY"])
        )
    if draw(st.booleans()):
        objects = sorted({f["object"] for f in files})
        spec["operations"] = {
            o: draw(st.sampled_from(["create", "update", "upsert"]))
            for o in draw(st.lists(st.sampled_from(objects), min_size=1, unique=True))
        }
    for key in ("marketable", "create_list"):
        if draw(st.booleans()):
            spec[key] = draw(st.booleans())
    return spec


def compiled(spec: dict[str, Any]) -> Request:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "spec.yaml").write_text(json.dumps(spec), encoding="utf-8")
        request, result = compile_spec(
            Path("spec.yaml"),
            Options(cwd=Path(folder), environ={}, now=datetime(2026, 11, 29, tzinfo=UTC)),
        )
    assert request is not None, [d.message for d in result.diagnostics]
    return request


requests = st.one_of(st.sampled_from(EXAMPLES), generated_specs().map(compiled)).map(copy.deepcopy)


# --- rewrites HubSpot reads alike ---------------------------------------------------------


def mappings(request: Request) -> list[dict[str, Any]]:
    return [m for f in request["files"] for m in f["fileImportPage"]["columnMappings"]]


def legacy_objects(request: Request) -> None:
    for m in mappings(request):
        info = standard_objects().get(m.get("columnObjectTypeId", ""))
        if info is not None and info.legacy_name:
            del m["columnObjectTypeId"]
            m["columnObjectType"] = info.legacy_name


def singular_names(request: Request) -> None:
    for m in mappings(request):
        for key in ("columnObjectTypeId", "toColumnObjectTypeId"):
            info = standard_objects().get(m.get(key, ""))
            if info is not None:
                m[key] = info.singular


def legacy_id_columns(request: Request) -> None:
    for m in mappings(request):
        if m.get("columnType") in ("HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID"):
            m["idColumnType"] = m.pop("columnType")
        elif "columnType" not in m:
            m.setdefault("idColumnType", None)


def explicit_nulls_and_false(request: Request) -> None:
    for m in mappings(request):
        m.setdefault("ignored", False)
        m.setdefault("associationIdentifierColumn", False)
        m.setdefault("foreignKeyType", None)
        if "propertyName" not in m and not m.get("ignored"):
            m["propertyName"] = None
    request.setdefault("createContactListFromImport", False)
    request.setdefault("marketableContactImport", None)


def standard_column_type(request: Request) -> None:
    for m in mappings(request):
        plain = "columnType" not in m and m.get("idColumnType") is None
        if m.get("propertyName") and plain and "toColumnObjectTypeId" not in m:
            m["columnType"] = "STANDARD"


def defaults_left_out(request: Request) -> None:
    if request.get("dateFormat") == "MONTH_DAY_YEAR":
        del request["dateFormat"]
    for entry in request["files"]:
        if entry.get("fileFormat") == "CSV":
            del entry["fileFormat"]
        if entry["fileImportPage"].get("hasHeader") is True:
            del entry["fileImportPage"]["hasHeader"]
    operations = request.get("importOperations") or {}
    for key in [k for k, v in operations.items() if v == "UPSERT"]:
        del operations[key]


def defaults_written_out(request: Request) -> None:
    request.setdefault("dateFormat", "MONTH_DAY_YEAR")
    operations = request.setdefault("importOperations", {})
    listed = {resolve_object(key) for key in operations}
    for m in mappings(request):
        object_id = resolve_object(m.get("columnObjectTypeId") or "")
        if object_id and object_id not in listed:
            operations[object_id] = "UPSERT"
            listed.add(object_id)


def files_reversed(request: Request) -> None:
    request["files"].reverse()


NEUTRAL: list[Callable[[Request], None]] = [
    legacy_objects,
    singular_names,
    legacy_id_columns,
    explicit_nulls_and_false,
    standard_column_type,
    defaults_left_out,
    defaults_written_out,
    files_reversed,
]


# --- real changes -------------------------------------------------------------------------


def remap_property(request: Request, pick: int) -> bool:
    named = [m for m in mappings(request) if m.get("propertyName")]
    if not named:
        return False
    named[pick % len(named)]["propertyName"] += "_renamed"
    return True


def drop_column(request: Request, pick: int) -> bool:
    entry = request["files"][pick % len(request["files"])]
    columns = entry["fileImportPage"]["columnMappings"]
    del columns[pick % len(columns)]
    return True


def add_column(request: Request, pick: int) -> bool:
    entry = request["files"][pick % len(request["files"])]
    entry["fileImportPage"]["columnMappings"].append(
        {"columnObjectTypeId": "0-1", "columnName": "Added column", "propertyName": "jobtitle"}
    )
    return True


def change_operation(request: Request, pick: int) -> bool:
    operations = request.get("importOperations") or {}
    objects = sorted(
        {
            m["columnObjectTypeId"]
            for m in mappings(request)
            if isinstance(m.get("columnObjectTypeId"), str)
        }
        | set(operations)
    )
    if not objects:
        return False
    target = objects[pick % len(objects)]
    current = operations.get(target, "UPSERT")
    request["importOperations"] = {
        **operations,
        target: "CREATE" if current != "CREATE" else "UPDATE",
    }
    return True


def swap_columns(request: Request, pick: int) -> bool:
    for entry in request["files"]:
        columns = entry["fileImportPage"]["columnMappings"]
        for i in range(len(columns) - 1):
            if columns[i]["columnName"] != columns[i + 1]["columnName"]:
                columns[i], columns[i + 1] = columns[i + 1], columns[i]
                return True
    return False


def change_date_format(request: Request, pick: int) -> bool:
    now = request.get("dateFormat", "MONTH_DAY_YEAR")
    request["dateFormat"] = "YEAR_MONTH_DAY" if now != "YEAR_MONTH_DAY" else "DAY_MONTH_YEAR"
    return True


def toggle_header(request: Request, pick: int) -> bool:
    page = request["files"][pick % len(request["files"])]["fileImportPage"]
    page["hasHeader"] = not page.get("hasHeader", True)
    return True


def drop_file(request: Request, pick: int) -> bool:
    if len(request["files"]) < 2:
        return False
    del request["files"][pick % len(request["files"])]
    return True


def toggle_identifier(request: Request, pick: int) -> bool:
    named = [m for m in mappings(request) if m.get("propertyName")]
    if not named:
        return False
    m = named[pick % len(named)]
    if m.get("columnType") == "HUBSPOT_ALTERNATE_ID":
        del m["columnType"]
    else:
        m["columnType"] = "HUBSPOT_ALTERNATE_ID"
    return True


REAL: list[Callable[[Request, int], bool]] = [
    remap_property,
    drop_column,
    add_column,
    change_operation,
    swap_columns,
    change_date_format,
    toggle_header,
    drop_file,
    toggle_identifier,
]


# --- the properties -----------------------------------------------------------------------


@SETTINGS
@given(requests)
def test_a_request_has_no_change_against_itself(request: Request) -> None:
    assert diff_requests(request, request) == []
    assert diff_requests(request, copy.deepcopy(request)) == []


@SETTINGS
@given(requests, st.lists(st.sampled_from(NEUTRAL), max_size=4), st.booleans())
def test_rewrites_hubspot_reads_alike_give_no_change(
    request: Request, rewrites: list[Callable[[Request], None]], as_text: bool
) -> None:
    rewritten = copy.deepcopy(request)
    for rewrite in rewrites:
        rewrite(rewritten)
    other: Any = json.dumps(rewritten) if as_text else rewritten
    assert diff_requests(request, other) == []
    assert diff_requests(other, request) == []


@SETTINGS
@given(
    requests,
    st.lists(st.sampled_from(NEUTRAL), max_size=3),
    st.sampled_from(REAL),
    st.integers(0, 1000),
)
def test_every_real_change_is_found_both_ways(
    request: Request,
    rewrites: list[Callable[[Request], None]],
    change: Callable[[Request, int], bool],
    pick: int,
) -> None:
    changed = copy.deepcopy(request)
    if not change(changed, pick):
        return
    for rewrite in rewrites:
        rewrite(changed)
    assert differ(diff_requests(request, changed))
    assert differ(diff_requests(changed, request))


@SETTINGS
@given(requests, requests)
def test_no_change_one_way_is_no_change_the_other(a: Request, b: Request) -> None:
    assert (diff_requests(a, b) == []) == (diff_requests(b, a) == [])
    assert differ(diff_requests(a, b)) == differ(diff_requests(b, a))


# Any JSON at all, shaped like a request often enough to reach every branch.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.sampled_from(
        [
            "0-1",
            "CONTACT",
            "contacts",
            "HUBSPOT_OBJECT_ID",
            "EVENT_TIMESTAMP",
            "FLEXIBLE_ASSOCIATION_LABEL",
            "CREATE",
            "a.csv",
        ]
    ),
)
keys = st.sampled_from(
    [
        "name",
        "files",
        "fileName",
        "fileImportPage",
        "columnMappings",
        "columnName",
        "propertyName",
        "columnObjectTypeId",
        "columnObjectType",
        "columnType",
        "idColumnType",
        "importOperations",
        "foreignKeyType",
        "associationTypeId",
        "toColumnObjectTypeId",
        "ignored",
        "hasHeader",
        "dateFormat",
        "marketingEventSubmissionType",
        "x",
    ]
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30,
)


@SETTINGS
@given(json_values, json_values)
def test_any_json_compares_without_failing_and_symmetrically(a: Any, b: Any) -> None:
    assert diff_requests(a, a) == []
    assert diff_requests(a, copy.deepcopy(a)) == []
    assert (diff_requests(a, b) == []) == (diff_requests(b, a) == [])
