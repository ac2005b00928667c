"""HubSpot's error answers: parsed in any spelling, shown with what to do, mapped to codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hubspot_support import TOKEN, make_upload

from specc.hubspot.errors import (
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    BadJson,
    HubSpotApiError,
    load_json,
    parse_error_body,
)
from specc.hubspot.runner import start_import
from specc.sandbox import serve


def test_fields_are_read_in_either_spelling_and_any_case() -> None:
    body = parse_error_body(
        json.dumps(
            {
                "status": "error",
                "Message": "Missing required properties",
                "CATEGORY": "VALIDATION_ERROR",
                "correlationID": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
                "context": {"contacts properties": ["[firstname]"], "single": "x"},
                "errors": [{"message": "email is required", "in": "email", "code": "REQUIRED"}],
            }
        )
    )
    assert body.message == "Missing required properties"
    assert body.category == "VALIDATION_ERROR"
    assert body.correlation_id == "aeb5f871-7f07-4993-9211-075dc63e7cbf"
    assert body.context == {"contacts properties": ["[firstname]"], "single": ["x"]}
    assert body.details[0].message == "email is required"
    assert body.details[0].where == "email"
    assert body.details[0].code == "REQUIRED"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<html>Bad Gateway</html>",
        "[1, 2]",
        "{not json",
        "[" * 200_000,
        '{"a": ' + "9" * 20_000 + "}",
    ],
    ids=["empty", "html", "list", "broken", "200000-deep", "20000-digits"],
)
def test_any_body_parses_without_failing(text: str) -> None:
    body = parse_error_body(text)
    assert body.message is None
    assert body.raw_text == text.strip()[:500]


def test_a_message_shows_category_details_context_and_correlation_id() -> None:
    error = HubSpotApiError(
        400,
        parse_error_body(
            json.dumps(
                {
                    "message": "Invalid input",
                    "category": "VALIDATION_ERROR",
                    "correlationId": "c-123",
                    "context": {"missingScopes": ["crm.import"]},
                    "errors": [{"message": "fileName does not match", "in": "files[0]"}],
                }
            )
        ),
        "start the import",
    )
    text = str(error)
    assert text.startswith("HubSpot refused to start the import (HTTP 400, VALIDATION_ERROR)")
    assert "Invalid input" in text
    assert "fileName does not match [files[0]]" in text
    assert "missingScopes: crm.import" in text
    assert "correlation id: c-123" in text
    assert error.exit_code == 1


def test_401_says_to_check_the_token(tmp_path: Path, client_for) -> None:
    with serve(tokens={"another-token": {"crm.import"}}) as sandbox:
        client, _ = client_for(sandbox)
        with pytest.raises(HubSpotApiError) as caught:
            start_import(client, make_upload(tmp_path))
    error = caught.value
    assert error.status == 401
    assert "HUBSPOT_ACCESS_TOKEN" in (error.hint or "")
    assert error.diagnostic().code == "SPC501"
    assert TOKEN not in str(error) + (error.hint or "")


def test_403_names_the_missing_scope(tmp_path: Path, client_for) -> None:
    with serve(tokens={TOKEN: {"crm.objects.contacts.read"}}) as sandbox:
        client, _ = client_for(sandbox)
        with pytest.raises(HubSpotApiError) as caught:
            start_import(client, make_upload(tmp_path))
        assert sandbox.imports == {}
    error = caught.value
    assert error.status == 403
    assert "crm.import" in str(error)
    assert "crm.import" in (error.hint or "") and "scope" in (error.hint or "")
    assert error.diagnostic().code == "SPC502"


def test_400_on_upload_is_refused_with_details(tmp_path: Path, client_for) -> None:
    upload = make_upload(tmp_path)
    # The request names a file that is not sent: HubSpot refuses the whole upload.
    broken = upload.__class__(
        name=upload.name,
        request_json=upload.request_json.replace("leads.csv", "other.csv"),
        files=upload.files,
        operations={},
    )
    with serve() as sandbox:
        client, _ = client_for(sandbox)
        with pytest.raises(HubSpotApiError) as caught:
            start_import(client, broken)
        assert sandbox.imports == {}
        assert sandbox.count("create") == 1  # a refusal is never retried
    error = caught.value
    assert error.status == 400
    assert "VALIDATION_ERROR" in str(error)
    assert "correlation id:" in str(error)
    assert error.diagnostic().code == "SPC500"


def test_unknown_import_is_a_404_with_a_hint(sandbox, client_for) -> None:
    client, _ = client_for(sandbox)
    with pytest.raises(HubSpotApiError) as caught:
        client.get_import("999")
    assert caught.value.status == 404
    assert "--api-version" in (caught.value.hint or "")


def test_an_import_id_must_be_a_number(sandbox, client_for) -> None:
    from specc.errors import SpeccError

    client, _ = client_for(sandbox)
    with pytest.raises(SpeccError, match="is a number"):
        client.get_import("../properties/contacts")
    assert sandbox.log == []


def test_answers_nest_up_to_the_bound_and_no_deeper() -> None:
    assert load_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert load_json('{"a": ' * MAX_JSON_DEPTH + "1" + "}" * MAX_JSON_DEPTH) is not None
    deeper = MAX_JSON_DEPTH + 1
    with pytest.raises(BadJson, match="nests deeper"):
        load_json("[" * deeper + "]" * deeper)
    with pytest.raises(BadJson, match="nests deeper"):
        load_json("[" * 200_000)  # past the interpreter's recursion limit too


def test_numbers_of_an_absurd_length_are_named_not_crashed_on() -> None:
    assert load_json("9" * MAX_INT_DIGITS) == int("9" * MAX_INT_DIGITS)
    assert load_json("-" + "9" * MAX_INT_DIGITS) == -int("9" * MAX_INT_DIGITS)
    with pytest.raises(BadJson, match="a number of 20,000 digits"):
        load_json('{"id": ' + "1" * 20_000 + "}")
