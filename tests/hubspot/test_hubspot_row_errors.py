"""HubSpot's row errors mapped back to file, line, column, value and the spec's mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specc.diagnostics import SpecLocation
from specc.hubspot.row_errors import (
    FileLayout,
    counts_by_type,
    layouts_from_request,
    map_errors,
    rows_of_lines,
)


def error(
    error_type: str,
    line: int,
    column: int | None = None,
    *,
    file_id: int = 11,
    value: str | None = None,
    message: str | None = None,
    row: list[str] | None = None,
    **more: Any,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": f"e{line}-{column}",
        "createdAt": 1_700_000_000_000,
        "errorType": error_type,
        "sourceData": {
            "lineNumber": line,
            "fileId": file_id,
            "rowData": row or [],
            "additionalRowData": [],
            "containsEncryptedProperties": False,
        },
        **more,
    }
    if column is not None:
        found["knownColumnNumber"] = column
    if value is not None:
        found["invalidValue"] = value
    if message is not None:
        found["errorMessage"] = message
    return found


def layout(name: str, columns: tuple[str, ...], path: Path | None = None) -> FileLayout:
    return FileLayout(
        file_name=name,
        shown_path=f"data/{name}",
        columns=columns,
        properties=tuple(c.lower().replace(" ", "") for c in columns),
        path=path,
        spec_locations=tuple(
            SpecLocation("spec.yaml", 10 + i, 7, f"/files/0/columns/{c}")
            for i, c in enumerate(columns)
        ),
        spec_location=SpecLocation("spec.yaml", 5, 5, "/files/0"),
    )


def test_line_column_value_and_spec_location() -> None:
    leads = layout("leads.csv", ("First Name", "Email", "Date"))
    found = map_errors(
        [error("INVALID_EMAIL", 3, 1, value="not-an-email", message="Invalid email")],
        [leads],
        ["11"],
    )
    (d,) = found
    assert d.code == "SPC520"
    assert d.hubspot_error == "INVALID_EMAIL"
    assert d.data is not None
    assert (d.data.file, d.data.line, d.data.column, d.data.value) == (
        "data/leads.csv",
        3,
        "Email",
        "not-an-email",
    )
    assert d.spec == SpecLocation("spec.yaml", 11, 7, "/files/0/columns/Email")
    assert d.message == 'INVALID_EMAIL: Invalid email: "not-an-email"'
    # Without the spec no cell check can run: the hint names the code that predicts it.
    assert d.hint == "not a valid email address; `specc explain SPC401` says how to fix it"


def test_file_is_found_by_its_id_among_several() -> None:
    first = layout("a.csv", ("Name", "Domain"))
    second = layout("b.csv", ("Email", "Company"))
    found = map_errors(
        [error("INVALID_DOMAIN", 2, 1, file_id=21), error("INVALID_EMAIL", 4, 0, file_id=22)],
        [first, second],
        ["21", "22"],
    )
    by_type = {d.hubspot_error: d.data for d in found}
    assert by_type["INVALID_DOMAIN"] is not None and by_type["INVALID_DOMAIN"].file == "data/a.csv"
    assert by_type["INVALID_DOMAIN"].column == "Domain"
    assert by_type["INVALID_EMAIL"] is not None and by_type["INVALID_EMAIL"].file == "data/b.csv"
    assert by_type["INVALID_EMAIL"].column == "Email"


def test_value_falls_back_to_the_row_data_and_column_to_the_property() -> None:
    leads = layout("leads.csv", ("First Name", "Email"))
    found = map_errors(
        [
            error("INVALID_EMAIL", 2, 1, row=["Ada", "ada@"]),
            error(
                "COULD_NOT_PARSE_NUMBER",
                5,
                invalidPropertyValue={"name": "email", "value": "x"},
            ),
        ],
        [leads],
        ["11"],
    )
    email, number = sorted(found, key=lambda d: d.data.line if d.data and d.data.line else 0)
    assert email.data is not None and email.data.value == "ada@"
    assert number.data is not None and number.data.column == "Email"


def test_line_zero_is_a_whole_file_error() -> None:
    found = map_errors([error("FILE_NOT_FOUND", 0)], [layout("leads.csv", ("A",))], ["11"])
    (d,) = found
    assert d.code == "SPC521"
    assert d.data is not None and d.data.line is None and d.data.file == "data/leads.csv"
    assert d.spec == SpecLocation("spec.yaml", 5, 5, "/files/0")


def test_unknown_error_types_and_files_do_not_break_mapping() -> None:
    found = map_errors(
        [error("SOMETHING_NEW_2027", 7, 4, file_id=99)],
        [layout("a.csv", ("A",)), layout("b.csv", ("B",))],
        ["1", "2"],
    )
    (d,) = found
    assert d.hubspot_error == "SOMETHING_NEW_2027"
    assert d.data is not None and d.data.file == "file 99" and d.data.column == "column 5"
    assert d.message == "SOMETHING_NEW_2027: something new 2027"


def test_rows_follow_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Name,Note\nA,"two\nlines"\nB,plain\nC,"three\nmore\nlines"\nD,x\n')
    assert rows_of_lines(path, {2, 4, 5, 8}) == {2: 1, 4: 2, 5: 3, 8: 4}
    leads = layout("notes.csv", ("Name", "Note"), path=path)
    (d,) = map_errors([error("INVALID_EMAIL", 8, 0)], [leads], ["11"])
    assert d.data is not None and (d.data.line, d.data.row) == (8, 4)


def test_grouped_by_type_then_line() -> None:
    leads = layout("leads.csv", ("A", "B"))
    found = map_errors(
        [
            error("INVALID_EMAIL", 9, 1),
            error("COULD_NOT_PARSE_DATE", 4, 0),
            error("INVALID_EMAIL", 3, 1),
        ],
        [leads],
        ["11"],
    )
    assert [(d.hubspot_error, d.data.line if d.data else None) for d in found] == [
        ("COULD_NOT_PARSE_DATE", 4),
        ("INVALID_EMAIL", 3),
        ("INVALID_EMAIL", 9),
    ]
    assert counts_by_type(found) == [("INVALID_EMAIL", 2), ("COULD_NOT_PARSE_DATE", 1)]


def test_layouts_from_the_echoed_request() -> None:
    layouts = layouts_from_request(
        {
            "files": [
                {
                    "fileName": "x.xlsx",
                    "fileFormat": "SPREADSHEET",
                    "fileImportPage": {
                        "hasHeader": True,
                        "columnMappings": [
                            {"columnName": "Email", "propertyName": "email"},
                            {"columnName": "Company", "propertyName": None},
                        ],
                    },
                }
            ]
        }
    )
    assert layouts[0].columns == ("Email", "Company")
    assert layouts[0].csv is False
    (d,) = map_errors([error("INVALID_EMAIL", 6, 0)], layouts, ["11"])
    assert d.data is not None and (d.data.file, d.data.row, d.data.column) == ("x.xlsx", 5, "Email")
