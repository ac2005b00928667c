"""Draft a starting spec from a data file: `specc init`.

Reads the header and a sample of rows, guesses the object, maps each header to the likeliest
property by its label and internal name (helped by the shape of the values: emails, dates,
numbers, domains), marks the identifier, and writes YAML with a comment on every guess that
was not certain. What it could not decide is listed in `Draft.undecided`, so the user (and the
CLI) knows exactly what is left to do.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from specc.catalog.model import Catalog, ObjectType, Property
from specc.catalog.objects import object_label, standard_objects
from specc.errors import InputError, UsageError
from specc.tables.batch import FileProblem
from specc.tables.header import HeaderProblem
from specc.tables.table import Table

if TYPE_CHECKING:
    from specc.diagnostics import Result

SAMPLE_ROWS = 200
# Below this similarity a header is not mapped at all; below CERTAIN it gets a comment.
MATCH_FLOOR = 0.72
CERTAIN = 0.95
# Editors with yaml-language-server complete and check the spec against this file, which
# `specc schema spec -o .specc/spec.schema.json` writes.
SCHEMA_PATH = ".specc/spec.schema.json"
SCHEMA_MODELINE = f"# yaml-language-server: $schema={SCHEMA_PATH}"

# Objects an import usually targets, in the order ties are broken.
CANDIDATE_OBJECTS = (
    "0-1",
    "0-2",
    "0-3",
    "0-5",
    "0-7",
    "0-8",
    "0-48",
    "0-27",
    "0-46",
    "0-47",
    "0-49",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)%?$")
_DATE_PARTS = re.compile(r"^(\d{1,4})[/.-](\d{1,2}|[A-Za-z]{3,9})[/.-](\d{1,4})(?:[ T].*)?$")
_RECORD_ID_HEADER = re.compile(r"^(?:record|object)\s*id\b", re.IGNORECASE)
# HubSpot's API export layout: `id` is the record id, `properties.NAME` a property by its
# internal name (the CRM objects API's JSON, flattened).
_BARE_ID_HEADER = re.compile(r"^(?:id|hs_object_id)$", re.IGNORECASE)
EXPORT_PREFIX = "properties."
_RECORD_ID = re.compile(r"^\d{1,19}$")
# A guess needs this share of the sampled non-blank values to be values the property takes.
FIT_SHARE = 0.8
FIT_SAMPLE = 50
_LABEL_HEADER = re.compile(r"association\s*label", re.IGNORECASE)
# Marketing event participation columns, by header (HubSpot's example uses these names).
EVENT_HEADERS = {
    "registered": "registered",
    "registeredat": "registered",
    "attended": "joined",
    "joined": "joined",
    "joinedat": "joined",
    "left": "left",
    "leftat": "left",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "cancelledat": "cancelled",
}


@dataclass(frozen=True)
class Mapping:
    header: str
    object_type_id: str | None = None  # None: not mapped (ignored)
    property: str | None = None
    identifier: bool = False
    label_to: str | None = None  # an association-label column towards this object
    event: str | None = None  # a marketing event participation timestamp column
    score: float = 0.0
    note: str | None = None  # why the guess is uncertain, written as a YAML comment


@dataclass
class Draft:
    text: str  # the spec, as YAML
    object_type_id: str
    mappings: list[Mapping]
    undecided: list[str] = field(default_factory=list)


def read_sample(path: Path, limit: int = SAMPLE_ROWS) -> tuple[list[str], list[list[str]]]:
    """The header and up to `limit` data rows of a CSV or spreadsheet, as text.

    Read the way `specc check` reads (and as boundedly): the header line at most 1 MiB, a
    row too long to import passed over, a workbook too large inside refused before it is
    opened.
    """
    table = Table.at(path)
    too_large = table.too_large()
    if too_large is not None:
        raise InputError(
            f"{path} was not opened: {too_large}",
            hint="open it in Excel or LibreOffice and save it again as .xlsx, or export the "
            "sheet as CSV UTF-8",
        )
    try:
        header = table.header()
        if header is None or not header.cells:
            raise InputError(f"{path} is empty: there is no header row to map")
        rows, ended = table.sample(len(header.cells), limit)
    except HeaderProblem as problem:
        raise InputError(f"{path}: {problem.message}", hint=problem.hint) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if ended is not None and ended.kind == "spreadsheet":
        raise InputError(f"cannot read the spreadsheet {path}: {ended.detail}")
    if ended is not None:
        raise _not_text(path, ended)
    return header.cells, rows


def _not_text(path: Path, problem: FileProblem) -> InputError:
    what = "NUL bytes: a binary file" if problem.kind == "nul" else f"{problem.detail}"
    return InputError(
        f"{path} is not UTF-8 text: {what}, at line {problem.line}",
        hint="re-save the file as UTF-8 (CSV UTF-8); a spreadsheet needs the .xlsx extension",
    )


def normalise(text: str) -> str:
    """Compare headers and labels without case, accents, spaces or punctuation."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _similarity(header: str, prop: Property) -> float:
    key = normalise(header)
    if not key:
        return 0.0
    best = 0.0
    for candidate in (prop.label or "", prop.name):
        other = normalise(candidate)
        if not other:
            continue
        if key == other:
            return 1.0
        best = max(best, difflib.SequenceMatcher(None, key, other).ratio())
    return best


