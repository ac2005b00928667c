"""Whatever HubSpot (or a proxy in front of it) answers, parsing it never crashes specc."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.hubspot.errors import HubSpotApiError, parse_error_body
from specc.hubspot.retry import parse_retry_after
from specc.hubspot.row_errors import FileLayout, layouts_from_request, map_errors

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)

# Error records shaped like HubSpot's, with any field missing or of any type.
error_fields = st.fixed_dictionaries(
    {},
    optional={
        "errorType": json_values | st.sampled_from(["INVALID_EMAIL", "FILE_NOT_FOUND"]),
        "knownColumnNumber": json_values | st.integers(-2, 6),
        "invalidValue": json_values,
        "errorMessage": json_values,
        "invalidPropertyValue": json_values | st.fixed_dictionaries({"name": st.text()}),
        "sourceData": json_values
        | st.fixed_dictionaries(
            {},
            optional={
                "lineNumber": json_values | st.integers(-1, 9),
                "fileId": json_values | st.integers(0, 3),
                "pageName": json_values,
                "rowData": json_values | st.lists(st.text(), max_size=4),
            },
        ),
    },
)


@given(st.text() | json_values.map(json.dumps))
def test_error_bodies_always_parse(text: str) -> None:
    body = parse_error_body(text)
    message = str(HubSpotApiError(400, body, "start the import"))
    assert message.startswith("HubSpot refused to start the import (HTTP 400")


@given(st.lists(error_fields, max_size=5), json_values)
@settings(max_examples=300)
def test_any_error_list_maps_to_diagnostics(errors: list[dict[str, Any]], request: Any) -> None:
    layouts = [*layouts_from_request(request), FileLayout("a.csv", "a.csv", ("A", "B"))]
    found = map_errors(errors, layouts, ["1", "2"])
    assert len(found) == len(errors)
    assert all(d.code in ("SPC520", "SPC521") for d in found)


@given(st.text())
def test_retry_after_never_crashes(value: str) -> None:
    seconds = parse_retry_after({"retry-after": value})
    assert seconds is None or seconds >= 0
