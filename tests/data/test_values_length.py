"""SPC400: values longer than HubSpot's 65,536 characters, counted in UTF-16 units."""

from __future__ import annotations

import pytest
from values_support import make_property

from specc.data.values import MAX_VALUE_LENGTH, checker_for, typed_checker_for

PROPERTIES = [
    make_property({"name": "notes", "type": "string", "fieldType": "textarea"}),
    make_property({"name": "email", "type": "string", "fieldType": "text"}),
    make_property({"name": "phone", "type": "string", "fieldType": "phonenumber"}),
    make_property({"name": "amount", "type": "number", "fieldType": "number"}),
    make_property({"name": "seen", "type": "datetime", "fieldType": "date"}),
    make_property(
        {
            "name": "tags",
            "type": "enumeration",
            "fieldType": "checkbox",
            "optionsComplete": True,
            "options": [{"label": "A", "value": "a"}],
        }
    ),
    make_property(
        {"name": "owner", "type": "enumeration", "fieldType": "select", "externalOptions": True}
    ),
    make_property(
        {"name": "hs_additional_domains", "type": "enumeration", "fieldType": "checkbox"}
    ),
]


@pytest.mark.parametrize("prop", PROPERTIES, ids=lambda p: p.name)
def test_too_long_in_any_property(prop: object) -> None:
    check = checker_for(prop)  # type: ignore[arg-type]
    problem = check("a" * (MAX_VALUE_LENGTH + 1))
    assert problem is not None and problem.code.code == "SPC400"
    assert problem.code.hubspot_error == "COLUMN_TOO_LARGE"
    assert "65,537" in problem.message


def test_limit_itself_is_fine_for_text() -> None:
    check = checker_for(PROPERTIES[0])
    assert check("a" * MAX_VALUE_LENGTH) is None


def test_counted_in_utf16_units() -> None:
    check = checker_for(PROPERTIES[0])
    # 32,769 emoji: fewer code points than the limit, but 65,538 UTF-16 units.
    assert check("🙂" * 32_769).code.code == "SPC400"  # type: ignore[union-attr]
    assert check("🙂" * 32_768) is None
    assert check("é" * MAX_VALUE_LENGTH) is None  # BMP characters count once


def test_typed_text_cell_too_long() -> None:
    problem = typed_checker_for(PROPERTIES[0])("x" * (MAX_VALUE_LENGTH + 5))
    assert problem is not None and problem.code.code == "SPC400"
