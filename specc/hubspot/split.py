"""An import over HubSpot's per-file limits, sent in parts (cli-contract.md, `specc import`).

HubSpot refuses a file of more than 1,048,576 rows or 512 MB with a 429 and asks for
"multiple requests". `split_upload` looks at every file of an upload before anything is sent:

- the only file of the spec, a CSV file over a limit, is cut by `specc.tables.parts` into runs
  of whole records under both limits; each part becomes an upload of its own, named
  `NAME (part K of N)`, whose file is the header and the part's byte range, streamed from the
  source when sent;
- any other file over a limit (a spreadsheet, a file of a spec with several files) cannot be
  cut: the split carries its error (SPC470, SPC471) and nothing is sent.

`run_parts` sends the parts one after another, each exactly once (`runner.start_import`), the
next only once HubSpot accepted the one before; with a poll policy it waits for each to end
first (HubSpot processes at most three imports at once) and maps each part's row errors back
to the lines of the original file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from specc.diagnostics import DataLocation, Diagnostic, Result, SpecLocation
from specc.errors import SpeccError
from specc.hubspot.client import HubSpotClient
from specc.hubspot.errors import HubSpotApiError, HubSpotUnavailable
from specc.hubspot.retry import PollPolicy
from specc.hubspot.row_errors import file_ids_of, layouts_for, map_errors
from specc.hubspot.runner import counters_of, start_import, wait_for_import
from specc.hubspot.upload import Upload, UploadFile
from specc.spec.model import Spec
from specc.tables.parts import FileLimits, FilePart, PartsError, PartsPlan, plan_parts

Stage = Literal["upload", "wait"]


@dataclass(frozen=True)
class PartUpload:
    """Part `number` of `count`: its upload and where its rows lie in the source."""

    number: int
    count: int
    part: FilePart
    upload: Upload


@dataclass
class Split:
    """How an upload goes out: whole (`parts` empty), in parts, or not at all (`problems`)."""

    plan: PartsPlan | None = None
    parts: tuple[PartUpload, ...] = ()
    problems: list[Diagnostic] = field(default_factory=list)
    name: str = ""  # the upload's name, which each part's carries with `(part K of N)`

    def starting_at(self, first: int) -> Split:
        """The split whose parts are `first` to the last (`import --from-part`): the parts
        before were sent by an earlier run."""
        return replace(self, parts=tuple(p for p in self.parts if p.number >= first))


def split_upload(upload: Upload, spec: Spec, limits: FileLimits) -> Split:
    """The upload's parts when its only file is a CSV file over the limits; its problems when
    a file is over them and cannot be cut. One streamed pass over each CSV file that could
    be over them (a row takes a byte at least)."""
    from specc.codes import rows as codes

    split = Split(name=upload.name)
    single = len(upload.files) == 1
    for item, data_file in zip(upload.files, spec.files, strict=False):
        where = spec.where(data_file.pointer)
        at = DataLocation(item.shown_path)
        if data_file.format != "CSV":
            if item.size > limits.bytes:
                split.problems.append(
                    codes.FILE_TOO_LARGE.at(
                        f"nothing was sent: {item.shown_path} is {item.size:,} bytes, over "
                        f"HubSpot's limit of {limits.bytes:,} bytes per file, and specc does "
                        "not cut spreadsheets",
                        hint="save it as CSV UTF-8 and point the spec at it: specc import "
                        "then sends it in parts",
                        spec=where,
                        data=at,
                    )
                )
            continue
        if item.size <= min(limits.rows, limits.bytes):
            continue  # too small to hold more rows than the limit: a row takes a byte at least
        try:
            plan = plan_parts(
                item.path,
                data_file.has_header,
                limits,
                request_bytes=len(upload.request_json.encode()),
                shown=item.shown_path,
                roots=item.roots,
            )
        except PartsError as exc:
            split.problems.append(
                codes.FILE_TOO_LARGE.at(
                    f"nothing was sent: {exc.message}", hint=exc.hint, spec=where, data=at
                )
            )
            continue
        if not limits.over(plan.rows, plan.size):
            continue
        if not single:
            what = (
                f"{plan.rows:,} data rows (HubSpot takes {limits.rows:,})"
                if plan.rows > limits.rows
                else f"{plan.size:,} bytes (HubSpot takes {limits.bytes:,})"
            )
            code = codes.TOO_MANY_ROWS if plan.rows > limits.rows else codes.FILE_TOO_LARGE
            split.problems.append(
                code.at(
                    f"nothing was sent: {item.shown_path} has {what}, and specc sends only a "
                    "spec of one file in parts",
                    hint="give the file a spec of its own (specc import splits it), or cut it "
                    "into parts under the limits",
                    spec=where,
                    data=at,
                )
            )
            continue
        split.plan = plan
        split.parts = tuple(
            PartUpload(part.number, len(plan.parts), part, part_upload(upload, item, plan, part))
            for part in plan.parts
        )
    return split


def part_upload(upload: Upload, item: UploadFile, plan: PartsPlan, part: FilePart) -> Upload:
    """The upload of one part: the same request under the part's name, the part's bytes."""
    from specc.compiler import request_json

    name = part_name(upload.name, part.number, len(plan.parts))
    request = json.loads(upload.request_json)
    request["name"] = name
    sent = replace(item, size=plan.part_size(part), part=part, header_end=plan.header_end)
    return replace(upload, name=name, request_json=request_json(request), files=(sent,))


def part_name(name: str, number: int, count: int) -> str:
    return f"{name} (part {number} of {count})"


def parts_span(first: int, last: int) -> str:
    """`part 2` or `parts 2 to 4`: a run of parts in words."""
    return f"part {first}" if first == last else f"parts {first} to {last}"


@dataclass
class PartRun:
    """One part sent: its import, and its last state when waited for."""

    part: PartUpload
    import_id: str
    record: dict[str, Any]
    adopted: bool = False


@dataclass
class SplitRun:
    """How `run_parts` ended: the parts sent, in order, and why it stopped early."""

    runs: list[PartRun] = field(default_factory=list)
    refused: SpeccError | None = None
    interrupted: Stage | None = None

    def totals(self) -> dict[str, int]:
        """The parts' counters added up (those that are numbers)."""
        return add_counters(run.record for run in self.runs)