def _shape(values: list[str]) -> str | None:
    """What the sample's non-blank values look like: email, domain, date, number or None."""
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return None
    for name, pattern in (("email", _EMAIL), ("number", _NUMBER), ("date", _DATE_PARTS)):
        if all(pattern.match(v) for v in filled):
            return name
    if all(_DOMAIN.match(v) for v in filled):
        return "domain"
    return None


def _shape_fits(shape: str | None, prop: Property) -> float:
    """A bonus (or malus) for a property whose type suits the values' shape."""
    if shape is None:
        return 0.0
    if shape == "email":
        return 0.1 if prop.name == "email" or prop.text_display_hint == "email" else 0.0
    if shape == "date":
        return 0.1 if prop.type in ("date", "datetime") else -0.1
    if shape == "number":
        return 0.05 if prop.type == "number" else 0.0
    if shape == "domain":
        return 0.1 if prop.name in ("domain", "website") else 0.0
    return 0.0


def _writable(prop: Property, identifiers: set[str]) -> bool:
    if prop.name in identifiers:
        return True
    return prop.read_only is not True and not prop.calculated


def best_property(header: str, values: list[str], obj: ObjectType) -> tuple[Property | None, float]:
    """The property of `obj` a header most likely means, with a score from 0 to 1.

    A header that names a property exactly (its label, its internal name, or
    `properties.NAME` of HubSpot's API exports) is taken at its word; anything less is a
    guess, made only when the sampled values are values the property takes: a column of
    domains never becomes a number property.
    """
    identifiers = obj.identifiers()
    name = header.strip()
    if "hs_object_id" in obj.properties and (
        _RECORD_ID_HEADER.match(name)
        or (_BARE_ID_HEADER.match(export_name(name)) and _record_ids(values))
    ):
        return obj.properties["hs_object_id"], 1.0
    exported = export_name(name)
    if exported != name:
        prop = obj.properties.get(exported)
        if prop is not None and _writable(prop, identifiers):
            return prop, 1.0
    shape = _shape(values)
    info = standard_objects().get(obj.object_type_id)
    stripped = _strip_prefix(exported, info.singular if info else None)
    best: tuple[Property | None, float] = (None, 0.0)
    for prop in obj.properties.values():
        if not _writable(prop, identifiers):
            continue
        score = max(_similarity(exported, prop), _similarity(stripped, prop) if stripped else 0.0)
        if score < MATCH_FLOOR - 0.1:
            continue
        score = min(1.0, score + _shape_fits(shape, prop))
        if score > best[1] and (score >= CERTAIN or values_fit(prop, values, obj)):
            best = (prop, score)
    return best


