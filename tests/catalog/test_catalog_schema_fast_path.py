"""`conforms` is a fast stand-in for validating against catalog.schema.json: it must agree."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from specc.catalog.snapshot import conforms
from specc.schemas import load_schema

VALIDATOR = Draft202012Validator(load_schema("catalog"))

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4)
)
anything = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)


def mostly(valid: st.SearchStrategy[Any], wrong: bool) -> st.SearchStrategy[Any]:
    """The valid values, or with `wrong` now and then any JSON value instead."""
    return st.one_of(*[valid] * 15, anything) if wrong else valid


def dropping(strategy: st.SearchStrategy[dict[str, Any]], wrong: bool) -> st.SearchStrategy[Any]:
    """Dicts that, with `wrong`, sometimes lose one key (a required one, maybe)."""
    if not wrong:
        return strategy

    def drop(pair: tuple[dict[str, Any], int]) -> dict[str, Any]:
        data, index = pair
        keys = list(data)
        if index < len(keys) and index % 3 == 0:
            data = {k: v for k, v in data.items() if k != keys[index]}
        return data

    return st.tuples(strategy, st.integers(0, 30)).map(drop)


def documents(wrong: bool) -> st.SearchStrategy[Any]:
    text = st.text(max_size=6)
    flag = st.booleans() | st.none()
    option = dropping(
        st.fixed_dictionaries(
            {"value": mostly(text, wrong)},
            optional={
                "label": mostly(text | st.none(), wrong),
                "hidden": mostly(flag, wrong),
                "displayOrder": anything,
            },
        ),
        wrong,
    )
    meta = st.fixed_dictionaries(
        {},
        optional={
            k: mostly(flag, wrong)
            for k in ("readOnlyValue", "readOnlyOptions", "readOnlyDefinition", "archivable")
        },
    )
    prop = dropping(
        st.fixed_dictionaries(
            {
                "name": mostly(st.text(min_size=1, max_size=6), wrong),
                "type": mostly(st.sampled_from(["string", "enumeration", "bool"]), wrong)
                if not wrong
                else st.sampled_from(["string"] * 8 + ["", 7]),
                "fieldType": mostly(st.sampled_from(["text", "select", "booleancheckbox"]), wrong),
            },
            optional={
                "label": mostly(text | st.none(), wrong),
                "options": mostly(st.lists(option, max_size=3), wrong),
                "hasUniqueValue": mostly(flag, wrong),
                "calculated": mostly(flag, wrong),
                "externalOptions": mostly(flag, wrong),
                "referencedObjectType": mostly(text | st.none(), wrong),
                "numberDisplayHint": mostly(text | st.none(), wrong),
                "textDisplayHint": mostly(text | st.none(), wrong),
                "modificationMetadata": mostly(meta, wrong),
                "groupName": anything,
            },
        ),
        wrong,
    )
    ident = (
        st.sampled_from(["110", "default", 7])
        if not wrong
        else st.sampled_from(["110", 7, 7.0, 7.5, True, None, []])
    )
    whole = st.integers(-3, 3) | st.none()
    owner = dropping(
        st.fixed_dictionaries(
            {"id": mostly(ident, wrong)},
            optional={
                "email": mostly(text | st.none(), wrong),
                "firstName": mostly(text | st.none(), wrong),
                "lastName": mostly(text | st.none(), wrong),
                "userId": mostly(whole, wrong),
                "archived": mostly(flag, wrong),
                "teams": anything,
            },
        ),
        wrong,
    )
    stage = dropping(
        st.fixed_dictionaries(
            {"id": mostly(ident, wrong), "label": mostly(text, wrong)},
            optional={
                "displayOrder": mostly(whole, wrong),
                "archived": mostly(flag, wrong),
                "metadata": mostly(st.none() | st.just({"probability": "0.2"}), wrong),
            },
        ),
        wrong,
    )
    pipeline = dropping(
        st.fixed_dictionaries(
            {
                "id": mostly(ident, wrong),
                "label": mostly(text, wrong),
                "stages": mostly(st.lists(stage, max_size=2), wrong),
            },
            optional={"displayOrder": mostly(whole, wrong), "archived": mostly(flag, wrong)},
        ),
        wrong,
    )
    argument = (
        st.sampled_from(["5", "^a$", 100, 2.5])
        if not wrong
        else st.sampled_from(["5", 100, 2.5, True, None, []])
    )
    rule = dropping(
        st.fixed_dictionaries(
            {
                "ruleType": mostly(st.sampled_from(["MAX_LENGTH", "REGEX"]), wrong)
                if not wrong
                else st.sampled_from(["MAX_LENGTH"] * 6 + ["", 3]),
                "ruleArguments": mostly(st.lists(argument, max_size=2), wrong),
            },
            optional={"shouldApplyNormalization": mostly(flag, wrong)},
        ),
        wrong,
    )
    rules = dropping(
        st.fixed_dictionaries(
            {
                "propertyName": mostly(st.text(min_size=1, max_size=4), wrong),
                "propertyValidationRules": mostly(st.lists(rule, max_size=2), wrong),
            },
        ),
        wrong,
    )
    object_id = (
        st.sampled_from(["0-1"] * 6 + ["2-123", "0-1\n", "3-1", "0-", "x0-1"])
        if wrong
        else st.sampled_from(["0-1", "0-3", "2-1234567"])
    )
    obj = dropping(
        st.fixed_dictionaries(
            {
                "objectTypeId": mostly(object_id, wrong),
                "name": mostly(st.text(min_size=1, max_size=6), wrong),
                "properties": mostly(st.lists(prop, max_size=3), wrong),
            },
            optional={
                "requiredProperties": mostly(
                    st.lists(st.text(min_size=0 if wrong else 1, max_size=3), max_size=2), wrong
                ),
                "fullyQualifiedName": anything,
                "pipelines": mostly(st.lists(pipeline, max_size=2), wrong),
                "validationRules": mostly(st.lists(rules, max_size=2), wrong),
            },
        ),
        wrong,
    )
    version = (
        st.sampled_from([1, 2] * 4 + [1.0, 2.0, 3, 0, True, "1", None])
        if wrong
        else st.sampled_from([1, 2])
    )
    portal = (
        st.sampled_from([None, 12, "12"] * 3 + [12.0, 12.5, True, []])
        if wrong
        else st.sampled_from([None, 12, "12"])
    )
    return dropping(
        st.fixed_dictionaries(
            {"catalog": version, "objects": mostly(st.lists(obj, max_size=3), wrong)},
            optional={
                "portalId": portal,
                "pulledAt": mostly(text | st.none(), wrong),
                "owners": mostly(st.lists(owner, max_size=2), wrong),
                "extra": anything,
            },
        ),
        wrong,
    )


@settings(max_examples=500, deadline=None)
@given(documents(wrong=True))
def test_fast_path_agrees_with_the_schema(document: Any) -> None:
    document = json.loads(json.dumps(document))  # only what JSON can carry
    assert conforms(document) == VALIDATOR.is_valid(document)


@settings(max_examples=200, deadline=None)
@given(documents(wrong=False))
def test_valid_documents_pass_both(document: Any) -> None:
    document = json.loads(json.dumps(document))
    assert VALIDATOR.is_valid(document)
    assert conforms(document)


@given(anything)
def test_random_json_agrees(document: Any) -> None:
    assert conforms(document) == VALIDATOR.is_valid(document)
