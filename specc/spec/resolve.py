"""From a spec file to the resolved `Spec`: read, render templates, check structure, resolve.

`load_and_resolve` is the one entry point (pipeline.load_spec). It reports every structural
mistake it can find in one pass, each at its key or value. A spec with any such error gives no
`Spec`: the catalog, header and request checks would run on a half-resolved model and only
repeat or obscure the errors already reported. Warnings and notes do not hold a spec back.

What is checked here is the shape the spec format defines: keys, types, allowed values, object
names, column kinds and how they combine, paths. Whether a property exists or may be written is
the catalog's business (specc.rules).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from specc.catalog.objects import (
    OBJECT_TYPE_ID,
    default_association_type,
    object_label,
    object_names,
    resolve_object,
)
from specc.codes import Code
from specc.codes import spec as codes
from specc.diagnostics import Diagnostic, Severity, SpecLocation, did_you_mean
from specc.inputs import ROOTS_WORDS, file_problem, input_roots, real_path, roots_hint, within
from specc.pointer import join_pointer
from specc.run import Loaded, Options
from specc.spec.loader import (
    Document,
    NumberTooLarge,
    number_too_large,
    read_spec,
    whole_number,
)
from specc.spec.model import (
    ASSOCIATION_CATEGORIES,
    DATE_FORMATS,
    EVENT_TYPES,
    OPERATIONS,
    Association,
    Checks,
    Column,
    DataFile,
    SourceMap,
    Spec,
)
from specc.spec.templates import (
    Renderer,
    TemplateNames,
    TemplateProblem,
    has_template,
    is_forbidden_env,
    valid_env_name,
)

SPEC_VERSION = 1
TOP_KEYS = (
    "specc",
    "name",
    "date_format",
    "operations",
    "marketable",
    "create_list",
    "time_zone",
    "marketing_event",
    "catalog",
    "objects",
    "vars",
    "env",
    "checks",
    "files",
)
FILE_KEYS = ("path", "format", "object", "has_header", "columns")
COLUMN_KEYS = (
    "property",
    "object",
    "id",
    "association_key",
    "references",
    "association",
    "label",
    "association_keys",
    "event",
    "ignore",
    "allow",
    "standard",
)
LIST_COLUMN_KEYS = ("column", *COLUMN_KEYS)
ASSOCIATION_KEYS = ("type_id", "category")
CHECKS_KEYS = ("rows", "max_errors", "allow")
FORMATS = {"csv": "CSV", "spreadsheet": "SPREADSHEET"}
FORMAT_BY_EXTENSION = {".csv": "CSV", ".xlsx": "SPREADSHEET", ".xls": "SPREADSHEET"}
MARKETING_EVENTS = "0-54"
RECORD_ID = "hs_object_id"
CODE_PATTERN = re.compile(r"^SPC\d{3}$")
# Pointers whose strings are not templates: the version, and the env allow-list itself.
# `vars` are rendered first, on their own (they cannot refer to each other).
_NOT_RENDERED = ("/specc", "/env", "/vars")
_COLUMN_KINDS = ("property", "label", "event", "references")


def load_and_resolve(path: Path, options: Options) -> Loaded:
    """Read the spec at `path` (relative to options.cwd) and resolve it."""
    shown = str(path)
    absolute = Path(os.path.normpath(path if path.is_absolute() else options.cwd / path))
    document = read_spec(absolute, shown)
    if document.data is None:
        return Loaded(path, document.text, None, list(document.diagnostics))
    resolver = _Resolver(document, absolute, options)
    spec = resolver.resolve()
    if resolver.has_errors:
        spec = None
    return Loaded(path, document.text, spec, [*document.diagnostics, *resolver.diagnostics])


_DATE_PART = {"D": "DAY", "M": "MONTH", "Y": "YEAR"}


def _date_pattern_hint(value: str) -> str | None:
    """`DD/MM/YYYY`, `%m-%d-%y`: a pattern for the date order HubSpot names in words."""
    parts = [_DATE_PART[run[0]] for run in re.findall(r"D+|M+|Y+", value.upper())]
    if sorted(parts) != ["DAY", "MONTH", "YEAR"]:
        return None
    order = "_".join(parts)
    if order in DATE_FORMATS:
        return f"HubSpot names the order, not the pattern: date_format: {order}"
    return (
        f"HubSpot reads no {order} dates: only "
        + ", ".join(DATE_FORMATS)
        + "; rewrite the file's dates in one of those orders"
    )


def _only_ignored(column: Any) -> bool:
    """`{ignore: true}` (in a list, with its `column:`) and nothing else: what a column with an
    empty header may say."""
    return (
        isinstance(column, dict)
        and column.get("ignore") is True
        and set(column) <= {"ignore", "column", "allow"}
    )


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Resolver:
    def __init__(self, document: Document, spec_path: Path, options: Options) -> None:
        self.data: dict[str, Any] = document.data
        self.source_map: SourceMap = document.source_map
        self.spec_path = spec_path
        self.options = options
        self.diagnostics: list[Diagnostic] = []
        self.rendered: set[str] = set()  # pointers of strings produced by templates
        self.aliases: dict[str, str] = {}
        # The one place the folders a spec's paths may lead into are decided: the spec's own
        # folder is one of them, as its paths are written relative to it.
        self.roots = input_roots(options.cwd, options.data_roots, spec_path.parent)

    # --- reporting -------------------------------------------------------------------------

    def where(self, pointer: str, value: bool = False) -> SpecLocation:
        return self.source_map.where(pointer, value=value)

    def report(
        self,
        code: Code,
        pointer: str,
        message: str,
        *,
        hint: str | None = None,
        value: bool = False,
        severity: Severity | None = None,
    ) -> None:
        self.diagnostics.append(
            code.at(message, hint=hint, spec=self.where(pointer, value), severity=severity)
        )

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def unknown_keys(
        self, mapping: Mapping[str, Any], pointer: str, known: Iterable[str], where: str
    ) -> None:
        known = tuple(known)
        for key in mapping:
            if key not in known:
                self.report(
                    codes.UNKNOWN_KEY,
                    join_pointer(pointer, key),
                    f"unknown key {key!r} in {where}",
                    hint=did_you_mean(key, known) or "known keys: " + ", ".join(known),
                )

    def wrong_type(self, pointer: str, key: str, expected: str, got: Any) -> None:
        hint = None
        if expected == "text" and isinstance(got, int | float | bool):
            hint = "quote the value to make it text"
        self.report(
            codes.WRONG_TYPE,
            pointer,
            f"{key} must be {expected}, not {type_name(got)}",
            hint=hint,
            value=True,
        )

    # --- typed values ----------------------------------------------------------------------

    def text(
        self,
        mapping: Mapping[str, Any],
        key: str,
        pointer: str,
        *,
        required: bool = False,
        what: str = "",
    ) -> str | None:
        here = join_pointer(pointer, key)
        if key not in mapping:
            if required:
                self.report(codes.MISSING_KEY, pointer, f"{what or 'this'} needs {key!r}")
            return None
        value = mapping[key]
        if not isinstance(value, str):
            self.wrong_type(here, key, "text", value)
            return None
        if not value.strip():
            self.report(codes.EMPTY, here, f"{key} is empty", value=True)
            return None
        return value

    def flag(self, mapping: Mapping[str, Any], key: str, pointer: str) -> bool | None:
        if key not in mapping:
            return None
        value = mapping[key]
        here = join_pointer(pointer, key)
        if isinstance(value, bool):
            return value
        if (
            here in self.rendered
            and isinstance(value, str)
            and value.strip().lower()
            in (
                "true",
                "false",
            )
        ):
            return value.strip().lower() == "true"
        self.wrong_type(here, key, "true or false", value)
        return None

    def integer(
        self, mapping: Mapping[str, Any], key: str, pointer: str, *, minimum: int = 1
    ) -> int | None:
        if key not in mapping:
            return None
        value = mapping[key]
        here = join_pointer(pointer, key)
        if isinstance(value, str) and here in self.rendered:
            # A template's output: ASCII digits only (`²` passes isdigit() but not int()), and
            # bounded before converting, since a template can print thousands of digits.
            try:
                number = whole_number(value.strip())
            except NumberTooLarge:
                self.diagnostics.append(number_too_large(value.strip(), self.where(here, True)))
                return None
            value = value if number is None else number
        if not isinstance(value, int) or isinstance(value, bool):
            self.wrong_type(here, key, "a whole number", value)
            return None
        if value < minimum:
            self.report(
                codes.BAD_VALUE, here, f"{key} must be at least {minimum}, not {value}", value=True
            )
            return None
        return value

    def choice(
        self, mapping: Mapping[str, Any], key: str, pointer: str, allowed: Iterable[str]
    ) -> str | None:
        """An enum value, accepted in any case and returned in upper case."""
        if key not in mapping:
            return None
        value = mapping[key]
        here = join_pointer(pointer, key)
        allowed = tuple(allowed)
        if not isinstance(value, str):
            self.wrong_type(here, key, "one of " + ", ".join(a.lower() for a in allowed), value)
            return None
        upper = value.strip().upper()
        if upper in allowed:
            return upper
        self.report(
            codes.BAD_VALUE,
            here,
            f"{key} {value!r} is not one of " + ", ".join(allowed),
            hint=(_date_pattern_hint(value) if key == "date_format" else None)
            or did_you_mean(upper, allowed),
            value=True,
        )
        return None

    def mapping(self, mapping: Mapping[str, Any], key: str, pointer: str) -> dict[str, Any] | None:
        if key not in mapping:
            return None
        value = mapping[key]
        if not isinstance(value, dict):
            self.wrong_type(join_pointer(pointer, key), key, "a mapping", value)
            return None
        return value

    def object_id(self, name: Any, pointer: str, key: str) -> str | None:
        """The object type id a name stands for; reports unknown names."""
        if not isinstance(name, str):
            self.wrong_type(pointer, key, "an object name", name)
            return None
        found = resolve_object(name, self.aliases)
        if found is None:
            self.report(
                codes.UNKNOWN_OBJECT,
                pointer,
                f"unknown object {name!r}",
                hint=did_you_mean(name, [*object_names(), *self.aliases])
                or "name objects by plural (contacts), singular (contact), id (0-1) or an "
                "alias declared under objects:",
                value=True,
            )
        return found

    def codes_list(self, mapping: Mapping[str, Any], pointer: str) -> frozenset[str]:
        if "allow" not in mapping:
            return frozenset()
        value = mapping["allow"]
        here = join_pointer(pointer, "allow")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.wrong_type(here, "allow", "a list of diagnostic codes", value)
            return frozenset()
        found = set()
        for index, item in enumerate(value):
            at = join_pointer(here, index) if isinstance(mapping["allow"], list) else here
            if not isinstance(item, str) or not CODE_PATTERN.match(item.strip().upper()):
                self.report(
                    codes.BAD_CODE,
                    at,
                    f"{item!r} is not a diagnostic code",
                    hint="codes look like SPC412; `specc explain CODE` describes one",
                    value=True,
                )
                continue
            found.add(item.strip().upper())
        return frozenset(found)

    # --- templates -------------------------------------------------------------------------

    def render_templates(self) -> None:
        """Render every templated string of the spec in place (vars first, then the rest)."""
        if not _any_template(self.data):
            self.unused_vars(self.declared_vars())
            return
        moment = self.options.clock()
        env = self.allowed_env()
        declared = self.declared_vars()
        var_renderer = Renderer(TemplateNames.at(moment, {}, env))
        declared = self.render_value(declared, "/vars", var_renderer)
        names = {**declared, **self.options.vars}
        self.unused_vars(declared)
        renderer = Renderer(TemplateNames.at(moment, names, env))
        for key in list(self.data):
            pointer = join_pointer("", key)
            if pointer not in _NOT_RENDERED:
                self.data[key] = self.render_value(self.data[key], pointer, renderer)

    def declared_vars(self) -> dict[str, Any]:
        value = self.data.get("vars", {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.wrong_type("/vars", "vars", "a mapping of names to values", value)
            return {}
        return dict(value)

    def unused_vars(self, declared: Mapping[str, Any]) -> None:
        for name in self.options.vars:
            if name not in declared:
                self.report(
                    codes.UNUSED_VAR,
                    "/vars",
                    f"--var {name} sets a variable the spec does not declare under vars:",
                    hint=did_you_mean(name, declared),
                )

    def allowed_env(self) -> dict[str, str]:
        listed = self.data.get("env")
        if listed is None:
            return {}
        if isinstance(listed, str):
            listed = [listed]
        if not isinstance(listed, list):
            self.wrong_type("/env", "env", "a list of environment variable names", listed)
            return {}
        allowed: dict[str, str] = {}
        for index, name in enumerate(listed):
            here = join_pointer("/env", index) if isinstance(self.data["env"], list) else "/env"
            if not isinstance(name, str):
                self.wrong_type(here, "env entry", "an environment variable name", name)
            elif is_forbidden_env(name):
                self.report(
                    codes.FORBIDDEN_ENV,
                    here,
                    f"{name} can never be read by a template",
                    value=True,
                    hint="remove it from env:; specc reads the token itself when it "
                    "talks to HubSpot",
                )
            elif not valid_env_name(name):
                self.report(
                    codes.BAD_VALUE,
                    here,
                    f"{name!r} is not an environment variable name",
                    value=True,
                )
            elif name in self.options.environ:
                allowed[name] = self.options.environ[name]
        return allowed

    def render_value(self, value: Any, pointer: str, renderer: Renderer) -> Any:
        if isinstance(value, str):
            if not has_template(value):
                return value
            try:
                out = renderer.render(value)
            except TemplateProblem as problem:
                self.report(problem.code, pointer, problem.message, hint=problem.hint, value=True)
                return value
            self.rendered.add(pointer)
            return out
        if isinstance(value, dict):
            return {
                k: self.render_value(v, join_pointer(pointer, k), renderer)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [
                self.render_value(v, join_pointer(pointer, i), renderer)
                for i, v in enumerate(value)
            ]
        return value

    # --- the spec --------------------------------------------------------------------------

    def resolve(self) -> Spec | None:
        data = self.data
        if "specc" not in data:
            self.report(
                codes.MISSING_KEY,
                "",
                "the spec does not say its format version",
                hint="add `specc: 1` as the first line",
            )
        else:
            version = data["specc"]
            if isinstance(version, str) and version.strip() == str(SPEC_VERSION):
                self.report(
                    codes.VERSION,
                    "/specc",
                    f"specc must be the number {SPEC_VERSION}, not the text {version!r}",
                    hint=f"write `specc: {SPEC_VERSION}` without quotes",
                    value=True,
                )
                return None
            if version != SPEC_VERSION or isinstance(version, bool):
                self.report(
                    codes.VERSION,
                    "/specc",
                    f"spec format version {version!r} is not supported; this specc reads "
                    f"version {SPEC_VERSION}",
                    hint=f"write `specc: {SPEC_VERSION}`",
                    value=True,
                )
                return None
        self.unknown_keys(data, "", TOP_KEYS, "the spec")
        self.render_templates()

        name = self.text(data, "name", "", required=True, what="the spec")
        date_format = self.choice(data, "date_format", "", DATE_FORMATS) or DATE_FORMATS[0]
        marketable = self.flag(data, "marketable", "")
        create_list = self.flag(data, "create_list", "")
        time_zone = self.time_zone()
        marketing_event = self.integer(data, "marketing_event", "")
        catalog_path = self.catalog_path()
        self.aliases = self.object_aliases()
        checks = self.checks()
        files = self.files()
        operations, operation_pointers = self.operations(files)
        return Spec(
            source=self.spec_path,
            source_map=self.source_map,
            name=name or "",
            date_format=date_format,
            operations=operations,
            operation_pointers=operation_pointers,
            marketable=marketable,
            create_list=create_list,
            time_zone=time_zone,
            marketing_event=marketing_event,
            catalog_path=catalog_path,
            aliases=dict(self.aliases),
            checks=checks,
            files=files,
            roots=self.roots,
        )

    def time_zone(self) -> str | None:
        name = self.text(self.data, "time_zone", "")
        if name is None:
            return None
        problem = _time_zone_problem(name)
        if problem:
            self.report(
                codes.BAD_VALUE,
                "/time_zone",
                f"time_zone {name!r} {problem}",
                hint=_time_zone_hint(name),
                value=True,
            )
        return name

    def catalog_path(self) -> Path | None:
        text = self.text(self.data, "catalog", "")
        if text is None:
            return None
        if "\x00" in text:
            self.report(
                codes.BAD_PATH, "/catalog", "the catalog path holds a NUL character", value=True
            )
            return None
        path = Path(os.path.normpath(self.spec_path.parent / text))
        real = real_path(path)
        if not within(real, self.roots):
            # Confined like data files: the snapshot is never opened, and so never quoted.
            self.report(
                codes.OUTSIDE_ROOT,
                "/catalog",
                f"the catalog {text!r} resolves to {real}, {ROOTS_WORDS}",
                hint=roots_hint(real),
                value=True,
            )
            return None
        return path

    def object_aliases(self) -> dict[str, str]:
        objects = self.mapping(self.data, "objects", "")
        aliases: dict[str, str] = {}
        for alias, target in (objects or {}).items():
            here = join_pointer("/objects", alias)
            if not isinstance(target, str) or not OBJECT_TYPE_ID.match(target.strip()):
                self.report(
                    codes.BAD_ALIAS,
                    here,
                    f'alias {alias!r} must map to an object type id such as "2-1234567", '
                    f"not {target!r}",
                    hint="custom object ids come from GET /crm/v3/schemas (objectTypeId); "
                    "quote them in YAML",
                    value=True,
                )
                continue
            aliases[alias] = target.strip()
        return aliases

    def checks(self) -> Checks:
        checks = self.mapping(self.data, "checks", "")
        if checks is None:
            return Checks()
        self.unknown_keys(checks, "/checks", CHECKS_KEYS, "checks")
        rows: int | None = None
        value = checks.get("rows")
        if isinstance(value, str) and value.strip().lower() == "all":
            rows = None
        elif isinstance(value, str) and not (
            "/checks/rows" in self.rendered and value.strip().isascii() and value.strip().isdigit()
        ):
            self.report(
                codes.BAD_VALUE,
                "/checks/rows",
                f"rows must be `all` or a number of rows, not {value!r}",
                value=True,
            )
        else:
            rows = self.integer(checks, "rows", "/checks")
        return Checks(
            rows=rows,
            max_errors=self.integer(checks, "max_errors", "/checks"),
            allow=self.codes_list(checks, "/checks"),
        )

    # --- operations ------------------------------------------------------------------------

    def operations(
        self, files: tuple[DataFile, ...]
    ) -> tuple[dict[str, str] | None, dict[str, str]]:
        if "operations" not in self.data:
            return None, {}
        value = self.data["operations"]
        if isinstance(value, str):
            word = self.choice(self.data, "operations", "", OPERATIONS)
            if word is None:
                return None, {}
            objects: list[str] = []
            for data_file in files:
                for column in data_file.columns:
                    if (
                        column.is_property
                        and column.object_type_id
                        and (column.object_type_id not in objects)
                    ):
                        objects.append(column.object_type_id)
            if not objects and files and all(f.columns for f in files) and not self.has_errors:
                self.report(
                    codes.NO_OPERATION_OBJECT,
                    "/operations",
                    f"operations {value!r} applies to no object: no column writes a property",
                    hint="name the objects: operations: {marketing_events: create}",
                    value=True,
                )
            return {o: word for o in objects}, {o: "/operations" for o in objects}
        if not isinstance(value, dict):
            self.wrong_type(
                "/operations",
                "operations",
                "a mapping of objects to create/update/upsert, or one of them",
                value,
            )
            return None, {}
        operations: dict[str, str] = {}
        pointers: dict[str, str] = {}
        for key in value:
            here = join_pointer("/operations", key)
            object_id = resolve_object(key, self.aliases)
            if object_id is None:
                self.report(
                    codes.UNKNOWN_OBJECT,
                    here,
                    f"unknown object {key!r}",
                    hint=did_you_mean(key, [*object_names(), *self.aliases]),
                )
            word = self.choice(value, key, "/operations", OPERATIONS)
            if object_id is None or word is None:
                continue
            if object_id in operations:
                self.report(
                    codes.DUPLICATE,
                    here,
                    f"{object_label(object_id)} is given an operation twice",
                    hint=f"it is already named at line {self.where(pointers[object_id]).line}",
                )
                continue
            operations[object_id] = word
            pointers[object_id] = here
        return operations, pointers

    # --- files -----------------------------------------------------------------------------

    def files(self) -> tuple[DataFile, ...]:
        if "files" not in self.data:
            self.report(codes.MISSING_KEY, "", "the spec names no data files: add `files:`")
            return ()
        value = self.data["files"]
        if isinstance(value, dict):
            self.wrong_type("/files", "files", "a list of files (start each with `- path:`)", value)
            return ()
        if not isinstance(value, list):
            self.wrong_type("/files", "files", "a list of files", value)
            return ()
        if not value:
            self.report(
                codes.EMPTY, "/files", "files is empty: name at least one data file", value=True
            )
            return ()
        resolved: list[DataFile] = []
        for index, entry in enumerate(value):
            pointer = join_pointer("/files", index)
            if not isinstance(entry, dict):
                self.wrong_type(
                    pointer, f"files[{index}]", "a mapping with path: and columns:", entry
                )
                continue
            # Two files of one name are the rules' business (SPC221), like every check that
            # compares files with each other.
            data_file = self.data_file(entry, pointer)
            if data_file is not None:
                resolved.append(data_file)
        return tuple(resolved)

    def data_file(self, entry: dict[str, Any], pointer: str) -> DataFile | None:
        self.unknown_keys(entry, pointer, FILE_KEYS, "a file")
        path_text = self.text(entry, "path", pointer, required=True, what="each file")
        object_id: str | None = None
        object_given = "object" in entry
        if object_given:
            object_id = self.object_id(entry["object"], join_pointer(pointer, "object"), "object")
        declared_format = self.choice(entry, "format", pointer, tuple(FORMATS.values()))
        has_header = self.flag(entry, "has_header", pointer)
        columns = self.columns(entry, pointer, object_id, object_given)
        if path_text is None:
            return None
        located = self.locate(path_text, join_pointer(pointer, "path"))
        if located is None:
            return None
        real, shown = located
        lexical_name = Path(path_text).name
        file_format = self.file_format(lexical_name, declared_format, pointer)
        return DataFile(
            pointer=pointer,
            path=real,
            shown_path=shown,
            file_name=lexical_name,
            format=file_format,
            object_type_id=object_id,
            has_header=True if has_header is None else has_header,
            columns=columns,
            format_known=declared_format is not None
            or FORMAT_BY_EXTENSION.get(Path(lexical_name).suffix.lower()) is not None,
        )

    def locate(self, text: str, pointer: str) -> tuple[Path, str] | None:
        """The data file's absolute real path and its shown form; None when unusable."""
        if "\x00" in text:
            self.report(codes.BAD_PATH, pointer, "the path holds a NUL character", value=True)
            return None
        if text.endswith(("/", os.sep)) or Path(text).name in ("", ".", ".."):
            self.report(codes.BAD_PATH, pointer, f"{text!r} names a folder, not a file", value=True)
            return None
        joined = self.spec_path.parent / text
        lexical = Path(os.path.normpath(joined))
        real = real_path(joined)
        if not within(real, self.roots):
            # The file is dropped from the spec: no later stage may read it, not even its header.
            self.report(
                codes.OUTSIDE_ROOT,
                pointer,
                f"{text!r} resolves to {real}, {ROOTS_WORDS}",
                hint=roots_hint(real),
                value=True,
            )
            return None
        problem = file_problem(real)
        if problem is not None:
            # Dropped too: a FIFO would hang the header read, a device never end it.
            self.report(
                codes.BAD_PATH,
                pointer,
                f"{text!r} {problem}",
                hint="name the data file itself: specc reads regular files only",
                value=True,
            )
            return None
        cwd = Path(os.path.normpath(self.options.cwd))
        shown = os.path.relpath(lexical, cwd) if lexical.is_relative_to(cwd) else str(lexical)
        return real, shown

    def file_format(self, name: str, declared: str | None, pointer: str) -> str:
        extension = Path(name).suffix.lower()
        by_extension = FORMAT_BY_EXTENSION.get(extension)
        if declared is not None:
            return declared  # a contradiction with the extension is SPC222, a rule
        if by_extension is None:
            self.report(
                codes.UNKNOWN_FORMAT,
                join_pointer(pointer, "path"),
                f"cannot tell the format of {name!r} from its extension",
                hint="HubSpot takes .csv, .xlsx and .xls files; or say format: csv / spreadsheet",
                value=True,
            )
            return "CSV"
        return by_extension

    # --- columns ---------------------------------------------------------------------------

    def columns(
        self, entry: dict[str, Any], pointer: str, file_object: str | None, file_object_given: bool
    ) -> tuple[Column, ...]:
        here = join_pointer(pointer, "columns")
        if "columns" not in entry:
            self.report(
                codes.MISSING_KEY, pointer, "each file needs `columns`, in the file's header order"
            )
            return ()
        value = entry["columns"]
        items: list[tuple[str, str, Any, bool]] = []  # (name, pointer, column, list form)
        if isinstance(value, dict):
            for name, column in value.items():
                items.append((name, join_pointer(here, name), column, False))
        elif isinstance(value, list):
            for index, column in enumerate(value):
                at = join_pointer(here, index)
                if not isinstance(column, dict):
                    self.wrong_type(
                        at, f"columns[{index}]", "a mapping with `column: <header name>`", column
                    )
                    continue
                raw = column.get("column")
                if isinstance(raw, str) and not raw.strip() and _only_ignored(column):
                    header: str | None = raw  # an empty header, ignored (below)
                else:
                    header = self.text(
                        column, "column", at, required=True, what="a column of a list"
                    )
                if header is None:
                    continue
                items.append((header, at, column, True))
        else:
            self.wrong_type(
                here, "columns", "a mapping of header names to columns, or a list", value
            )
            return ()
        if not value:
            self.report(
                codes.EMPTY, here, "columns is empty: map every column of the file", value=True
            )
            return ()
        resolved = []
        for name, at, column, list_form in items:
            if not name.strip() and not _only_ignored(column):
                # A file's trailing comma makes a column with an empty header (spreadsheet
                # exports do it often): it can be ignored, never imported.
                self.report(
                    codes.EMPTY,
                    at,
                    "a column's header name is empty",
                    hint='a column with an empty header can only be ignored: `"": {ignore: true}`',
                )
                continue
            found = self.column(name, at, column, list_form, file_object, file_object_given)
            if found is not None:
                resolved.append(found)
        return tuple(resolved)

    def column(
        self,
        name: str,
        pointer: str,
        value: Any,
        list_form: bool,
        file_object: str | None,
        file_object_given: bool,
    ) -> Column | None:
        if isinstance(value, str):
            if not value.strip():
                self.report(
                    codes.EMPTY, pointer, f"column {name!r} maps to an empty property", value=True
                )
                return None
            if file_object is None:
                if not file_object_given:
                    self.no_object(name, pointer)
                return Column(name, pointer, None, property=value.strip())
            return Column(name, pointer, file_object, property=value.strip())
        if value is None:
            self.report(
                codes.NO_COLUMN_KIND,
                pointer,
                f"column {name!r} maps to nothing",
                hint="give a property name, or `{ignore: true}` for a column not imported",
            )
            return None
        if not isinstance(value, dict):
            self.wrong_type(pointer, f"column {name!r}", "a property name or a mapping", value)
            return None
        self.unknown_keys(
            value, pointer, LIST_COLUMN_KEYS if list_form else COLUMN_KEYS, f"column {name!r}"
        )
        prop = self.text(value, "property", pointer)
        own_object: str | None = None
        if "object" in value:
            own_object = self.object_id(value["object"], join_pointer(pointer, "object"), "object")
        flags = {
            k: self.flag(value, k, pointer)
            for k in ("id", "association_key", "association_keys", "ignore", "standard")
        }
        references = label = None
        if "references" in value:
            references = self.object_id(
                value["references"], join_pointer(pointer, "references"), "references"
            )
        if "label" in value:
            label = self.object_id(value["label"], join_pointer(pointer, "label"), "label")
        event = self.choice(value, "event", pointer, EVENT_TYPES)
        explicit_association = self.association(value, pointer)
        allow = self.codes_list(value, pointer)
        if not self.column_kinds_agree(name, pointer, value, flags, own_object):
            return None

        object_id = own_object or file_object
        if "event" in value:
            object_id = MARKETING_EVENTS
        elif object_id is None and not ("object" in value or file_object_given):
            self.no_object(name, pointer)

        association = explicit_association
        if references and object_id and explicit_association is None:
            type_id = default_association_type(object_id, references)
            if type_id is None:
                self.report(
                    codes.NO_DEFAULT_ASSOCIATION,
                    join_pointer(pointer, "references"),
                    f"HubSpot documents no default association type from "
                    f"{object_label(object_id)} to {object_label(references)}",
                    hint="give one: association: {type_id: N, category: HUBSPOT_DEFINED or "
                    "USER_DEFINED}",
                    value=True,
                )
            else:
                association = Association(type_id, "HUBSPOT_DEFINED", explicit=False)
        return Column(
            name=name,
            pointer=pointer,
            object_type_id=object_id,
            property=prop.strip() if prop else None,
            id=bool(flags["id"]),
            association_key=bool(flags["association_key"]),
            references=references,
            association=association,
            label=label,
            association_keys=bool(flags["association_keys"]),
            event=event,
            ignore=bool(flags["ignore"]),
            allow=allow,
            standard=bool(flags["standard"]),
        )

    def no_object(self, name: str, pointer: str) -> None:
        self.report(
            codes.NO_OBJECT,
            pointer,
            f"column {name!r} has no object",
            hint="give the file an `object:` (or the column its own)",
        )

    def column_kinds_agree(
        self,
        name: str,
        pointer: str,
        value: Mapping[str, Any],
        flags: Mapping[str, bool | None],
        own_object: str | None,
    ) -> bool:
        """Report keys that cannot go together; False when the column is not usable."""
        present = [k for k in _COLUMN_KINDS if k in value]
        set_flags = [
            k for k in ("id", "association_key", "association_keys", "standard") if flags[k]
        ]

        def conflict(message: str, key: str) -> bool:
            self.report(codes.CONFLICT, join_pointer(pointer, key), f"column {name!r}: {message}")
            return False

        if flags["ignore"]:
            others = present + set_flags + (["association"] if "association" in value else [])
            if others:
                return conflict(
                    f"ignore: true cannot be combined with {', '.join(others)}", "ignore"
                )
            return True
        if len(present) > 1:
            return conflict(
                f"{' and '.join(present)} cannot go together: a column is a property, "
                "label, event or reference column",
                present[1],
            )
        if not present and (flags["ignore"] is False or not set_flags):
            self.report(
                codes.NO_COLUMN_KIND,
                pointer,
                f"column {name!r} has none of property, label, event, references, ignore",
                hint="add `property: <internal name>`, or `ignore: true` for a column not imported",
            )
            return False
        for flag in set_flags:
            if "property" not in value:
                return conflict(f"{flag}: true needs a property", flag)
        if flags["id"] and flags["association_keys"]:
            return conflict("id and association_keys cannot go together", "association_keys")
        if flags["standard"] and (flags["id"] or flags["association_keys"]):
            return conflict("standard: true is for plain property columns", "standard")
        if "association" in value and "references" not in value:
            return conflict("association is only for references columns", "association")
        if "event" in value and own_object not in (None, MARKETING_EVENTS):
            return conflict("event columns always belong to marketing events (0-54)", "object")
        return True

    def association(self, value: Mapping[str, Any], pointer: str) -> Association | None:
        given = self.mapping(value, "association", pointer)
        if given is None:
            return None
        here = join_pointer(pointer, "association")
        self.unknown_keys(given, here, ASSOCIATION_KEYS, "association")
        type_id = self.integer(given, "type_id", here)
        category = self.choice(given, "category", here, ASSOCIATION_CATEGORIES)
        for key in ASSOCIATION_KEYS:
            if key not in given:
                self.report(
                    codes.MISSING_KEY,
                    here,
                    f"association needs {key!r}",
                    hint="association: {type_id: 280, category: HUBSPOT_DEFINED}",
                )
        if type_id is None or category is None:
            return None
        return Association(type_id, category, explicit=True)


def _any_template(value: Any) -> bool:
    if isinstance(value, str):
        return has_template(value)
    if isinstance(value, dict):
        return any(_any_template(v) for k, v in value.items() if k not in ("specc", "env"))
    if isinstance(value, list):
        return any(_any_template(v) for v in value)
    return False


def _time_zone_problem(name: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    try:
        ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, OSError):
        return None  # no time zone database here: cannot judge
    return "is not an IANA time zone name"


def _time_zone_hint(name: str) -> str:
    from zoneinfo import available_timezones

    near = did_you_mean(name, sorted(available_timezones()))
    return near or "e.g. Europe/Berlin, America/New_York"