def export_name(header: str) -> str:
    """`properties.firstname` (HubSpot's API export) -> `firstname`; other headers as they are."""
    if header.startswith(EXPORT_PREFIX) and len(header) > len(EXPORT_PREFIX):
        return header[len(EXPORT_PREFIX) :]
    return header


def _record_ids(values: list[str]) -> bool:
    filled = [v.strip() for v in values if v.strip()]
    return bool(filled) and all(_RECORD_ID.match(v) for v in filled)


def values_fit(prop: Property, values: list[str], obj: ObjectType) -> bool:
    """Whether most sampled non-blank values are values `prop` takes, as `check` judges them
    (dates in any of HubSpot's orders); a column with no values fits anything."""
    from specc.data import values as cells
    from specc.diagnostics import Severity

    filled = [v for v in values if v.strip()][:FIT_SAMPLE]
    if not filled:
        return True
    allowed = int(len(filled) * (1 - FIT_SHARE))
    if prop.type == "enumeration" and prop.options and not prop.external_options:
        # An option list is judged by the options themselves: `check` only warns about an
        # option the bundled catalog does not list, so its verdict would tell nothing.
        known = {normalise(o.value) for o in prop.options} | {
            normalise(o.label) for o in prop.options
        }
        items = [normalise(v) for value in filled for v in value.split(";") if v.strip()]
        return sum(1 for item in items if item not in known) <= len(items) * (1 - FIT_SHARE)
    orders = cells.DATE_FORMATS if prop.type in ("date", "datetime") else ("MONTH_DAY_YEAR",)
    for order in orders:
        check = cells.checker_for(prop, date_format=order, object_type_id=obj.object_type_id)
        wrong = 0
        for value in filled:
            problem = check(value)
            if problem is not None and problem.effective_severity is Severity.ERROR:
                wrong += 1
                if wrong > allowed:
                    break  # a verdict: the rest need not be judged
        if wrong <= allowed:
            return True
    return False


def read_only_namesake(header: str, obj: ObjectType) -> Property | None:
    """A property the header names exactly that an import cannot write ("Last Modified Date"
    is lastmodifieddate): the column means it, and no writable look-alike should stand in."""
    identifiers = obj.identifiers()
    exported = export_name(header.strip())
    for prop in obj.properties.values():
        if _writable(prop, identifiers):
            continue
        if exported == prop.name or _similarity(exported, prop) >= CERTAIN:
            return prop
    return None


def _strip_prefix(header: str, singular: str | None) -> str | None:
    """'Company name' -> 'name' for companies: headers often repeat the object's name."""
    if not singular:
        return None
    words = header.strip().split()
    if len(words) > 1 and normalise(words[0]) == normalise(singular.replace("_", " ")):
        return " ".join(words[1:])
    return None


def guess_object(
    header: list[str], columns: list[list[str]], catalog: Catalog, candidates: Iterable[str]
) -> str:
    """The object whose properties the headers match best (ties: the candidates' order)."""
    scored = []
    for rank, oid in enumerate(candidates):
        obj = catalog.object(oid)
        if obj is None:
            continue
        total = 0.0
        info = standard_objects().get(oid)
        prefix = normalise(info.singular) if info else None
        for name, values in zip(header, columns, strict=False):
            _, score = best_property(name, values, obj)
            total += score if score >= MATCH_FLOOR else 0.0
            # "Company name" in a file says the file is about companies.
            if prefix and normalise(name).startswith(prefix):
                total += 0.5
        scored.append((-total, rank, oid))
    if not scored:
        raise InputError("the catalog knows none of the objects to choose from")
    return min(scored)[2]


