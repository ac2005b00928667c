"""An importRequest people already have, turned into a spec (`specc init --from-request FILE`).

    convert_request_file(path, shown)   -> Conversion: the spec's YAML, or why there is none

Scripts keep hand-written requests in many spellings of one meaning: legacy field names
(`columnObjectType: CONTACT`, `idColumnType`), object names for ids, nulls and `false` flags
that say nothing, HubSpot's defaults written out or left out. The spec says the same request
in specc's words, and "it compiles back to the same request" is checked, not hoped: the spec
written is compiled by specc's own compiler, as `specc compile` would, and compared with the
request as HubSpot reads both (`specc.diff`, the comparison `specc diff` makes). A part of the
request that no spec can say is reported at its place in the request file (SPC152), and then
no spec is written.

One reading is specc's choice, and is said (SPC153): a `dateFormat` inside the files, the
legacy placement, is taken as the import's when every file gives the same.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specc.catalog.jsonpos import JsonPositions
from specc.catalog.objects import default_association_type, resolve_object, standard_objects
from specc.codes import spec as codes
from specc.diagnostics import Diagnostic, Result, Severity, SpecLocation, did_you_mean

# A request file is read as `specc diff --against` reads one: the same bounds, the same words.
from specc.diff import REQUEST_BOUNDS, read_request_json
from specc.json_input import JsonRefused, parse_json
from specc.pointer import join_pointer
from specc.spec.model import DATE_FORMATS, most_named
from specc.spec.resolve import FORMAT_BY_EXTENSION
from specc.spec.templates import has_template

if TYPE_CHECKING:
    from specc.diff import Change

# Schema problems shown at most: a hand-made request may break one rule in every column.
MAX_SCHEMA_PROBLEMS = 50
DEFAULT_DATE_FORMAT = DATE_FORMATS[0]  # HubSpot's, when a request gives none
DEFAULT_FILE_FORMAT = "CSV"  # the legacy docs: fileFormat "defaults to CSV"
EVENT_OBJECT = "0-54"
TOP_LEVEL = (
    "name",
    "importOperations",
    "dateFormat",
    "marketableContactImport",
    "createContactListFromImport",
    "timeZone",
    "marketingEventObjectId",
    "files",
)
_SCHEMA_HINT = "this is a rule HubSpot's documentation states; see `specc schema request`"


@dataclass
class Conversion:
    """What `convert_request_file` made of a request file.

    `spec_text` is the spec's YAML, None when the request cannot become a spec; `result`
    holds the diagnostics, located in the request file, and that file's text (for carets).
    """

    spec_text: str | None
    result: Result


def convert_request_file(path: Path, shown: str) -> Conversion:
    """The spec of the importRequest saved at `path` (`shown` is how messages name it).

    A file that cannot be read (missing, not a regular file, over MAX_REQUEST_BYTES) raises
    InputRefused; anything about its content is a diagnostic.
    """
    result = Result()
    try:
        document = read_request_json(path, shown)
    except JsonRefused as refused:
        result.sources[shown] = refused.text
        result.extend([_not_json(refused, shown)])
        return Conversion(None, result)
    text, request = document.text, document.value
    result.sources[shown] = text
    at = _locator(text, shown)
    problems = schema_problems(request, at)
    if problems:
        result.extend(problems)
        return Conversion(None, result)
    result.files = len(request["files"])  # the data files the request names
    spec_text, found = spec_from_request(request, at, source_name=path.name)
    result.extend(found)
    return Conversion(spec_text, result)


# --- reading --------------------------------------------------------------------------------


def parse_request(data: bytes, shown: str) -> tuple[str, Any, list[Diagnostic]]:
    """(text, request, problems): the JSON of a request's bytes, within REQUEST_BOUNDS;
    SPC151 at the place where it is not JSON specc reads."""
    try:
        document = parse_json(data, REQUEST_BOUNDS, shown)
    except JsonRefused as refused:
        return refused.text, None, [_not_json(refused, shown)]
    return document.text, document.value, []


def _not_json(refused: JsonRefused, shown: str) -> Diagnostic:
    hint = _NOT_JSON_HINTS.get(refused.kind) or refused.hint
    where = SpecLocation(shown, refused.line, refused.column)
    return codes.REQUEST_NOT_JSON.at(f"{shown} {refused.problem}", hint=hint, spec=where)


_NOT_JSON_HINTS = {
    "syntax": "fix the file at this position; a request is the JSON a script sends",
    "too_deep": "an importRequest nests six levels deep: look for an unclosed run of [ or {",
    "long_number": "no importRequest field holds such a number",
}


def schema_problems(request: Any, at: Callable[[str], SpecLocation]) -> list[Diagnostic]:
    """SPC150 for each rule of the bundled importRequest schema the request breaks, as
    `specc compile` words them, located in the request file."""
    from specc.compiler import request_errors, request_is_valid

    if request_is_valid(request):
        return []
    errors = request_errors(request, limit=MAX_SCHEMA_PROBLEMS + 1)
    found = [
        codes.REQUEST_SCHEMA.at(
            f"the request breaks the importRequest schema at {pointer or '/'}: {message}",
            spec=at(pointer),
            hint=_SCHEMA_HINT,
        )
        for pointer, message in errors[:MAX_SCHEMA_PROBLEMS]
    ]
    if len(errors) > MAX_SCHEMA_PROBLEMS:
        found.append(
            codes.REQUEST_SCHEMA.at(
                f"the request breaks the importRequest schema in more places; the first "
                f"{MAX_SCHEMA_PROBLEMS} are shown",
                spec=at(""),
                hint=_SCHEMA_HINT,
            )
        )
    return found


def _locator(text: str, shown: str) -> Callable[[str], SpecLocation]:
    """Pointer -> its place in the request file; positions found on the first call only."""
    positions: JsonPositions | None = None

    def at(pointer: str) -> SpecLocation:
        nonlocal positions
        positions = positions or JsonPositions(text)
        line, column = positions.where(pointer)
        return SpecLocation(shown, line, column, pointer)

    return at


# --- column mappings, current and legacy ---------------------------------------------------


def _column_object(mapping: Mapping[str, Any]) -> Any:
    """The column's object as written: columnObjectTypeId, else the legacy columnObjectType."""
    named = mapping.get("columnObjectTypeId")
    return mapping.get("columnObjectType") if named is None else named