def add_counters(records: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for record in records:
        for key, value in counters_of(record).items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return dict(sorted(total.items()))


def run_parts(
    client: HubSpotClient,
    split: Split,
    spec: Spec,
    result: Result,
    *,
    poll: PollPolicy | None = None,
    on_started: Callable[[PartUpload, str], None] = lambda part, import_id: None,
    on_ended: Callable[[PartUpload, Mapping[str, Any]], None] = lambda part, record: None,
) -> SplitRun:
    """Send the parts one after another; with `poll`, wait for each to end before the next.

    A refusal (as its diagnostic in `result`) or Ctrl-C stops the run: the parts before stay
    sent (their imports are in `runs`), the parts after are not sent. Each part's end state
    and row errors, at the original file's lines, are added to `result`.
    """
    from specc.codes import hubspot as codes

    assert split.plan is not None
    spec_root = spec.where("/name")
    run = SplitRun()
    if split.parts and split.parts[0].number > 1:
        try:
            missing = missing_earlier_parts(client, split)
        except (HubSpotApiError, HubSpotUnavailable) as exc:
            result.diagnostics.append(exc.diagnostic(spec_root))
            run.refused = exc
            return run
        if missing is not None:
            result.diagnostics.append(missing.at(spec_root))
            return run
    for part in split.parts:
        try:
            started = start_import(client, part.upload)
        except (HubSpotApiError, HubSpotUnavailable) as exc:
            result.diagnostics.append(exc.diagnostic(spec_root))
            result.diagnostics.extend(parts_left_unsent(part, spec_root))
            run.refused = exc
            return run
        except KeyboardInterrupt:
            run.interrupted = "upload"
            return run
        if started.adopted:
            result.diagnostics.append(
                codes.ADOPTED.at(
                    f"the answer to the upload of part {part.number} was lost; import "
                    f"{started.import_id} was found and followed instead of sending again",
                    spec=spec_root,
                )
            )
        on_started(part, started.import_id)
        sent = PartRun(part, started.import_id, started.response, started.adopted)
        run.runs.append(sent)
        if poll is None:
            continue
        try:
            sent.record = wait_for_import(client, started.import_id, poll)
        except KeyboardInterrupt:
            run.interrupted = "wait"
            return run
        on_ended(part, sent.record)
        result.diagnostics.extend(part_outcome(client, sent.record, spec, split.plan, part.part))
    return run


# An earlier part's import in one of these states left its rows out of HubSpot.
_NOT_IMPORTED = frozenset({"FAILED", "CANCELED", "REVERTED"})


@dataclass(frozen=True)
class _Missing:
    """The first earlier part the account's imports do not hold (`import --from-part`)."""

    number: int
    count: int
    name: str
    states: tuple[str, ...]  # the states of the imports of that name, when all ended unimported

    def at(self, where: SpecLocation) -> Diagnostic:
        from specc.codes import hubspot as codes

        why = (
            f"its imports ended {', '.join(sorted(set(self.states)))}"
            if self.states
            else "the account has no import of that name"
        )
        return codes.EARLIER_PART_NOT_IMPORTED.at(
            f'nothing was sent: part {self.number} of {self.count} ("{self.name}") is not '
            f"imported: {why}",
            hint=f"start from it: --from-part {self.number}; or send the whole file again "
            "without --from-part",
            spec=where,
        )


def missing_earlier_parts(client: HubSpotClient, split: Split) -> _Missing | None:
    """The first part before `split`'s first that no import of the account holds: none of
    the name `NAME (part J of N)`, or each ended FAILED, CANCELED or REVERTED. The listing
    stops once every earlier part is found (HubSpot lists the newest imports first)."""
    first = split.parts[0]
    wanted = {part_name(split.name, n, first.count): n for n in range(1, first.number)}
    states: dict[str, list[str]] = {name: [] for name in wanted}
    imported: set[str] = set()
    for item in client.iter_imports():
        name = item.get("importName")
        if not isinstance(name, str) or name not in wanted:
            continue
        state = str(item.get("state") or "")
        states[name].append(state)
        if state not in _NOT_IMPORTED:
            imported.add(name)
            if len(imported) == len(wanted):
                return None
    for name, number in wanted.items():
        if name not in imported:
            return _Missing(number, first.count, name, tuple(states[name]))
    return None


def parts_left_unsent(part: PartUpload, where: SpecLocation) -> list[Diagnostic]:
    """The note that the parts from `part` on were not sent, and how to send them, when
    parts before it were."""
    from specc.codes import hubspot as codes

    if part.number == 1:
        return []  # nothing was imported: the same command sends the file whole again
    return [
        codes.PARTS_LEFT_UNSENT.at(
            f"{parts_span(1, part.number - 1)} of {part.count} "
            f"{'is' if part.number == 2 else 'are'} imported; {parts_span(part.number, part.count)}"
            " not sent",
            hint=f"once the cause is fixed: specc import {where.file} --from-part {part.number}",
            spec=where,
        )
    ]


def part_outcome(
    client: HubSpotClient,
    record: Mapping[str, Any],
    spec: Spec,
    plan: PartsPlan,
    part: FilePart,
) -> list[Diagnostic]:
    """A part's end state (FAILED, CANCELED, REVERTED) and its row errors, each at the line
    of the original file: HubSpot numbers the lines of the part it was sent."""
    from specc.codes import hubspot as codes

    import_id = str(record.get("id"))
    state = str(record.get("state") or "")
    found = []
    end = {
        "FAILED": codes.IMPORT_FAILED,
        "CANCELED": codes.IMPORT_CANCELED,
        "REVERTED": codes.IMPORT_REVERTED,
    }.get(state)
    if end is not None:
        found.append(
            end.at(
                f"import {import_id} (part {part.number}, lines {part.first_line:,} on) "
                f"ended {state}",
                spec=spec.where("/name"),
            )
        )
    errors = [at_source_line(error, plan, part) for error in client.import_errors(import_id)]
    found.extend(map_errors(errors, layouts_for(record, spec), file_ids_of(record)))
    return found


def at_source_line(error: Mapping[str, Any], plan: PartsPlan, part: FilePart) -> dict[str, Any]:
    """The row error with its `lineNumber` moved from the part's lines to the source's."""
    moved = dict(error)
    source = error.get("sourceData")
    if isinstance(source, Mapping):
        line = source.get("lineNumber")
        if isinstance(line, int) and not isinstance(line, bool) and line > 0:
            moved["sourceData"] = {**source, "lineNumber": plan.source_line(part, line)}
    return moved
