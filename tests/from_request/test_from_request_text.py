"""Whatever text a request holds, the spec written says exactly that text: column names, property
names, the import's name and file names survive YAML's quoting and specc's templates, or the
request is refused where a spec cannot hold them."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.diff import diff_requests
from specc.from_request import convert_request_file
from specc.pipeline import compile_spec
from specc.run import Options

# Characters YAML, JSON or Jinja give a meaning to, line breaks of every kind, invisible ones.
TRICKY = ":#{}%[]'\"\\-?|>&*!,@`~ \t\r\n\x85\u2028\u2029\ufeff\x00\x7f\ud800é😀"
TEXT = st.text(min_size=1, max_size=30) | st.text(alphabet=TRICKY + "ab1", min_size=1, max_size=30)
FILE_NAME = st.from_regex(r"[^/\\]+\.[A-Za-z0-9]{1,4}", fullmatch=True).filter(
    lambda s: len(s) < 60
)


def request_of(title: str, file_name: str, columns: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "name": title,
        "files": [
            {
                "fileName": file_name,
                "fileFormat": "CSV",
                "fileImportPage": {
                    "hasHeader": True,
                    "columnMappings": [
                        {"columnObjectTypeId": "0-1", "columnName": name, "propertyName": prop}
                        for name, prop in columns
                    ],
                },
            }
        ],
    }


def spec_cannot_hold(title: str, file_name: str, columns: list[tuple[str, str]]) -> bool:
    """What the spec format refuses: blank text, property names with spaces around them (a spec
    trims them), a NUL in a path, a lone surrogate (half a character: no YAML holds one)."""
    every = [title, file_name, *(text for pair in columns for text in pair)]
    return (
        any(0xD800 <= ord(c) <= 0xDFFF for text in every for c in text)
        or not title.strip()
        or "\x00" in file_name
        or any(not name.strip() for name, _ in columns)
        or any(not prop.strip() or prop != prop.strip() for _, prop in columns)
    )


@settings(max_examples=150, deadline=None)
@given(
    title=TEXT,
    file_name=FILE_NAME,
    columns=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4)
    | st.lists(TEXT, min_size=1, max_size=3).map(lambda ns: [(n, "email") for n in ns + ns]),
)
def test_any_text_round_trips_or_is_refused_where_a_spec_cannot_hold_it(
    title: str, file_name: str, columns: list[tuple[str, str]]
) -> None:
    request = request_of(title, file_name, columns)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        saved = root / "request.json"
        # ASCII escapes: a lone surrogate is JSON (\ud800) but no UTF-8.
        saved.write_text(json.dumps(request), encoding="utf-8")
        done = convert_request_file(saved, "request.json")
        if spec_cannot_hold(title, file_name, columns):
            assert done.spec_text is None
            assert {d.code for d in done.result.diagnostics} == {"SPC152"}
            return
        assert done.spec_text is not None, [d.message for d in done.result.diagnostics]
        spec = root / "spec.yaml"
        spec.write_text(done.spec_text, encoding="utf-8", errors="surrogatepass")
        compiled, result = compile_spec(spec, Options(cwd=root, environ={}))
    assert compiled is not None, result.diagnostics
    assert compiled["name"] == title
    assert compiled["files"][0]["fileName"] == file_name
    mappings = compiled["files"][0]["fileImportPage"]["columnMappings"]
    assert [(m["columnName"], m["propertyName"]) for m in mappings] == columns
    assert diff_requests(request, compiled) == []


# --- any request the schema accepts ----------------------------------------------------------

OBJECTS = st.sampled_from(["0-1", "0-2", "0-3", "0-54", "2-123", "contact", "companies", "p_x"])
LEGACY = st.sampled_from(["CONTACT", "COMPANY", "MARKETING_EVENT", "FOO"])
NAMES = st.sampled_from(["Email", "Name", "Domain", "When"])
OWNER = st.one_of(
    st.builds(lambda o: {"columnObjectTypeId": o}, OBJECTS),
    st.builds(lambda o: {"columnObjectType": o}, LEGACY),
)
FOREIGN_KEY = st.fixed_dictionaries(
    {
        "associationTypeId": st.sampled_from([1, 3, 279, 280, 999]),
        "associationCategory": st.sampled_from(["HUBSPOT_DEFINED", "USER_DEFINED"]),
    }
)
NULLS = st.fixed_dictionaries(
    {},
    optional={
        "ignored": st.just(False),
        "foreignKeyType": st.none(),
        "associationIdentifierColumn": st.just(False),
    },
)


def _merge(*parts: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


# Each kind of column, in current and legacy spellings, with the nulls scripts write.
PROPERTY_COLUMN = st.builds(
    _merge,
    OWNER,
    st.fixed_dictionaries(
        {"columnName": NAMES, "propertyName": st.sampled_from(["email", "hs_object_id", "x"])},
        optional={
            "columnType": st.sampled_from(
                ["STANDARD", "HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID", "ASSOCIATION_KEYS"]
            ),
            "idColumnType": st.sampled_from(["HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID", None]),
            "associationIdentifierColumn": st.booleans(),
        },
    ),
    NULLS,
)
LABEL_COLUMN = st.builds(
    _merge,
    OWNER,
    st.fixed_dictionaries(
        {
            "columnName": NAMES,
            "columnType": st.just("FLEXIBLE_ASSOCIATION_LABEL"),
            "toColumnObjectTypeId": OBJECTS,
        }
    ),
)
REFERENCE_COLUMN = st.builds(
    _merge,
    OWNER,
    st.fixed_dictionaries(
        {"columnName": NAMES, "foreignKeyType": FOREIGN_KEY},
        optional={
            "toColumnObjectTypeId": OBJECTS,
            "propertyName": st.none(),
            "idColumnType": st.sampled_from(["HUBSPOT_OBJECT_ID", None]),
        },
    ),
)
EVENT_COLUMN = st.builds(
    _merge,
    OWNER,
    st.fixed_dictionaries(
        {
            "columnName": NAMES,
            "columnType": st.just("EVENT_TIMESTAMP"),
            "marketingEventSubmissionType": st.sampled_from(["REGISTERED", "LEFT"]),
        }
    ),
)
IGNORED_COLUMN = st.builds(
    _merge,
    OWNER,
    st.fixed_dictionaries(
        {"columnName": NAMES, "ignored": st.just(True)},
        optional={"propertyName": st.just("x")},
    ),
)
MAPPING = st.one_of(PROPERTY_COLUMN, LABEL_COLUMN, REFERENCE_COLUMN, EVENT_COLUMN, IGNORED_COLUMN)
DATE_FORMAT = st.sampled_from(["MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY"])
FILE = st.fixed_dictionaries(
    {
        "fileName": st.sampled_from(["a.csv", "b.xlsx", "c.txt"]),
        "fileImportPage": st.fixed_dictionaries(
            {
                "hasHeader": st.booleans(),
                "columnMappings": st.lists(MAPPING, min_size=1, max_size=4),
            }
        ),
    },
    optional={"fileFormat": st.sampled_from(["CSV", "SPREADSHEET"]), "dateFormat": DATE_FORMAT},
)
REQUEST = st.fixed_dictionaries(
    {"name": st.sampled_from(["Leads", "x"]), "files": st.lists(FILE, min_size=1, max_size=3)},
    optional={
        "importOperations": st.dictionaries(
            OBJECTS, st.sampled_from(["CREATE", "UPDATE", "UPSERT"]), max_size=3
        ),
        "dateFormat": DATE_FORMAT,
        "marketableContactImport": st.booleans(),
        "createContactListFromImport": st.booleans(),
        "timeZone": st.sampled_from(["Europe/Berlin", "Nowhere/Else"]),
        "marketingEventObjectId": st.integers(min_value=1, max_value=2**70),
        "dateformat": DATE_FORMAT,
    },
)


@settings(max_examples=150, deadline=None)
@given(request=REQUEST)
def test_any_valid_request_becomes_its_spec_or_is_refused_where_it_cannot(
    request: dict[str, Any],
) -> None:
    from hypothesis import assume

    from specc.compiler import request_is_valid

    events = [
        m
        for f in request["files"]
        for m in f["fileImportPage"]["columnMappings"]
        if m.get("columnType") == "EVENT_TIMESTAMP"
    ]
    if events:
        request.setdefault("marketingEventObjectId", 377224141223)
    assume(request_is_valid(request))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        saved = root / "request.json"
        saved.write_text(json.dumps(request), encoding="utf-8")
        done = convert_request_file(saved, "request.json")
        codes = {d.code for d in done.result.diagnostics}
        if done.spec_text is None:
            assert "SPC152" in codes and codes <= {"SPC152", "SPC153"}
            return
        assert codes <= {"SPC153"}
        spec = root / "spec.yaml"
        spec.write_text(done.spec_text, encoding="utf-8")
        compiled, result = compile_spec(spec, Options(cwd=root, environ={}))
    assert compiled is not None, result.diagnostics
    # The one reading that is specc's own (SPC153): a per-file dateFormat as the import's.
    allowed = {"date_format"} if "SPC153" in codes else set()
    assert {c.field for c in diff_requests(request, compiled)} <= allowed