def _column_type(mapping: Mapping[str, Any]) -> Any:
    """columnType, else its legacy name idColumnType."""
    given = mapping.get("columnType")
    return mapping.get("idColumnType") if given is None else given


# --- writing the spec ------------------------------------------------------------------------


def spec_from_request(
    request: Mapping[str, Any], at: Callable[[str], SpecLocation], *, source_name: str
) -> tuple[str | None, list[Diagnostic]]:
    """The spec (YAML) of a request that satisfies the schema, and what to say about it.

    The spec is None when some part of the request has no spec form (SPC152). Otherwise it
    has been compiled and found to be the same request as HubSpot reads it.
    """
    surrogates = [p for p, s in _strings(request, "") if _SURROGATE.search(s)]
    if surrogates:
        return None, [
            codes.REQUEST_NOT_SPEC.at(
                "this text holds a lone surrogate (a \\ud800-\\udfff escape that is half of "
                "a character), which no YAML file can hold",
                spec=at(pointer),
                hint="write the whole character, or remove the escape",
            )
            for pointer in surrogates
        ]
    adopted, found = adopt_date_formats(request, at)
    writer = _SpecWriter(adopted, at, source_name)
    if "dateFormat" not in request and "dateFormat" in adopted:
        writer.date_origin = next(
            f"/files/{i}/dateFormat" for i, f in enumerate(request["files"]) if "dateFormat" in f
        )
    text = writer.write()
    found += writer.diagnostics
    if any(d.severity is Severity.ERROR for d in found):
        return None, found
    problems = _verify(text, adopted, writer, at)
    if problems:
        return None, [*found, *problems]
    return text, found


