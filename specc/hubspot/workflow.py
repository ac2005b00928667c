"""The import workflow, from a spec to HubSpot's verdict: plan, upload, adopt, wait, row errors.

    prepare         spec -> lint or check (for `import`) -> compile -> the Upload, or why not
    run_import      upload once (adopting after a lost answer), optionally wait for the end,
                    and turn the end state and every row error into diagnostics; a file over
                    HubSpot's per-file limits goes in parts, one import each (hubspot.split)
    send            run_import of what prepare made, through a client of the account
    import_errors   a past import's row errors, mapped back to its files (and spec, if given)
    errors_of_import  `specc errors`: the spec loaded first, then import_errors
    cancel          cancel an import; one canceled already (a lost first answer) is no error
    plan_import     what an import would do to the account's records (specc.plan)
    plan_file       `specc plan`: lint, then plan_import, the failing rows added to the lint's
    pull_catalog_to `specc catalog pull`: the account's catalog, saved by save_catalog
    save_catalog    write a pulled catalog snapshot

Each takes typed inputs and returns a typed result; nothing here prints. Progress reaches the
caller through the client's events (specc.hubspot.events) and `on_started`; the CLI decides how
both look. Diagnostics keep their own severities: `strict` decides only whether warnings stop
the upload, and the caller shows them as errors (`Result.strict_view`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from specc.diagnostics import Diagnostic, Result
from specc.errors import SpeccError, UsageError
from specc.hubspot.client import HubSpotClient
from specc.hubspot.errors import HubSpotApiError, HubSpotUnavailable
from specc.hubspot.retry import PollPolicy
from specc.hubspot.row_errors import file_ids_of, layouts_for, map_errors
from specc.hubspot.runner import counters_of, start_import, wait_for_import
from specc.hubspot.split import PartRun, PartUpload, Split, run_parts, split_upload
from specc.hubspot.upload import Upload, prepare_upload
from specc.inputs import InputRefused, read_input
from specc.run import Options
from specc.spec.model import Spec

if TYPE_CHECKING:
    from specc.hubspot.events import OnEvent
    from specc.hubspot.settings import Account
    from specc.plan import LookupProgress, Plan

Stage = Literal["upload", "wait"]


@dataclass
class Prepared:
    """What `prepare` found, and the upload when nothing stops it."""

    result: Result
    upload: Upload | None = None
    spec: Spec | None = None  # the spec the upload came from (its locations, its files)
    split: Split | None = None  # `import`: its parts, when its file is over HubSpot's limits


def prepare(
    path: Path,
    options: Options,
    *,
    strict: bool,
    lint_first: bool = False,
    check_rows: bool = False,
    from_part: int | None = None,
) -> Prepared:
    """Compile the spec at `path` (after lint, for `import`; after check, with `check_rows`)
    and describe its upload; with `from_part` (`import --from-part`), of a file sent in
    parts only the parts from that one on (a usage error when the file goes whole).

    The spec is loaded once: a second load could render a different name from `now`, and
    the import would then not be recognised after a lost answer.
    """
    from specc.pipeline import check_one, compile_loaded, lint_one, load_spec

    loaded = load_spec(path, options)
    result = Result()
    if lint_first:
        result = check_one(loaded, options) if check_rows else lint_one(loaded)
        if not result.ok(strict):
            return Prepared(result)
    request, compiled = compile_loaded(loaded)
    if not lint_first:
        result = compiled
        if request is None or not result.ok(strict):
            return Prepared(result)
    elif request is None:
        # lint passed but compile refused: show why (the same diagnostics, once).
        return Prepared(compiled)
    assert loaded.spec is not None  # a request is compiled only from a spec that loaded
    # The files are opened again to be sent, and must still lead inside the spec's roots.
    upload = prepare_upload(loaded.spec, request, loaded.spec.roots)
    if not lint_first:
        return Prepared(result, upload, loaded.spec)
    # Before anything is sent: a file over HubSpot's per-file limits goes in parts, or, when
    # it cannot be cut (a spreadsheet, a spec of several files), nothing goes.
    from specc.hubspot.settings import file_limits_from

    split = split_upload(upload, loaded.spec, file_limits_from(options.environ))
    if split.problems:
        result.diagnostics.extend(split.problems)
        return Prepared(result)
    if from_part is not None:
        split = _starting_at_part(split, from_part)
    return Prepared(result, upload, loaded.spec, split if split.parts else None)


def _starting_at_part(split: Split, first: int) -> Split:
    if not split.parts:
        raise UsageError(
            "--from-part is for a file sent in parts, and this spec's upload goes whole",
            hint="leave --from-part out",
        )
    if first > len(split.parts):
        raise UsageError(
            f"--from-part {first}: the file goes in {len(split.parts)} parts",
            hint=f"give a part from 1 to {len(split.parts)}",
        )
    return split.starting_at(first)


@dataclass
class ImportRun:
    """How one `run_import` ended."""

    result: Result  # the prepared diagnostics, then a refusal, an adoption, the end, row errors
    import_id: str | None = None  # None when no import exists (refused) or is known (interrupted)
    record: dict[str, Any] | None = None  # the upload's answer, or the last state when waited
    refused: SpeccError | None = None  # HubSpot refused the upload or stayed unavailable
    interrupted: Stage | None = None  # Ctrl-C while uploading or while waiting
    # A file sent in parts: each part's import (import_id, record: the last one's).
    parts: list[PartRun] | None = None
    totals: dict[str, int] | None = None  # the parts' counters added up, when waited for
    waited: bool = False  # whether the run was to wait for the end (a poll policy was given)

    def exit_code(self, strict: bool) -> int:
        """1 for errors (HubSpot's refusal, a failed import, row errors), 2 when HubSpot could
        not be reached; interruptions are the caller's to report."""
        if self.refused is not None:
            return self.refused.exit_code
        return self.result.exit_code(strict)


def run_import(
    client: HubSpotClient,
    upload: Upload,
    spec: Spec,
    result: Result,
    *,
    poll: PollPolicy | None = None,
    on_started: Callable[[str, Upload | PartUpload], None] = lambda import_id, sent: None,
    split: Split | None = None,
) -> ImportRun:
    """Upload `upload` (never creating two imports) and, with a `poll` policy, wait for its end.

    With a `split` (Prepared.split), its parts are sent instead, one after another, each
    waited for before the next when `poll` is given.

    Diagnostics are added to `result`: a refusal as its SPC5xx code (so `--format json` carries
    it like any finding), SPC530 when the import was adopted after a lost answer, the end
    state (FAILED, CANCELED, REVERTED) and every row error. `on_started(import_id, sent)` is
    called as the import (or each part's) exists: `sent` the upload, or the part. Ctrl-C ends
    the run with `interrupted` set: while waiting, the import keeps running at HubSpot.
    """
    from specc.codes import hubspot as codes

    if split is not None and split.parts:
        return _run_split(client, split, spec, result, poll, on_started)
    spec_root = spec.where("/name")
    try:
        started = start_import(client, upload)
    except (HubSpotApiError, HubSpotUnavailable) as exc:
        result.diagnostics.append(exc.diagnostic(spec_root))
        return ImportRun(result, refused=exc)
    except KeyboardInterrupt:
        return ImportRun(result, interrupted="upload")
    import_id = started.import_id
    if started.adopted:
        result.diagnostics.append(
            codes.ADOPTED.at(
                f"the upload's answer was lost; import {import_id} (created "
                f"{started.response.get('createdAt')}) was found and followed instead of "
                "sending again",
                spec=spec_root,
            )
        )
    on_started(import_id, upload)
    run = ImportRun(result, import_id, started.response, waited=poll is not None)
    if poll is None:
        return run
    try:
        run.record = wait_for_import(client, import_id, poll)
    except KeyboardInterrupt:
        run.interrupted = "wait"
        return run
    result.diagnostics.extend(outcome_diagnostics(client, run.record, spec))
    return run


def _run_split(
    client: HubSpotClient,
    split: Split,
    spec: Spec,
    result: Result,
    poll: PollPolicy | None,
    on_started: Callable[[str, Upload | PartUpload], None],
) -> ImportRun:
    sent = run_parts(
        client, split, spec, result, poll=poll, on_started=lambda part, id_: on_started(id_, part)
    )
    last = sent.runs[-1] if sent.runs else None
    return ImportRun(
        result,
        last.import_id if last else None,
        last.record if last else None,
        refused=sent.refused,
        interrupted=sent.interrupted,
        parts=sent.runs,
        totals=sent.totals() if poll is not None else None,
        waited=poll is not None,
    )


def send(
    account: Account,
    prepared: Prepared,
    on_event: OnEvent,
    *,
    wait: bool,
    on_started: Callable[[str, Upload | PartUpload], None],
) -> ImportRun:
    """`specc import` once its upload is prepared and agreed to: run_import of `prepared` (in
    parts when it was split) through a client of `account` whose events go to `on_event`;
    with `wait`, polling for the end as the account's environment says (SPECC_POLL_*).
    `on_started(import_id, sent)` as each import exists: `sent` the upload, or the part."""
    from specc.hubspot.settings import poll_policy_from

    upload, spec = prepared.upload, prepared.spec
    assert upload is not None and spec is not None  # prepare found nothing that stops it
    poll = poll_policy_from(account.environ) if wait else None
    with account.client(on_event) as client:
        return run_import(
            client,
            upload,
            spec,
            prepared.result,
            poll=poll,
            on_started=on_started,
            split=prepared.split,
        )


def outcome_diagnostics(
    client: HubSpotClient, record: Mapping[str, Any], spec: Spec | None
) -> list[Diagnostic]:
    """The end state as a diagnostic (FAILED, CANCELED, REVERTED) and every row error."""
    from specc.codes import hubspot as codes

    import_id = str(record.get("id"))
    state = str(record.get("state") or "")
    where = spec.where("/name") if spec is not None else None
    found = []
    end = {
        "FAILED": codes.IMPORT_FAILED,
        "CANCELED": codes.IMPORT_CANCELED,
        "REVERTED": codes.IMPORT_REVERTED,
    }.get(state)
    if end is not None:
        found.append(end.at(f"import {import_id} ended {state}", spec=where))
    errors = client.import_errors(import_id)
    found.extend(map_errors(errors, layouts_for(record, spec), file_ids_of(record)))
    return found


@dataclass
class ImportErrors:
    """A past import's record and its row errors as a Result (its spec's text among the
    sources when the spec was given, so reports show the mapping's line)."""

    record: dict[str, Any]
    result: Result

    @property
    def exit_code(self) -> int:
        """1 when the import has any row error, as `specc errors` exits."""
        return 1 if self.result.diagnostics else 0


def import_errors(client: HubSpotClient, import_id: str, spec: Spec | None) -> ImportErrors:
    record = client.get_import(import_id)
    errors = client.import_errors(import_id)
    result = Result(diagnostics=map_errors(errors, layouts_for(record, spec), file_ids_of(record)))
    if spec is not None:
        result.files = len(spec.files)
        text = _spec_text(spec)
        if text is not None:
            result.sources[str(spec.source_map.file)] = text
    return ImportErrors(record, result)


def _spec_text(spec: Spec) -> str | None:
    """The spec's text, for the lines reports quote, read as the loader reads it (a regular
    file, at most MAX_SPEC_BYTES); None when it no longer reads so: the report then shows
    locations without their lines, which is no reason to lose the row errors.

    Read again rather than kept from spec_for_errors: the caller holds the Spec only, which
    keeps no text."""
    from specc.spec.loader import MAX_SPEC_BYTES

    try:
        raw = read_input(spec.source, max_bytes=MAX_SPEC_BYTES, shown=spec.source_map.file)
    except (InputRefused, OSError):
        return None
    return raw.decode("utf-8-sig", "replace")


def errors_of_import(
    account: Account,
    on_event: OnEvent,
    import_id: str,
    spec_path: Path | None,
    options: Options,
) -> ImportErrors:
    """`specc errors`: import_errors through a client of `account` (its events to
    `on_event`), mapped to the spec at `spec_path` when given, which is loaded first
    (spec_for_errors): a spec that cannot be used stops the command before HubSpot is asked."""
    spec = spec_for_errors(spec_path, options) if spec_path is not None else None
    with account.client(on_event) as client:
        return import_errors(client, import_id, spec)


def spec_for_errors(path: Path, options: Options) -> Spec:
    """The spec an import came from, for `specc errors --spec`: a readable file (else the
    InputError that names it) that loads (its errors otherwise belong to `specc lint`)."""
    from specc.pipeline import load_spec, readable_spec

    loaded = load_spec(readable_spec(path), options)
    if loaded.spec is None:
        raise SpeccError(f"{path}: the spec does not load; run `specc lint {path}`")
    return loaded.spec


def cancel(client: HubSpotClient, import_id: str) -> str | None:
    """Cancel the import; HubSpot's `status` of the cancel, or None when it was canceled
    already. A retried cancel (its first answer lost) finds the import canceled: that is the
    outcome asked for, not an error."""
    try:
        answer = client.cancel_import(import_id)
    except HubSpotApiError as exc:
        if exc.status != 400 or client.get_import(import_id).get("state") != "CANCELED":
            raise
        return None
    return str(answer.get("status") or "")


def import_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    """The import as the JSON document of `import` and `errors` shows it (its `import` key)."""
    return {
        "id": str(record.get("id")),
        "name": record.get("importName"),
        "state": record.get("state"),
        "createdAt": record.get("createdAt"),
        "updatedAt": record.get("updatedAt"),
        "counters": counters_of(record),
    }


def plan_import(
    spec: Spec,
    client: HubSpotClient,
    *,
    sample: int | None = None,
    max_shown: int | None = None,
    progress: LookupProgress | None = None,
) -> Plan:
    """specc.plan of `spec` against the records of the account `client` reaches, judged by the
    catalog the spec names (the catalog's own problems are lint's, reported before)."""
    from specc.catalog.load import load_catalog
    from specc.plan import AccountLookup, plan_spec

    catalog, _ = load_catalog(spec)
    lookup = AccountLookup(client)
    return plan_spec(spec, catalog, lookup, sample=sample, max_shown=max_shown, progress=progress)


@dataclass
class Planned:
    """What `plan_file` found: the lint's result, and when the spec lints clean the plan,
    whose failing rows are in the result too (Plan.add_to)."""

    result: Result
    plan: Plan | None = None

    @property
    def members(self) -> dict[str, Any]:
        """What the plan adds to the JSON document (its `plan` key), when there is one."""
        return {"plan": self.plan.to_json()} if self.plan is not None else {}


def plan_file(
    path: Path,
    options: Options,
    account: Account,
    on_event: OnEvent,
    bar: AbstractContextManager[LookupProgress | None],
    *,
    strict: bool,
    sample: int | None = None,
) -> Planned:
    """`specc plan`: lint the spec at `path`, and only when it has no errors (nor, with
    `strict`, warnings) plan_import it through a client of `account` (its events to
    `on_event`), showing `options.max_errors` failing rows per file (--max-errors), the
    lookups counted by the callback `bar` gives once entered."""
    from specc.pipeline import lint_spec

    spec, result = lint_spec(path, options)
    if spec is None or not result.ok(strict):
        return Planned(result)
    with account.client(on_event) as client, bar as progress:
        plan = plan_import(
            spec, client, sample=sample, max_shown=options.max_errors, progress=progress
        )
    plan.add_to(result)
    return Planned(result, plan)


@dataclass
class SavedCatalog:
    """Where `save_catalog` wrote the snapshot, and how much it holds."""

    path: Path
    objects: int
    properties: int
    notes: list[str] = field(default_factory=list)  # what the pull left out, and why


def pull_catalog_to(
    client: HubSpotClient, objects: Iterable[str], output: Path | None
) -> SavedCatalog:
    """The catalog of `objects` (every standard and custom object when none) pulled from the
    account (specc.hubspot.catalog_pull) and saved by save_catalog, with the pull's notes on
    what it left out (a part the token has no scope for, ...)."""
    from specc.hubspot.catalog_pull import pull_catalog

    document, notes = pull_catalog(client, list(objects))
    return replace(save_catalog(document, output), notes=notes)


def save_catalog(document: dict[str, Any], output: Path | None) -> SavedCatalog:
    """Write a pulled snapshot (validated, atomically) to `output`, by default to
    specc.hubspot.catalog_pull.DEFAULT_OUTPUT, whose folder is made when missing."""
    from specc.catalog.snapshot import write_snapshot
    from specc.hubspot.catalog_pull import DEFAULT_OUTPUT

    if output is None:
        output = DEFAULT_OUTPUT
        with contextlib.suppress(OSError):  # write_snapshot says why it cannot write there
            output.parent.mkdir(exist_ok=True)
    write_snapshot(document, output)
    properties = sum(len(o.get("properties") or []) for o in document["objects"])
    return SavedCatalog(output, len(document["objects"]), properties)