def _date_format(values: Iterable[str]) -> str | None:
    """Guess HubSpot's dateFormat from sample dates; None when nothing tells."""
    orders: set[str] = set()
    for value in values:
        match = _DATE_PARTS.match(value.strip())
        if not match:
            continue
        first, second, _third = match.groups()
        if len(first) == 4:
            orders.add("YEAR_MONTH_DAY")
        elif second.isdigit() and int(second) > 12:
            orders.add("MONTH_DAY_YEAR")
        elif int(first) > 12:
            orders.add("DAY_MONTH_YEAR")
    return orders.pop() if len(orders) == 1 else None


def draft_for_file(
    data_path: Path,
    *,
    catalog_path: Path | None = None,
    object_name: str | None = None,
    spec_dir: Path,
) -> Draft:
    """`specc init DATAFILE`: draft_spec against the snapshot at `catalog_path` (named in the
    spec as `catalog:`, relative to `spec_dir`) or else HubSpot's default properties, for the
    object named `object_name` (a snapshot's own object names count too) or else guessed."""
    from specc.catalog.bundled import bundled_catalog
    from specc.catalog.objects import object_names, resolve_object
    from specc.catalog.snapshot import load_snapshot
    from specc.diagnostics import did_you_mean
    from specc.errors import UsageError
    from specc.inputs import check_regular_file

    # Refused before drafting reads it: a FIFO would hang the draft, a device never end it.
    check_regular_file(data_path)
    if catalog_path is not None:
        catalog, problems = load_snapshot(catalog_path, str(catalog_path))
        if catalog is None:
            raise InputError(
                f"cannot use the catalog {catalog_path}: "
                + "; ".join(p.message for p in problems[:3])
            )
    else:
        catalog = bundled_catalog()
    object_type_id = None
    if object_name:
        own = {o.name: oid for oid, o in catalog.objects.items()} if catalog.is_snapshot else {}
        object_type_id = resolve_object(object_name, own)
        if object_type_id is None:
            raise UsageError(
                f"unknown object {object_name!r}",
                hint=did_you_mean(object_name, [*object_names(), *own]),
            )
    draft = draft_spec(data_path, catalog, object_type_id=object_type_id, spec_dir=spec_dir)
    if catalog_path is not None:
        relative = Path(os.path.relpath(catalog_path.resolve(), spec_dir.resolve())).as_posix()
        draft.text = draft.text.replace("\nfiles:\n", f"\ncatalog: {relative}\nfiles:\n", 1)
    return draft


def draft_to(
    data_path: Path,
    output: Path | None,
    *,
    force: bool,
    catalog_path: Path | None = None,
    object_name: str | None = None,
) -> tuple[Draft, Path | None]:
    """`specc init DATAFILE`: the draft (draft_for_file, its paths relative to where it goes)
    and where it goes (spec_target), refused once drafted when it would replace a file
    without `force` (refuse_overwrite)."""
    target = spec_target(data_path, output)
    spec_dir = Path.cwd() if target is None else target.parent
    draft = draft_for_file(
        data_path, catalog_path=catalog_path, object_name=object_name, spec_dir=spec_dir
    )
    refuse_overwrite(target, force)
    return draft, target


def spec_target(source: Path, output: Path | None) -> Path | None:
    """Where `specc init` writes the spec of `source` (a data file or a request): -o FILE,
    else the source's name with .yaml; None for stdout (`-o -`)."""
    target = output or source.with_suffix(".yaml")
    return None if str(target) == "-" else target


def request_target(request: Path, output: Path | None, force: bool) -> Path | None:
    """`specc init --from-request`: where the spec of `request` goes (spec_target), refused
    before the request is read when it would replace a file without `force`, or the request
    itself (refuse_overwrite)."""
    target = spec_target(request, output)
    refuse_overwrite(target, force, request=request)
    return target