def adopt_date_formats(
    request: Mapping[str, Any], at: Callable[[str], SpecLocation]
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The request with the legacy per-file `dateFormat` taken as the import's (SPC153 says
    so): when the request gives none and every file gives the same, that one; a file's own
    that repeats the import's goes. What differs stays, for the writer to refuse."""
    files = list(request["files"])
    given = [(i, f["dateFormat"]) for i, f in enumerate(files) if f.get("dateFormat") is not None]
    top = request.get("dateFormat")
    if not given:
        return dict(request), []
    found = []
    if top is None and len(given) == len(files) and len({v for _, v in given}) == 1:
        top = given[0][1]
        found.append(
            codes.REQUEST_NOT_AS_WRITTEN.at(
                f"dateFormat {top} is given in each file (the legacy placement); the spec "
                "says it once for the import, as date_format",
                spec=at(f"/files/{given[0][0]}/dateFormat"),
                hint="HubSpot's documentation puts dateFormat at the top of the request",
            )
        )
    elif top is not None:
        found.extend(
            codes.REQUEST_NOT_AS_WRITTEN.at(
                f"this file's own dateFormat repeats the import's ({top}); the spec says it "
                "once, as date_format",
                spec=at(f"/files/{index}/dateFormat"),
            )
            for index, value in given
            if value == top
        )
    adopted = dict(request)
    if top is not None:
        adopted["dateFormat"] = top
    adopted["files"] = [
        {k: v for k, v in f.items() if k != "dateFormat"} if f.get("dateFormat") == top else f
        for f in files
    ]
    return adopted, found


