"""Catalog snapshots: one account's objects and properties, as a JSON file (spec-format.md).

    load_snapshot(path, shown)   -> (Catalog or None, diagnostics)   for a spec's `catalog:`
    snapshot_document(objects, portal_id, pulled_at, owners) -> dict  for `specc catalog pull`
    write_snapshot(data, path)                                        validated, atomic

A snapshot is the account's truth, unlike the bundled catalog: a property it lacks is an error,
and its options are every value the account accepts, except where the options are held
elsewhere (`externalOptions: true` and no options: owners, pipelines, currencies). Format 2
adds those: the account's `owners`, and per object its `pipelines` and `validationRules`; a
key that is absent means "not known" (None in the model), an empty one "there are none".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from specc.catalog.jsonpos import JsonPositions
from specc.catalog.model import (
    Catalog,
    ObjectType,
    Option,
    Owner,
    Pipeline,
    PipelineStage,
    Property,
    ValidationRule,
)
from specc.catalog.objects import standard_objects
from specc.catalog.required import alternate_ids, snapshot_rule
from specc.codes import catalog as codes
from specc.diagnostics import Diagnostic, SpecLocation
from specc.errors import SpeccError
from specc.inputs import InputRefused
from specc.json_input import (
    DEFAULT_MAX_INTEGER_DIGITS,
    JsonBounds,
    JsonRefused,
    parse_json,
    read_json,
)
from specc.pointer import pointer_of

# What `catalog pull` writes; every version in READ_VERSIONS loads.
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)
# Past this many schema errors the rest are noise: the file is probably not a snapshot.
MAX_FORMAT_ERRORS = 20
PULL_HINT = "pull it again with `specc catalog pull -o FILE`"

# What a snapshot may hold, so that no file makes specc hang, overflow its stack or take more
# than 1 GiB. By our estimate the largest account HubSpot allows has some 30 objects of up to
# ~1,500 properties (1,000 custom ones each), a tenth of them enumerations with tens of
# options: about 45,000 properties, 40 MB as `catalog pull` writes it (the hostile-input case
# catalog/largest-account lints such a snapshot of 36 MiB in 1.6 s and 200 MiB). A 65 MiB
# snapshot of 74,000 properties (2.4 million JSON values) loads in 2.2 s and peaks at 400 MiB
# (json.loads alone: 300 MiB).
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
# Size alone does not bound memory: 63 MiB of `[{},{},...]` are 21 million values, and
# json.loads needs 1.6 GiB for them. A real snapshot has a value per 17-27 bytes (under 4
# million at 64 MiB); 5 million of the smallest values take json.loads under 500 MiB.
MAX_SNAPSHOT_VALUES = 5_000_000
# A snapshot nests six levels deep; deeper JSON is refused before it is parsed, so that neither
# json.loads nor the position finder recurses without bound.
MAX_DEPTH = 64
# No catalog field holds a number a tenth as long (specc.json_input says why a bound at all).
MAX_INTEGER_DIGITS = DEFAULT_MAX_INTEGER_DIGITS
_SIZE_HINT = (
    "is this a catalog snapshot? A whole account's is some tens of MB; pull only the objects "
    "the specs use with `specc catalog pull --object OBJ -o FILE`"
)


class SnapshotWriteError(SpeccError):
    """A snapshot could not be written: its content breaks the format, or the file system."""


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from specc.schemas import load_schema

    return Draft202012Validator(load_schema("catalog"))


# --- reading --------------------------------------------------------------------------------


def _bounds() -> JsonBounds:
    return JsonBounds(
        max_bytes=MAX_SNAPSHOT_BYTES,
        max_values=MAX_SNAPSHOT_VALUES,
        max_depth=MAX_DEPTH,
        max_integer_digits=MAX_INTEGER_DIGITS,
    )


def load_snapshot(path: Path, shown: str) -> tuple[Catalog | None, list[Diagnostic]]:
    """The catalog a snapshot file describes; None when it cannot be trusted.

    `shown` is the path as diagnostics show it. Problems inside the file point at their line
    and column in it; a missing or unreadable file has no location (the caller points at the
    spec's `catalog:` key).
    """
    try:
        # Only regular files, never more than the cap: a FIFO or /dev/zero ends here at once.
        document = read_json(path, _bounds(), shown=shown, size_hint=_SIZE_HINT)
    except InputRefused as refused:
        if refused.kind == "missing":
            return None, [
                codes.SNAPSHOT_NOT_FOUND.at(
                    f"catalog snapshot {shown} does not exist",
                    hint="the path is relative to the spec file; or write it with "
                    "`specc catalog pull -o FILE`",
                )
            ]
        return None, [
            codes.SNAPSHOT_UNREADABLE.at(
                f"cannot read catalog snapshot {shown}: it {refused.reason}",
                hint=refused.hint or "name a JSON file specc may read",
            )
        ]
    except JsonRefused as refused:
        return None, [_refusal(refused, shown)]
    return _checked(document.value, document.text, shown)


def parse_snapshot(text: str, shown: str) -> tuple[Catalog | None, list[Diagnostic]]:
    """The catalog a snapshot's text describes (see `load_snapshot`)."""
    try:
        document = parse_json(text, _bounds(), shown)
    except JsonRefused as refused:
        return None, [_refusal(refused, shown)]
    return _checked(document.value, text, shown)


def _checked(document: Any, text: str, shown: str) -> tuple[Catalog | None, list[Diagnostic]]:
    problems = format_problems(document, text, shown)
    if problems:
        return None, problems
    return _catalog(document, text, shown)


def _refusal(refused: JsonRefused, shown: str) -> Diagnostic:
    """SPC351 for JSON too large to read (too many values, not UTF-8), SPC352 for what is
    not JSON within specc's bounds, at its place in the file."""
    if refused.kind == "too_many_values":
        return codes.SNAPSHOT_UNREADABLE.at(
            f"cannot read catalog snapshot {shown}: it {refused.problem}", hint=_SIZE_HINT
        )
    where = SpecLocation(shown, refused.line, refused.column)
    if refused.kind == "not_utf8":
        hint = f"{refused.hint or 'save it as UTF-8'}, or {PULL_HINT}"
        return codes.SNAPSHOT_UNREADABLE.at(
            f"catalog snapshot {shown} {refused.problem}", hint=hint, spec=where
        )
    hints = {
        "too_deep": f"a snapshot nests six levels deep: look for an unclosed run of [ or {{, "
        f"or {PULL_HINT}",
        "long_number": f"no catalog field holds such a number: fix the file here, or {PULL_HINT}",
    }
    hint = hints.get(refused.kind) or f"fix the file at this position, or {PULL_HINT}"
    return codes.SNAPSHOT_NOT_JSON.at(
        f"catalog snapshot {shown} {refused.problem}", hint=hint, spec=where
    )


def _locator(text: str, shown: str) -> Callable[[str], SpecLocation]:
    """Pointer -> its place in the snapshot; positions are found on the first call only,
    since a clean snapshot never needs them."""
    positions: JsonPositions | None = None

    def at(pointer: str) -> SpecLocation:
        nonlocal positions
        positions = positions or JsonPositions(text)
        line, column = positions.where(pointer)
        return SpecLocation(shown, line, column, pointer)

    return at


def format_problems(document: Any, text: str, shown: str) -> list[Diagnostic]:
    """SPC353/SPC354: what keeps a JSON document from being a catalog snapshot."""
    if conforms(document):
        return []
    at = _locator(text, shown)

    if isinstance(document, dict) and "catalog" in document:
        version = document["catalog"]
        if version not in READ_VERSIONS and not isinstance(version, bool):
            return [
                codes.SNAPSHOT_VERSION.at(
                    f"catalog snapshot {shown} has format version {json.dumps(version)}; "
                    f"this specc reads versions {' and '.join(map(str, READ_VERSIONS))}",
                    hint=f"upgrade specc, or {PULL_HINT}",
                    spec=at("/catalog"),
                )
            ]
    errors = sorted(_validator().iter_errors(document), key=_error_order)
    found = []
    for error in errors[:MAX_FORMAT_ERRORS]:
        pointer = pointer_of(error.absolute_path)
        found.append(
            codes.SNAPSHOT_INVALID.at(
                f"catalog snapshot {shown}: {_describe(error, pointer)}",
                hint=_format_hint(document, pointer),
                spec=at(pointer),
            )
        )
    if len(errors) > MAX_FORMAT_ERRORS:
        found.append(
            codes.SNAPSHOT_INVALID.at(
                f"catalog snapshot {shown}: {len(errors) - MAX_FORMAT_ERRORS} more format "
                "errors not shown",
                hint=f"is this a catalog snapshot? {PULL_HINT}",
                spec=at(""),
            )
        )
    return found


# --- a fast path for the schema --------------------------------------------------------------
# jsonschema takes ~0.4 s on a whole account's snapshot, too slow for `lint` in a pre-commit
# hook. `conforms` answers the same yes/no as catalog.schema.json in a few milliseconds;
# jsonschema runs only when it says no, to describe the problems. A Hypothesis test keeps the
# two in agreement.

_OBJECT_TYPE_ID = re.compile(r"^[02]-[0-9]+$")  # searched, like a JSON Schema pattern
_OPTIONAL_STRINGS = ("label", "referencedObjectType", "numberDisplayHint", "textDisplayHint")
_OPTIONAL_BOOLS = ("hasUniqueValue", "calculated", "externalOptions")
_METADATA_BOOLS = ("readOnlyValue", "readOnlyOptions", "readOnlyDefinition", "archivable")


def _is_text(value: Any, min_length: int = 0) -> bool:
    return isinstance(value, str) and len(value) >= min_length


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _optional(data: dict[str, Any], key: str, test: Any) -> bool:
    return key not in data or data[key] is None or test(data[key])


def conforms(document: Any) -> bool:
    """Whether the document is valid against catalog.schema.json."""
    if not isinstance(document, dict) or "catalog" not in document or "objects" not in document:
        return False
    version = document["catalog"]
    if isinstance(version, bool) or not isinstance(version, int | float):
        return False
    if version not in READ_VERSIONS:
        return False
    if not _optional(document, "portalId", lambda v: _is_integer(v) or isinstance(v, str)):
        return False
    if not _optional(document, "pulledAt", _is_text):
        return False
    if "owners" in document and not _all(document["owners"], _owner_conforms):
        return False
    objects = document["objects"]
    return isinstance(objects, list) and all(_object_conforms(o) for o in objects)


def _all(items: Any, test: Callable[[Any], bool]) -> bool:
    return isinstance(items, list) and all(test(item) for item in items)


def _is_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        or (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    )


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _owner_conforms(owner: Any) -> bool:
    return (
        isinstance(owner, dict)
        and "id" in owner
        and _is_id(owner["id"])
        and all(_optional(owner, k, _is_text) for k in ("email", "firstName", "lastName"))
        and _optional(owner, "userId", _is_integer)
        and _optional(owner, "archived", _is_bool)
    )


def _stage_conforms(stage: Any) -> bool:
    return (
        isinstance(stage, dict)
        and "id" in stage
        and _is_id(stage["id"])
        and _is_text(stage.get("label"))
        and _optional(stage, "displayOrder", _is_integer)
        and _optional(stage, "archived", _is_bool)
        and _optional(stage, "metadata", lambda v: isinstance(v, dict))
    )


def _pipeline_conforms(pipeline: Any) -> bool:
    return (
        isinstance(pipeline, dict)
        and "id" in pipeline
        and _is_id(pipeline["id"])
        and _is_text(pipeline.get("label"))
        and _optional(pipeline, "displayOrder", _is_integer)
        and _optional(pipeline, "archived", _is_bool)
        and "stages" in pipeline
        and _all(pipeline["stages"], _stage_conforms)
    )


def _rule_conforms(rule: Any) -> bool:
    return (
        isinstance(rule, dict)
        and _is_text(rule.get("ruleType"), 1)
        and "ruleArguments" in rule
        and _all(
            rule["ruleArguments"],
            lambda a: isinstance(a, str | int | float) and not isinstance(a, bool),
        )
        and _optional(rule, "shouldApplyNormalization", _is_bool)
    )


def _rules_conforms(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and _is_text(entry.get("propertyName"), 1)
        and "propertyValidationRules" in entry
        and _all(entry["propertyValidationRules"], _rule_conforms)
    )


def _object_conforms(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    oid = entry.get("objectTypeId")
    if not isinstance(oid, str) or _OBJECT_TYPE_ID.search(oid) is None:
        return False
    if not _is_text(entry.get("name"), 1):
        return False
    if "requiredProperties" in entry:
        required = entry["requiredProperties"]
        if not isinstance(required, list) or not all(_is_text(r, 1) for r in required):
            return False
    if "pipelines" in entry and not _all(entry["pipelines"], _pipeline_conforms):
        return False
    if "validationRules" in entry and not _all(entry["validationRules"], _rules_conforms):
        return False
    properties = entry.get("properties")
    return isinstance(properties, list) and all(_property_conforms(p) for p in properties)


def _property_conforms(prop: Any) -> bool:
    if not isinstance(prop, dict):
        return False
    if not (
        _is_text(prop.get("name"), 1)
        and _is_text(prop.get("type"), 1)
        and _is_text(prop.get("fieldType"), 1)
    ):
        return False
    if not all(_optional(prop, k, _is_text) for k in _OPTIONAL_STRINGS):
        return False
    if not all(_optional(prop, k, lambda v: isinstance(v, bool)) for k in _OPTIONAL_BOOLS):
        return False
    if "options" in prop:
        options = prop["options"]
        if not isinstance(options, list) or not all(_option_conforms(o) for o in options):
            return False
    if "modificationMetadata" in prop:
        meta = prop["modificationMetadata"]
        if not isinstance(meta, dict):
            return False
        if not all(_optional(meta, k, lambda v: isinstance(v, bool)) for k in _METADATA_BOOLS):
            return False
    return True


def _option_conforms(option: Any) -> bool:
    return (
        isinstance(option, dict)
        and isinstance(option.get("value"), str)
        and _optional(option, "label", _is_text)
        and _optional(option, "hidden", lambda v: isinstance(v, bool))
    )


def _error_order(error: Any) -> list[tuple[int, int | str]]:
    """Errors in document order: array indexes compare as numbers."""
    return [(0, p) if isinstance(p, int) else (1, p) for p in error.absolute_path]


def _describe(error: Any, pointer: str) -> str:
    where = f"at {pointer}" if pointer else "at the top level"
    return f"{error.message} ({where})"


def _format_hint(document: Any, pointer: str) -> str:
    if pointer == "" and isinstance(document, dict) and "results" in document:
        return (
            'this looks like a properties API response; a snapshot is {"catalog": 1, '
            '"objects": [{"objectTypeId": ..., "name": ..., "properties": <its results>}]}'
        )
    if pointer == "" and isinstance(document, list):
        return 'a snapshot is an object: {"catalog": 1, "objects": [...]}'
    return f"`specc schema catalog` shows the format; or {PULL_HINT}"


def _catalog(document: dict[str, Any], text: str, shown: str) -> tuple[Catalog, list[Diagnostic]]:
    """The Catalog of a document that follows the format, and warnings about its content."""
    at = _locator(text, shown)

    found: list[Diagnostic] = []
    objects: dict[str, ObjectType] = {}
    standard = standard_objects()
    for i, entry in enumerate(document["objects"]):
        oid = entry["objectTypeId"]
        pointer = f"/objects/{i}"
        if oid in objects:
            found.append(
                codes.DUPLICATE_OBJECT.at(
                    f"{oid} is listed twice in catalog snapshot {shown}; the first entry is used",
                    hint="remove one of the two entries",
                    spec=at(f"{pointer}/objectTypeId"),
                )
            )
            continue
        info = standard.get(oid)
        name = entry["name"]
        if info is not None and name.lower() not in {info.name, info.singular}:
            found.append(
                codes.OBJECT_NAME_MISMATCH.at(
                    f"object {oid} is {info.name}, but catalog snapshot {shown} names it '{name}'",
                    hint=f"its properties are checked as those of {info.name}; "
                    "fix the name or the id",
                    spec=at(f"{pointer}/name"),
                )
            )
        properties: dict[str, Property] = {}
        for j, raw in enumerate(entry["properties"]):
            if raw["name"] in properties:
                found.append(
                    codes.DUPLICATE_PROPERTY.at(
                        f"{oid} lists property '{raw['name']}' twice in catalog snapshot "
                        f"{shown}; the first entry is used",
                        hint="remove one of the two entries",
                        spec=at(f"{pointer}/properties/{j}/name"),
                    )
                )
                continue
            properties[raw["name"]] = snapshot_property(raw, oid)
        required = entry.get("requiredProperties")
        for j, prop in enumerate(required or ()):
            if prop not in properties:
                found.append(
                    codes.REQUIRED_NOT_LISTED.at(
                        f"{oid} requires '{prop}', but catalog snapshot {shown} does not "
                        "list that property",
                        hint=f"add the property's definition, or {PULL_HINT}",
                        spec=at(f"{pointer}/requiredProperties/{j}"),
                    )
                )
        objects[oid] = ObjectType(
            object_type_id=oid,
            name=info.name if info is not None else name,
            properties=properties,
            required=snapshot_rule(oid, required),
            alternate_ids=alternate_ids(oid),
            pipelines=_pipelines(entry["pipelines"]) if "pipelines" in entry else None,
            validation_rules=_validation_rules(entry["validationRules"])
            if "validationRules" in entry
            else None,
        )
    owners = _owners(document["owners"]) if "owners" in document else None
    catalog = Catalog(
        objects=objects,
        is_snapshot=True,
        source=shown,
        owners=owners,
        snapshot_format=int(document["catalog"]),
    )
    return catalog, found


def _text_id(value: Any) -> str:
    """An id as the API writes it: a string (`1.0` in a hand-written file is `1`)."""
    if isinstance(value, float):
        return str(int(value))
    return str(value)


def _owners(raw: list[dict[str, Any]]) -> tuple[Owner, ...]:
    return tuple(
        Owner(
            id=_text_id(o["id"]),
            email=o.get("email") or None,
            first_name=o.get("firstName") or None,
            last_name=o.get("lastName") or None,
            user_id=int(o["userId"]) if o.get("userId") is not None else None,
            archived=bool(o.get("archived")),
        )
        for o in raw
    )


def _pipelines(raw: list[dict[str, Any]]) -> tuple[Pipeline, ...]:
    return tuple(
        Pipeline(
            id=_text_id(p["id"]),
            label=p["label"],
            stages=tuple(
                PipelineStage(
                    id=_text_id(s["id"]),
                    label=s["label"],
                    display_order=int(s.get("displayOrder") or 0),
                    archived=bool(s.get("archived")),
                    metadata={str(k): str(v) for k, v in (s.get("metadata") or {}).items()},
                )
                for s in p["stages"]
            ),
            display_order=int(p.get("displayOrder") or 0),
            archived=bool(p.get("archived")),
        )
        for p in raw
    )


def _validation_rules(raw: list[dict[str, Any]]) -> dict[str, tuple[ValidationRule, ...]]:
    """Rules by property name; a property listed twice keeps the rules of both entries."""
    rules: dict[str, tuple[ValidationRule, ...]] = {}
    for entry in raw:
        found = tuple(
            ValidationRule(
                rule_type=r["ruleType"],
                arguments=tuple(_argument(a) for a in r["ruleArguments"]),
                normalize=bool(r.get("shouldApplyNormalization")),
            )
            for r in entry["propertyValidationRules"]
        )
        name = entry["propertyName"]
        rules[name] = rules.get(name, ()) + found
    return rules


def _argument(value: str | float) -> str:
    """Rule arguments are strings in HubSpot's answers; a hand-written 100 means "100"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Properties whose string values HubSpot parses by a format of their own (PROVENANCE.md, Term
# values): line items' and products' term.
_VALUE_FORMATS = {
    ("0-7", "hs_recurring_billing_period"): "term",
    ("0-8", "hs_recurring_billing_period"): "term",
}


def snapshot_property(raw: dict[str, Any], object_type_id: str | None = None) -> Property:
    """A property as the account defines it (spec-format.md, "Catalog snapshots").

    A missing `readOnlyValue` means writable; `null` means unknown. Options are complete for
    enumerations, unless they are held elsewhere (`externalOptions` with no options). A bool's
    options are only its labels: HubSpot also takes true/false/yes/no, which the value checks
    know, so they are never "complete". Who controls an option list follows the bundle's rule
    (PROVENANCE.md, "Option lists"): HubSpot for booleans and `readOnlyOptions: true`, else the
    account.
    """
    meta = raw.get("modificationMetadata") or {}
    read_only = meta.get("readOnlyValue", False)
    options = tuple(
        Option(str(o.get("label") or o["value"]), o["value"], bool(o.get("hidden")))
        for o in raw.get("options") or ()
    )
    external = bool(raw.get("externalOptions"))
    complete = raw["type"] == "enumeration" and not (external and not options)
    editable: bool | None = None
    if raw["type"] == "bool" or raw["fieldType"] == "booleancheckbox":
        editable = False
    elif raw["type"] == "enumeration":
        editable = meta.get("readOnlyOptions") is not True
    return Property(
        name=raw["name"],
        type=raw["type"],
        field_type=raw["fieldType"],
        label=raw.get("label"),
        options=options,
        options_complete=complete,
        external_options=external,
        referenced_object_type=raw.get("referencedObjectType"),
        has_unique_value=bool(raw.get("hasUniqueValue")),
        read_only=read_only if isinstance(read_only, bool) else None,
        calculated=bool(raw.get("calculated")),
        number_display_hint=raw.get("numberDisplayHint"),
        text_display_hint=raw.get("textDisplayHint"),
        raw=raw,
        read_only_options=meta.get("readOnlyOptions"),
        options_listed_complete=complete,
        options_editable=editable,
        show_currency_symbol=raw.get("showCurrencySymbol") is True,
        value_format=_VALUE_FORMATS.get((object_type_id or "", raw["name"])),
    )


# --- writing (for `specc catalog pull`) -----------------------------------------------------


def snapshot_document(
    objects: list[dict[str, Any]],
    portal_id: int | str | None,
    pulled_at: datetime | str | None = None,
    owners: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A format 2 snapshot of these objects, ordered for stable diffs (objects by id,
    properties by name, owners by id, validation rules by property).

    Each object is `{"objectTypeId", "name", "properties": [...], "requiredProperties"?,
    "pipelines"?, "validationRules"?}`, its properties as `GET /crm/v3/properties/{objectType}`
    returns them. Leave `requiredProperties` out for standard objects (HubSpot's schemas only
    give it for custom objects); the documented rule applies then. Leave out what was not
    pulled (`owners` None, no `pipelines` key): a snapshot says "not known" by the key's
    absence.
    """
    if pulled_at is None:
        pulled_at = datetime.now(UTC)
    if isinstance(pulled_at, datetime):
        pulled_at = pulled_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ordered = []
    for obj in sorted(objects, key=lambda o: _id_key(str(o.get("objectTypeId", "")))):
        entry = dict(obj)
        entry["properties"] = sorted(
            obj.get("properties") or [], key=lambda p: str(p.get("name", ""))
        )
        if "validationRules" in obj:
            entry["validationRules"] = sorted(
                obj["validationRules"], key=lambda r: str(r.get("propertyName", ""))
            )
        ordered.append(entry)
    document: dict[str, Any] = {
        "catalog": FORMAT_VERSION,
        "portalId": portal_id,
        "pulledAt": pulled_at,
    }
    if owners is not None:
        document["owners"] = sorted(owners, key=lambda o: _id_key(str(o.get("id", ""))))
    document["objects"] = ordered
    return document


def _id_key(object_type_id: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in object_type_id.split("-"))
    except ValueError:
        return (1 << 30,)


def write_snapshot(data: dict[str, Any], path: Path) -> None:
    """Write a snapshot document atomically (temp file + rename), after checking its format.

    Raises SnapshotWriteError when the document breaks the catalog format or the file cannot
    be written; a half-written snapshot never replaces a good one.
    """
    errors = [] if conforms(data) else sorted(_validator().iter_errors(data), key=_error_order)
    if errors:
        first = errors[0]
        raise SnapshotWriteError(
            f"the catalog snapshot would break the catalog format: {first.message} "
            f"(at {pointer_of(first.absolute_path) or 'the top level'})",
            hint="this is a bug in specc or an unexpected answer from HubSpot",
        )
    from specc.atomic import write_text_atomic  # `lint` loads this module but never writes

    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    target = Path(path)
    try:
        # A snapshot holds no secret; a replaced one keeps its mode.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        write_text_atomic(target, text, mode)
    except OSError as exc:
        raise SnapshotWriteError(
            f"cannot write catalog snapshot {target}: {exc.strerror or exc}",
            hint="check that the folder exists and is writable",
        ) from exc