def refuse_overwrite(target: Path | None, force: bool, request: Path | None = None) -> None:
    """UsageError when writing a spec to `target` would replace a file without --force, or
    (whatever --force says) the importRequest file `request` the spec is made from; nothing
    to refuse on stdout (None)."""
    from specc.inputs import real_path

    if target is None:
        return
    if request is not None and real_path(target) == real_path(request):
        raise UsageError(
            f"the spec would overwrite the request {request}", hint="name the spec with -o SPEC"
        )
    if target.exists() and not force:
        raise UsageError(f"{target} exists", hint="pass --force to overwrite it")


def lint_written(spec: Path) -> Result:
    """`specc lint` of the spec `init` just wrote, from the working directory, so that it can
    say whether the spec lints clean and what is left."""
    from specc.pipeline import lint
    from specc.run import Options

    return lint([spec], Options(cwd=Path.cwd()))


def draft_spec(
    data_path: Path,
    catalog: Catalog,
    *,
    object_type_id: str | None = None,
    spec_dir: Path | None = None,
) -> Draft:
    """A starting spec for one data file, mapped against `catalog`."""
    header, rows = read_sample(data_path)
    _refuse_other_delimiters(data_path, header)
    columns = [[row[i] if i < len(row) else "" for row in rows] for i in range(len(header))]
    undecided: list[str] = []
    # A snapshot names the account's own objects (custom ones too); the bundle the usual ones.
    candidates = list(catalog.objects) if catalog.is_snapshot else list(CANDIDATE_OBJECTS)
    main = object_type_id or guess_object(header, columns, catalog, candidates)
    main_object = catalog.object(main)
    if main_object is None:
        raise InputError(
            f"the catalog has no properties for {object_label(main)}",
            hint="pass a catalog snapshot with --catalog, or choose another --object",
        )
    others = [catalog.object(o) for o in candidates if o != main]
    mappings = []
    for name, values in zip(header, columns, strict=False):
        mappings.append(_map_header(name, values, main_object, [o for o in others if o]))
    _one_column_per_property(mappings)
    _resolve_label_columns(mappings, main)
    _mark_identifiers(mappings, catalog)
    for m in mappings:
        if not m.header.strip() and m.property is None:
            continue  # an empty header (a trailing comma): ignored, nothing to decide
        if m.property is None and m.label_to is None and m.event is None:
            why = m.note or "no property matches"
            undecided.append(f"column {m.header!r}: {why}; it is ignored for now")
        elif m.note:
            undecided.append(f"column {m.header!r}: {m.note}")
    date_values = [
        v
        for m, values in zip(mappings, columns, strict=False)
        if _is_date_column(m, catalog)
        for v in values
    ]
    date_format = _date_format(date_values)
    if date_format is None and date_values:
        undecided.append("date_format: the sample dates fit more than one order")
    if any(m.event for m in mappings):
        undecided.append("marketing_event: the record id of the marketing event is needed")
    undecided.append(
        "operations: not set, so HubSpot creates and updates (UPSERT); "
        "say `create` or `update` if you mean only one"
    )
    base = spec_dir or data_path.parent
    text = _render(data_path, base, main, mappings, date_format, catalog)
    return Draft(text=text, object_type_id=main, mappings=mappings, undecided=undecided)