class _SpecWriter:
    """Writes the spec line by line; `origins` maps each spec pointer written to the request
    pointer it came from, so that what the spec's compile says can point into the request."""

    def __init__(
        self, request: Mapping[str, Any], at: Callable[[str], SpecLocation], source: str
    ) -> None:
        self.request = request
        self.at = at
        self.source = source
        self.lines: list[str] = []
        # The request pointer each line came from; and each spec pointer written.
        self.line_origins: list[str] = []
        self.origins: dict[str, str] = {"": ""}
        self.date_origin = "/dateFormat"  # where the import's dateFormat was found
        self.diagnostics: list[Diagnostic] = []

    def add(self, line: str, origin: str = "") -> None:
        self.lines.append(line)
        self.line_origins.append(origin)

    def cannot(self, pointer: str, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(
            codes.REQUEST_NOT_SPEC.at(message, spec=self.at(pointer), hint=hint)
        )

    def write(self) -> str:
        from specc.draft import SCHEMA_MODELINE

        request = self.request
        self.add(SCHEMA_MODELINE)
        self.add(f"# Written by `specc init --from-request` from {_comment_text(self.source)}; it")
        self.add("# compiles back to the same request, as HubSpot reads it.")
        self.add("specc: 1")
        self.add(f"name: {_value(request['name'])}", "/name")
        self.origins["/name"] = "/name"
        self.unknown_fields()
        self.date_format()
        self.operations()
        for flag, key in (
            ("marketableContactImport", "marketable"),
            ("createContactListFromImport", "create_list"),
        ):
            if isinstance(request.get(flag), bool):
                self.add(f"{key}: {'true' if request[flag] else 'false'}", f"/{flag}")
                self.origins[f"/{key}"] = f"/{flag}"
        if request.get("timeZone") is not None:
            self.add(f"time_zone: {_value(request['timeZone'])}", "/timeZone")
            self.origins["/time_zone"] = "/timeZone"
        if request.get("marketingEventObjectId") is not None:
            number = int(request["marketingEventObjectId"])
            self.add(f"marketing_event: {number}", "/marketingEventObjectId")
            self.origins["/marketing_event"] = "/marketingEventObjectId"
        self.add("files:", "/files")
        for index, entry in enumerate(request["files"]):
            self.file(index, entry)
        return "\n".join(self.lines) + "\n"

    def unknown_fields(self) -> None:
        for key in self.request:
            if key not in TOP_LEVEL:
                self.diagnostics.append(
                    codes.REQUEST_NOT_AS_WRITTEN.at(
                        f"{key!r} is not a field of HubSpot's importRequest; the spec "
                        "leaves it out",
                        spec=self.at(join_pointer("", key)),
                        hint=did_you_mean(key, TOP_LEVEL)
                        or "HubSpot ignores fields it does not know",
                    )
                )

    def date_format(self) -> None:
        top = self.request.get("dateFormat")
        for index, entry in enumerate(self.request["files"]):
            own = entry.get("dateFormat")
            if own is not None:  # one adopt_date_formats could not take as the import's
                reads = f"{top}" if top else f"{DEFAULT_DATE_FORMAT}, HubSpot's default"
                self.cannot(
                    f"/files/{index}/dateFormat",
                    f"this file's own dateFormat {own} differs from the import's ({reads}); "
                    "a spec has one date_format for the whole import",
                    hint="import the files apart, or give every file the same order",
                )
        if top is None:
            self.add(
                f"# date_format: {DEFAULT_DATE_FORMAT}  # HubSpot's default: the request gives none"
            )
            return
        self.origins["/date_format"] = self.date_origin
        self.add(f"date_format: {top}", self.date_origin)

    def operations(self) -> None:
        given = self.request.get("importOperations")
        if not given:
            return
        chosen: dict[str, tuple[str, str]] = {}  # object type id -> (operation, request key)
        for key, operation in given.items():
            here = join_pointer("/importOperations", key)
            object_id = resolve_object(key)
            if object_id is None:
                self.cannot(here, *_unknown_object(key))
                continue
            if object_id in chosen and chosen[object_id][0] != operation:
                self.cannot(
                    here,
                    f"{key!r} and {chosen[object_id][1]!r} name the same object with "
                    f"different operations ({chosen[object_id][0]} and {operation})",
                    hint="keep the one meant",
                )
                continue
            chosen.setdefault(object_id, (operation, key))
        self.add("operations:", "/importOperations")
        for object_id, (operation, key) in chosen.items():
            word = _object_word(object_id)
            origin = join_pointer("/importOperations", key)
            self.add(f"  {word}: {operation.lower()}", origin)
            spec_key = standard_objects()[object_id].name if _standard(object_id) else object_id
            self.origins[join_pointer("/operations", spec_key)] = origin

    def file(self, index: int, entry: Mapping[str, Any]) -> None:
        here = f"/files/{index}"
        spec_here = f"/files/{index}"
        name = str(entry["fileName"])
        file_format = entry.get("fileFormat") or DEFAULT_FILE_FORMAT
        page = entry["fileImportPage"]
        mappings: list[Mapping[str, Any]] = page["columnMappings"]
        file_object = _file_object(mappings)
        self.origins.update(
            {
                spec_here: here,
                spec_here + "/path": here + "/fileName",
                spec_here + "/format": here + "/fileFormat",
                spec_here + "/has_header": here + "/fileImportPage/hasHeader",
                spec_here + "/columns": here + "/fileImportPage/columnMappings",
            }
        )
        self.add(f"  - path: {_value(name)}", here + "/fileName")
        if FORMAT_BY_EXTENSION.get(Path(name).suffix.lower()) != file_format:
            word = "csv" if file_format == "CSV" else "spreadsheet"
            self.add(f"    format: {word}", here + "/fileFormat")
        if file_object is not None:
            self.add(f"    object: {_object_word(file_object)}", here)
            self.origins[spec_here + "/object"] = here + "/fileImportPage/columnMappings"
        if page["hasHeader"] is False:
            self.add("    has_header: false", here + "/fileImportPage/hasHeader")
        self.add("    columns:", here + "/fileImportPage/columnMappings")
        names = [str(m["columnName"]) for m in mappings]
        # The list form, `- {column: NAME, ...}`, holds a header that repeats a name; and any
        # name, where a mapping's key could not (YAML's keys end at 1024 characters).
        listed = len(set(names)) < len(names) or any(len(_key(n)) > 1000 for n in names)
        for number, (column_name, mapping) in enumerate(zip(names, mappings, strict=True)):
            pointer = f"{here}/fileImportPage/columnMappings/{number}"
            fields = self.column(mapping, pointer, file_object)
            if fields is None:
                continue
            spec_pointer = join_pointer(spec_here + "/columns", number if listed else column_name)
            self.origins[spec_pointer] = pointer
            for key, _ in fields:
                field_pointer = pointer + _REQUEST_FIELD.get(key, "")
                self.origins[join_pointer(spec_pointer, key)] = field_pointer
            if listed:
                body = ", ".join(f"{k}: {v}" for k, v in [("column", _value(column_name)), *fields])
                self.add(f"      - {{{body}}}", pointer)
            elif [k for k, _ in fields] == ["property"]:
                self.add(f"      {_key(column_name)}: {fields[0][1]}", pointer)
            else:
                body = ", ".join(f"{k}: {v}" for k, v in fields)
                self.add(f"      {_key(column_name)}: {{{body}}}", pointer)

    def column(
        self, mapping: Mapping[str, Any], pointer: str, file_object: str | None
    ) -> list[tuple[str, str]] | None:
        """The spec's keys and (YAML) values for one column mapping; None when it has none."""
        named = _column_object(mapping)
        object_key = (
            "/columnObjectTypeId" if "columnObjectTypeId" in mapping else "/columnObjectType"
        )
        object_id = resolve_object(named) if isinstance(named, str) else None
        fields: list[tuple[str, str]] = []

        def own_object() -> None:
            if object_id != file_object and object_id is not None:
                fields.append(("object", _object_word(object_id)))

        if mapping.get("ignored") is True:
            fields.append(("ignore", "true"))
            if file_object is None:
                if object_id is None:
                    self.cannot(pointer + object_key, *_unknown_object(named))
                    return None
                own_object()
            return fields
        if object_id is None:
            self.cannot(pointer + object_key, *_unknown_object(named))
            return None
        column_type = _column_type(mapping)
        if column_type == "EVENT_TIMESTAMP":
            if object_id != EVENT_OBJECT:
                self.cannot(
                    pointer + object_key,
                    f"an EVENT_TIMESTAMP column of {named!r}: a spec's event columns always "
                    f"belong to marketing events ({EVENT_OBJECT})",
                    hint=f"give the column columnObjectTypeId {EVENT_OBJECT}",
                )
                return None
            return [("event", str(mapping["marketingEventSubmissionType"]).lower())]
        if column_type == "FLEXIBLE_ASSOCIATION_LABEL":
            target = self.target(mapping, pointer)
            if target is None:
                return None
            fields.append(("label", _object_word(target)))
            own_object()
            return fields
        if isinstance(mapping.get("foreignKeyType"), Mapping):
            if mapping.get("toColumnObjectTypeId") is None:
                self.cannot(
                    pointer + "/foreignKeyType",
                    "a foreignKeyType without toColumnObjectTypeId (the legacy record-id "
                    "association) has no spec form: a spec's `references:` names the object "
                    "the column points at, and compiles to toColumnObjectTypeId",
                    hint="add the toColumnObjectTypeId of the associated object",
                )
                return None
            target = self.target(mapping, pointer)
            if target is None:
                return None
            fields.append(("references", _object_word(target)))
            own_object()
            key = mapping["foreignKeyType"]
            type_id, category = int(key["associationTypeId"]), key["associationCategory"]
            if not (
                category == "HUBSPOT_DEFINED"
                and default_association_type(object_id, target) == type_id
            ):
                fields.append(("association", f"{{type_id: {type_id}, category: {category}}}"))
            return fields
        fields.append(("property", _value(str(mapping["propertyName"]))))
        own_object()
        if column_type in ("HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID"):
            fields.append(("id", "true"))
        elif column_type == "ASSOCIATION_KEYS":
            fields.append(("association_keys", "true"))
        elif column_type == "STANDARD":
            fields.append(("standard", "true"))
        if mapping.get("associationIdentifierColumn") is True:
            fields.append(("association_key", "true"))
        return fields

    def target(self, mapping: Mapping[str, Any], pointer: str) -> str | None:
        named = mapping.get("toColumnObjectTypeId")
        found = resolve_object(named) if isinstance(named, str) else None
        if found is None:
            self.cannot(pointer + "/toColumnObjectTypeId", *_unknown_object(named))
        return found


# Spec column keys -> the request field each compiles to (for pointing into the request).
_REQUEST_FIELD = {
    "property": "/propertyName",
    "object": "/columnObjectTypeId",
    "id": "/columnType",
    "association_keys": "/columnType",
    "standard": "/columnType",
    "event": "/columnType",
    "label": "/toColumnObjectTypeId",
    "references": "/toColumnObjectTypeId",
    "association": "/foreignKeyType",
    "association_key": "/associationIdentifierColumn",
    "ignore": "/ignored",
    "column": "/columnName",
}


def _unknown_object(named: Any) -> tuple[str, str]:
    return (
        f"object {named!r} is neither an object type id nor a standard object's name; a spec "
        "names a custom object by its object type id",
        "write the object's objectTypeId (2-..., from GET /crm/v3/schemas) in the request",
    )


def _file_object(mappings: list[Mapping[str, Any]]) -> str | None:
    """The object most of a file's columns belong to (events and ignored columns aside, when
    there are others), the first of them on a tie; None when no column names one specc knows."""

    def objects(ignored: bool) -> list[str]:
        found = []
        for m in mappings:
            if (m.get("ignored") is True) != ignored or _column_type(m) == "EVENT_TIMESTAMP":
                continue
            named = _column_object(m)
            object_id = resolve_object(named) if isinstance(named, str) else None
            if object_id is not None:
                found.append(object_id)
        return found

    return most_named(objects(ignored=False) or objects(ignored=True))


def _standard(object_id: str) -> bool:
    return object_id in standard_objects()


def _object_word(object_id: str) -> str:
    """How the spec names an object: a standard object's plural name, else its quoted id."""
    if _standard(object_id):
        return standard_objects()[object_id].name
    return json.dumps(object_id)


# --- YAML text -------------------------------------------------------------------------------

# Text YAML reads back as that same text when written bare, in a block or a flow mapping: a
# letter first (no indicator, not a number), then letters, digits, spaces and `_./-` (none of
# `:#,[]{}`), no space at the end. Letters of any script: `Téléphone` needs no quotes.
_PLAIN = re.compile(r"[^\W\d][\w ./-]*\w|[^\W\d]")
# Words some YAML readers take for booleans or null (YAML 1.1 had more than 1.2's core schema).
_NOT_PLAIN = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null"})
_TEMPLATE_CHARACTERS = re.compile(r"[{\r]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _key(text: str) -> str:
    """A YAML scalar for a mapping key: specc renders no template in keys."""
    if _PLAIN.fullmatch(text) and text.lower() not in _NOT_PLAIN:
        return text
    import yaml

    # PyYAML's emitter escapes whatever a reader would not give back as written: line
    # breaks (also U+0085, U+2028, U+2029), controls, a BOM, non-characters.
    quoted: str = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**31)
    return quoted.rstrip("\n")


def _value(text: str) -> str:
    """A YAML scalar for a value, which specc renders as a template when it holds `{{` or `{%`:
    such text is written as a template whose output is the text itself."""
    return _key(_untemplated(text))


def _untemplated(text: str) -> str:
    if not has_template(text):
        return text
    # Every `{` printed by an expression, so no tag is left in the text; `\r` too, since
    # Jinja turns line breaks in a template's text into `\n`.
    return _TEMPLATE_CHARACTERS.sub(
        lambda m: "{{ '{' }}" if m.group() == "{" else "{{ '\\r' }}", text
    )


def _comment_text(text: str) -> str:
    """Text safe in a YAML comment: printable, on one line."""
    if text.isprintable() and text.isascii():
        return text
    return json.dumps(text)


# --- checking the spec written ------------------------------------------------------------------


def _verify(
    spec_text: str,
    request: Mapping[str, Any],
    writer: _SpecWriter,
    at: Callable[[str], SpecLocation],
) -> list[Diagnostic]:
    """SPC152 for whatever keeps the spec from compiling back to the request as HubSpot reads
    it: what its compile refuses, and each field it compiles differently.

    The compile's own hints are left out: they speak of a spec the user has not seen."""
    from specc.secrets import scrub

    if scrub(spec_text) != spec_text:
        where = next((p for p, s in _strings(request, "") if scrub(s) != s), "")
        return [
            codes.REQUEST_NOT_SPEC.at(
                "the request holds text shaped like an access token; specc writes no token into "
                "a file",
                spec=at(where),
                hint="remove it from the request: a column name or property never needs one",
            )
        ]
    compiled, diagnostics = _compile(spec_text)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors or compiled is None:
        return [
            codes.REQUEST_NOT_SPEC.at(
                f"the spec written from this would not compile: {d.message}",
                spec=at(_origin(d, writer)),
            )
            for d in errors
        ]
    from specc.diff import diff_requests

    # Before: what the spec compiles to; after: the request. So each change's `where` points
    # into the request.
    return [
        codes.REQUEST_NOT_SPEC.at(_change_message(change), spec=at(_field_pointer(request, change)))
        for change in diff_requests(compiled, request)
    ]


def _change_message(change: Change) -> str:
    from specc.diff import change_line, one_line

    if change.kind != "changed":
        return f"no spec compiles to this: {change_line(change)[2:]} in the request"
    what = change.field.replace("_", " ")
    if change.column is not None:
        what += f" of column {one_line(json.dumps(change.column, ensure_ascii=False))}"
    if change.file is not None:
        what += f" in {one_line(change.file)}"
    if change.object is not None:
        what += f" of {change.object}"

    def shown(value: Any) -> str:
        return "none" if value is None else one_line(json.dumps(value, ensure_ascii=False))

    return (
        f"a spec cannot say this: the request's {what} is {shown(change.after)}; the closest "
        f"spec compiles it to {shown(change.before)}"
    )


def _compile(spec_text: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """`specc compile` of the spec text, in a folder of its own (so the data files' paths
    lead nowhere else), with no template variables and no environment."""
    from specc.pipeline import compile_spec
    from specc.run import Options

    with tempfile.TemporaryDirectory(prefix="specc-from-request-") as folder:
        root = Path(folder).resolve()
        spec_path = root / "spec.yaml"
        spec_path.write_text(spec_text, encoding="utf-8", newline="")
        request, result = compile_spec(spec_path, Options(cwd=root, environ={}))
    return request, result.diagnostics


def _origin(diagnostic: Diagnostic, writer: _SpecWriter) -> str:
    """The request pointer a diagnostic of the written spec came from: by its spec pointer
    (or the nearest ancestor written), else by its line (the loader's own problems, such as a
    number out of range, name a line only)."""
    where = diagnostic.spec
    if where is None:
        return ""
    probe = where.pointer
    while probe not in writer.origins:
        probe = probe.rsplit("/", 1)[0] if "/" in probe else ""
    if probe or not 0 < where.line <= len(writer.line_origins):
        return writer.origins[probe]
    return writer.line_origins[where.line - 1]


# A changed column field -> the mapping keys that say it, current and legacy.
_MAPPING_KEYS = {
    "object": ("columnObjectTypeId", "columnObjectType"),
    "property": ("propertyName",),
    "id": ("columnType", "idColumnType"),
    "association_keys": ("columnType", "idColumnType"),
    "column_type": ("columnType", "idColumnType"),
    "event": ("marketingEventSubmissionType", "columnType"),
    "label": ("toColumnObjectTypeId",),
    "references": ("toColumnObjectTypeId", "foreignKeyType"),
    "association": ("foreignKeyType",),
    "association_key": ("associationIdentifierColumn",),
    "ignore": ("ignored",),
}


def _field_pointer(request: Mapping[str, Any], change: Change) -> str:
    """Where a change lives in the request: the mapping key that says a changed column field,
    when the mapping has it; else the node `specc.diff` names."""
    parts = change.where.split("/")
    if change.kind != "changed" or change.column is None or len(parts) != 6:
        return change.where
    _, _, file_index, _, _, column_index = parts
    mapping = request["files"][int(file_index)]["fileImportPage"]["columnMappings"][
        int(column_index)
    ]
    for key in _MAPPING_KEYS.get(change.field, ()):
        if mapping.get(key) is not None:
            return f"{change.where}/{key}"
    return change.where


def _strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            here = join_pointer(pointer, key)
            yield here, str(key)
            yield from _strings(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, join_pointer(pointer, index))
