"""SPC5xx: what HubSpot said when specc talked to it (`specc import`, `status`, `errors`, ...)."""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

# --- the request was refused (HTTP errors) -------------------------------------------------

REFUSED = define(
    "SPC500",
    Severity.ERROR,
    "HubSpot refused the request",
    """
    HubSpot answered with an HTTP 4xx error, so it did not do what specc asked (for an upload:
    no import was created). The message shows HubSpot's own words: its `category` (for example
    VALIDATION_ERROR), `message`, the `errors[]` details and `context`, and the `correlationId`
    to quote to HubSpot support.

    A VALIDATION_ERROR on an upload usually means the importRequest does not match what HubSpot
    expects for this account: a property that does not exist, a CREATE without the object's
    required properties, a file name that does not match a `files` part. Run `specc check`
    with a catalog snapshot of the account (`specc catalog pull`) to find it before uploading.
    """,
)

UNAUTHORIZED = define(
    "SPC501",
    Severity.ERROR,
    "HubSpot did not accept the access token (401)",
    """
    HubSpot answered 401: the token in HUBSPOT_ACCESS_TOKEN is missing, malformed, expired,
    revoked, or belongs to another HubSpot environment. specc sends it as
    `Authorization: Bearer <token>` and reads it only from the environment.

    Fix: copy the token again from the private app (or service key) in HubSpot's settings and
    export it as HUBSPOT_ACCESS_TOKEN. When --base-url points somewhere else than HubSpot, the
    token must be one that server accepts.
    """,
)

FORBIDDEN = define(
    "SPC502",
    Severity.ERROR,
    "the token lacks a required scope (403)",
    """
    HubSpot answered 403: the token is valid but not allowed to do this. Every imports endpoint
    needs the `crm.import` scope; `specc catalog pull` needs read access to the objects'
    properties (`crm.objects.<object>.read` or `crm.schemas.<object>.read`) and, for custom
    objects, `crm.schemas.custom.read`. HubSpot names what is missing in the error's
    `context.missingScopes`, which specc shows.

    Fix: add the scope to the private app or service key, then use the new token it issues.
    """,
)

RATE_LIMITED = define(
    "SPC503",
    Severity.ERROR,
    "HubSpot's rate limit did not clear",
    """
    HubSpot kept answering 429 Too Many Requests. specc waits as long as the `Retry-After`
    header says (or backs off exponentially when there is none) and tries again a few times;
    this code means it gave up. Nothing was created by the refused attempts: a 429 means
    HubSpot did not accept the request.

    Imports have their own limits besides the API's request rate: 500 imports a day (50 on
    free accounts), 80 million rows a day through the API, files up to 512 MB and 1,048,576
    rows. Wait, or split the import.
    """,
)

SERVER_ERROR = define(
    "SPC504",
    Severity.ERROR,
    "HubSpot kept failing with a server error",
    """
    HubSpot (or a proxy in front of it) answered 5xx on every try. specc retries requests that
    are safe to repeat with growing, jittered delays. For the upload, a 5xx leaves the outcome
    unknown, so before sending again specc lists the imports and adopts one that this upload
    created (see SPC530); it never sends the same import twice.

    Try again later; `specc imports` shows whether an import was created meanwhile.
    """,
)

# --- how the import ended ------------------------------------------------------------------

IMPORT_FAILED = define(
    "SPC510",
    Severity.ERROR,
    "the import FAILED",
    """
    HubSpot accepted the upload but the import ended in state FAILED: "there was an error that
    was not detected when the import was started. The import was not completed." Some rows may
    have been written before it stopped. The row errors HubSpot reports are listed with their
    own codes (SPC520, SPC521).
    """,
)

IMPORT_CANCELED = define(
    "SPC511",
    Severity.ERROR,
    "the import was CANCELED",
    """
    The import was canceled (with `specc cancel`, another API client or HubSpot's UI) while it
    was waiting or processing. Rows processed before the cancel stay imported. Start it again
    when ready; HubSpot updates or creates records per its operations, so check what the first
    run wrote before repeating a CREATE.
    """,
)

IMPORT_REVERTED = define(
    "SPC512",
    Severity.WARNING,
    "the import was REVERTED",
    """
    The import finished, then someone reverted it (HubSpot's "undo import"), which removes the
    records it created. Nothing is wrong with the spec; this only says the data is no longer
    in the CRM.
    """,
)

# --- row errors HubSpot reported -----------------------------------------------------------

ROW_ERROR = define(
    "SPC520",
    Severity.ERROR,
    "HubSpot reported an error in a row",
    """
    After the import ran, HubSpot's `GET /imports/{id}/errors` listed this row: `hubspot_error`
    is its `errorType` (for example INVALID_EMAIL, COULD_NOT_PARSE_DATE,
    INVALID_ENUMERATION_OPTION). specc points at the data file's line (HubSpot's `lineNumber`,
    where the header is line 1), the column (from HubSpot's 0-based `knownColumnNumber`, named
    by the spec's header), the offending value, and the spec's mapping of that column.

    Depending on the error type HubSpot skipped the row or imported it without that value.
    `specc errors ID --format csv` writes the list as a fix list; `specc check` predicts most
    of these before the upload.
    """,
    relays_hubspot_error=True,
)

FILE_ERROR = define(
    "SPC521",
    Severity.ERROR,
    "HubSpot reported an error for a whole file",
    """
    HubSpot listed an error with line number 0, which it reserves for problems of a whole file
    rather than one row: a file it could not find (FILE_NOT_FOUND: the `fileName` of the
    request and the uploaded file's name differ), an unreadable spreadsheet, more than one sheet,
    an unsupported file type. `specc lint` checks the file names and formats before uploading.
    """,
    relays_hubspot_error=True,
)

# --- reliability ---------------------------------------------------------------------------

ADOPTED = define(
    "SPC530",
    Severity.INFO,
    "adopted the import an interrupted upload created",
    """
    The upload's outcome was unknown: the connection dropped or timed out after the body was
    sent, or HubSpot answered 5xx. Sending again could have created a second import of the same
    rows, so specc listed the account's imports instead and found one with the spec's name,
    created since the upload began. It followed that import rather than uploading again.
    specc sends again only when no such import exists.
    """,
)

EARLIER_PART_NOT_IMPORTED = define(
    "SPC531",
    Severity.ERROR,
    "an earlier part of the file was not imported",
    """
    `specc import --from-part K` sends parts K to N of a file over HubSpot's per-file limits,
    for when an earlier run imported parts 1 to K-1 and stopped (HubSpot refused part K, or
    the command was interrupted). Before sending anything, specc lists the account's imports
    and looks for each earlier part by its name, `NAME (part J of N)`: one that is missing,
    or whose every import ended FAILED, CANCELED or REVERTED, would leave its rows out of
    HubSpot, so nothing is sent.

    Start from the first part that is missing (`--from-part J`), or send the whole file again
    without `--from-part`. The names must be the earlier run's: the same spec name (a name
    built from `now` differs from run to run) and the same file, cut into the same number of
    parts.
    """,
)

PARTS_LEFT_UNSENT = define(
    "SPC532",
    Severity.INFO,
    "the file's later parts were not sent",
    """
    A file over HubSpot's per-file limits goes in parts, one import each, one after another.
    The run stopped at a part (HubSpot refused it, or HubSpot could not be reached): the
    parts before it are imported and stay so, the parts from it on were not sent.

    Once the cause is fixed, send the rest with `specc import SPEC --from-part K`; it checks
    first that the earlier parts are in the account's imports.
    """,
)