def _map_header(
    header: str, values: list[str], main: ObjectType, others: list[ObjectType]
) -> Mapping:
    if _LABEL_HEADER.search(header):
        return Mapping(header, main.object_type_id, label_to="?")
    event = EVENT_HEADERS.get(normalise(header))
    if event and main.object_type_id == "0-1":
        return Mapping(header, "0-54", event=event, score=1.0)
    prop, score = best_property(header, values, main)
    if prop is not None and score >= CERTAIN:
        return Mapping(header, main.object_type_id, prop.name, score=score)
    exported = export_name(header.strip())
    namesake = read_only_namesake(header, main)
    if namesake is not None:
        return Mapping(
            header,
            note=f"it is {namesake.name!r} ({namesake.label or 'no label'}), which is "
            "read-only: an import cannot write it",
        )
    if exported != header.strip() and re.fullmatch(r"[a-z0-9_]+", exported):
        # HubSpot's API export names the account's own properties too: take it at its word.
        return Mapping(
            header,
            main.object_type_id,
            exported,
            score=1.0,
            note=f"{exported!r} is not one of HubSpot's default properties: the account's "
            "own, by its export name; `specc catalog pull` lets check know it",
        )
    # Another object may own the column better (one file, several objects).
    rival: tuple[ObjectType, Property, float] | None = None
    for obj in others:
        other_prop, other_score = best_property(header, values, obj)
        if (
            other_prop is not None
            and other_score >= CERTAIN
            and (rival is None or other_score > rival[2])
        ):
            rival = (obj, other_prop, other_score)
    if rival is not None and rival[2] > score:
        obj, other_prop, other_score = rival
        return Mapping(
            header,
            obj.object_type_id,
            other_prop.name,
            score=other_score,
            note=f"mapped to {obj.name}.{other_prop.name}: the header fits {obj.name} better "
            f"than {main.name}; check that this file holds both objects (or, in a two-file "
            f"import, make it `references: {obj.name}`)",
        )
    if prop is None or score < MATCH_FLOOR:
        return Mapping(header, note=_no_match_note(header, values, main))
    return Mapping(
        header,
        main.object_type_id,
        prop.name,
        score=score,
        note=f"a guess ({score:.0%} alike): check that {prop.name!r} "
        f"({prop.label or 'no label'}) is meant",
    )


def _no_match_note(header: str, values: list[str], obj: ObjectType) -> str | None:
    """Why a header that looks like a property's was still left undecided: its values."""
    identifiers = obj.identifiers()
    exported = export_name(header.strip())
    for prop in obj.properties.values():
        if _writable(prop, identifiers) and _similarity(exported, prop) >= MATCH_FLOOR:
            return (
                f"it looks like {prop.name!r} ({prop.label or 'no label'}), but its values are "
                f"not {_type_words(prop)}"
            )
    return None


def _type_words(prop: Property) -> str:
    kinds = {
        "number": "numbers",
        "date": "dates",
        "datetime": "dates",
        "bool": "true/false values",
        "enumeration": "its options",
    }
    return kinds.get(prop.type or "", f"{prop.type} values")


def _one_column_per_property(mappings: list[Mapping]) -> None:
    """A property is written from one column: when two claim it (`id` and
    `properties.hs_object_id` in an API export), the surer one keeps it (the first on a
    tie) and the other is left undecided."""
    best: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mappings):
        if m.property is None or m.object_type_id is None:
            continue
        key = (m.object_type_id, m.property)
        if key not in best or m.score > mappings[best[key]].score:
            best[key] = i
    for i, m in enumerate(mappings):
        if m.property is None or m.object_type_id is None:
            continue
        kept = best[(m.object_type_id, m.property)]
        if kept != i:
            mappings[i] = Mapping(
                m.header,
                note=f"{m.property!r} is mapped from column {mappings[kept].header!r} already",
            )


def _resolve_label_columns(mappings: list[Mapping], main: str) -> None:
    """An association-label column links the file's object with the other object in it."""
    others = sorted(
        {m.object_type_id for m in mappings if m.object_type_id and m.property} - {main}
    )
    for i, m in enumerate(mappings):
        if m.label_to != "?":
            continue
        if len(others) == 1:
            mappings[i] = Mapping(m.header, main, label_to=others[0], score=1.0)
        else:
            mappings[i] = Mapping(m.header)


def _mark_identifiers(mappings: list[Mapping], catalog: Catalog) -> None:
    """Mark the identifier column of each object (record id first, then email/domain/unique)."""
    seen: set[str] = set()
    for rank in (0, 1):
        for i, m in enumerate(mappings):
            if m.property is None or m.object_type_id is None or m.object_type_id in seen:
                continue
            obj = catalog.object(m.object_type_id)
            if obj is None or m.property not in obj.identifiers():
                continue
            if (m.property == "hs_object_id") != (rank == 0):
                continue
            mappings[i] = Mapping(
                m.header,
                m.object_type_id,
                m.property,
                identifier=True,
                score=m.score,
                note=m.note,
            )
            seen.add(m.object_type_id)


def _refuse_other_delimiters(data_path: Path, header: list[str]) -> None:
    """A file of `;` or tabs reads as one column: no spec of it would import (HubSpot reads
    commas), so say how to get a comma copy to draft the spec from."""
    from specc.rules.headers import comma_hint, delimiter_name, other_delimiter

    delimiter = other_delimiter(header)
    if delimiter is None:
        return
    raise InputError(
        f"{data_path} separates its columns with {delimiter_name(delimiter)}; HubSpot reads commas",
        hint=f"{comma_hint(str(data_path), delimiter)}; then run `specc init` on the copy",
    )


def _is_date_column(m: Mapping, catalog: Catalog) -> bool:
    if m.property is None or m.object_type_id is None:
        return False
    prop = catalog.property(m.object_type_id, m.property)
    return prop is not None and prop.type in ("date", "datetime")


def _object_name(object_type_id: str) -> str:
    info = standard_objects().get(object_type_id)
    return info.name if info else _q(object_type_id)


def _q(text: str) -> str:
    """A YAML scalar for any text: JSON's double-quoted strings are valid YAML."""
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9 _./-]*[A-Za-z0-9_]|[A-Za-z_]", text)
    if plain and text.lower() not in ("true", "false", "yes", "no", "on", "off", "null", "y", "n"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _render(
    data_path: Path,
    base: Path,
    main: str,
    mappings: list[Mapping],
    date_format: str | None,
    catalog: Catalog,
) -> str:
    import os

    # Relative to the spec, wherever the two are: a spec names no folder of this machine.
    try:
        shown = Path(os.path.relpath(os.path.abspath(data_path), os.path.abspath(base)))
    except ValueError:  # Windows: another drive, where no relative path leads
        shown = Path(os.path.abspath(data_path))
    shown_text = shown.as_posix()
    lines = [
        SCHEMA_MODELINE,
        f"# Drafted by `specc init` from {data_path.name}; review the commented guesses.",
        "specc: 1",
        f"name: {_q(data_path.stem)}",
    ]
    if any(m.event for m in mappings):
        lines.append("marketing_event: 0  # to decide: the marketing event's record id")
    if date_format:
        lines.append(f"date_format: {date_format}")
    else:
        lines.append("# date_format: MONTH_DAY_YEAR  # HubSpot's default; set the files' order")
    lines.append(f"# operations: {{{_object_name(main)}: create}}  # default: UPSERT")
    lines += [
        "files:",
        f"  - path: {_q(shown_text)}",
        f"    object: {_object_name(main)}",
        "    columns:",
    ]
    for m in mappings:
        key = f"      {_q(m.header)}: "
        if m.label_to:
            entry = f"{{label: {_object_name(m.label_to)}}}"
        elif m.event:
            entry = f"{{event: {m.event}}}"
        elif (m.property is None or m.object_type_id is None) and not m.header.strip():
            entry = "{ignore: true}  # an empty header (a trailing comma in the file)"
        elif m.property is None or m.object_type_id is None:
            entry = f"{{ignore: true}}  # undecided: {m.note or 'no property matches this header'}"
        else:
            parts = [f"property: {m.property}"]
            if m.object_type_id != main:
                parts.append(f"object: {_object_name(m.object_type_id)}")
            if m.identifier:
                parts.append("id: true")
            entry = m.property if len(parts) == 1 else "{" + ", ".join(parts) + "}"
            if m.note:
                entry += f"  # {m.note}"
        lines.append(key + entry)
    return "\n".join(lines) + "\n"
