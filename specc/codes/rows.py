"""Codes of the row checks (SPC450-SPC499): whole files, rows and columns of data files.

Raised by `specc.data.check` and the readers. The per-cell value codes (SPC400-SPC449) live
in `codes/data.py`; the header codes (SPC300-SPC349) in `codes/mapping.py`.
"""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 - reads like the other two

# --- reading the file ---------------------------------------------------------------------

NOT_UTF8 = define(
    "SPC450",
    E,
    "data file is not UTF-8",
    """
    A byte of the CSV file is not valid UTF-8. HubSpot reads CSV files as UTF-8 ("Be UTF-8
    encoded if the file includes foreign language characters"), so accented letters and other
    non-ASCII text saved in another encoding (Windows-1252, Latin-1, Mac Roman, UTF-16) arrive
    garbled or fail the row.

    specc reports the first bad byte (its line and byte offset) and checks no rows of that
    file, because every row after it may be misread.

    Fix: save the file again as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8; LibreOffice:
    character set Unicode (UTF-8)), or convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`.
    """,
)

BINARY_FILE = define(
    "SPC451",
    E,
    "data file holds NUL bytes",
    """
    The CSV file contains NUL bytes (byte 0). Text files never do: the file is binary (a
    spreadsheet, an archive, a database dump renamed .csv) or encoded as UTF-16, which puts a
    NUL beside every ASCII letter. HubSpot cannot read it as CSV.

    specc reports where the first NUL is and checks no rows of that file.

    Fix: export the data as "CSV UTF-8"; if the file is a spreadsheet, name it .xlsx (or set
    `format: spreadsheet`).
    """,
)

WRONG_CELL_COUNT = define(
    "SPC452",
    E,
    "row has more or fewer cells than the header",
    """
    The row does not have one cell per column of the header. HubSpot fails such a row with
    INCORRECT_NUMBER_OF_COLUMNS and imports nothing of it. Usual causes: a comma inside a
    value that is not quoted, a missing or extra trailing comma, a line break that splits a row.

    Fix: quote values that contain commas, quotes or line breaks ("Berlin, Germany"), and give
    every row as many cells as the header (empty cells are fine: `a,,c`).
    """,
    hubspot_error="INCORRECT_NUMBER_OF_COLUMNS",
)

UNPARSEABLE_ROW = define(
    "SPC453",
    E,
    "row cannot be parsed",
    """
    The row breaks CSV's quoting rules (RFC 4180): a quoted cell is followed by more text
    before the next comma (`"Acme" Inc,`), or a quote opens a cell and never closes, so the
    rest of the file would read as one cell. HubSpot fails the row with COULD_NOT_PARSE_ROW.

    A quote that never closes swallows every line after it, so specc stops reading that file
    there.

    Fix: put the whole cell in quotes and double the quotes inside it
    (`"Acme ""Best"" Inc"`), or remove the stray quote.
    """,
    hubspot_error="COULD_NOT_PARSE_ROW",
)

UNREADABLE_SPREADSHEET = define(
    "SPC454",
    E,
    "spreadsheet cannot be read",
    """
    The spreadsheet's rows could not be read: the file is damaged, protected by a password, or
    not the format its extension says. HubSpot answers INVALID_SPREADSHEET.

    Fix: open the file in Excel or LibreOffice and save it again as .xlsx, or export it as
    CSV UTF-8.
    """,
    hubspot_error="INVALID_SPREADSHEET",
)

ROW_TOO_LONG = define(
    "SPC455",
    E,
    "row longer than any HubSpot can import",
    """
    The row holds more bytes than a row of the file's columns can: HubSpot's cells hold at
    most 65,536 characters, so a row of N columns is at most about N x 192 KiB of UTF-8
    (specc allows at least 16 MiB and reads at most 64 MiB of one row). Such a row is a
    cell pasted over and over, a file whose lines do not end (a binary or a one-line
    export), or quotes that join many lines into one cell. HubSpot fails it (a cell too
    large: COLUMN_TOO_LARGE).

    specc does not read the row: it passes over it to where it ends (the first line break
    outside quotes) and checks the rows after it. With `--rejects`, the row is copied as it
    is into the rejects file.

    Fix: shorten the cell or split the row; check that the file's lines end with line
    breaks and that every quote that opens a cell closes it.
    """,
    hubspot_error="COLUMN_TOO_LARGE",
)

SPREADSHEET_TOO_LARGE = define(
    "SPC456",
    E,
    "spreadsheet larger inside than any real workbook",
    """
    The .xlsx file holds more than its size allows a real workbook to: its parts inflate to
    over 100 times the file's size, or more than a zip header declares; a sheet's cells span
    a rectangle of over 4 cells per byte of the sheet (a reader builds that rectangle in
    memory: two cells at A1 and XFD1048576 ask for 17 billion); a cell lies past Excel's
    last row or column; there are more shared strings than cells; or the zip has over
    10,000 parts. Workbooks saved by Excel, LibreOffice or a library stay far below each
    bound (sheets compress 9-26 times and hold under one cell per byte), also at HubSpot's
    limits of 1,048,576 rows and 512 MB. Such a file is damaged or built to exhaust a
    reader (a zip bomb), so specc does not open it.

    Fix: open the file in Excel or LibreOffice and save it again as .xlsx, or export the
    sheet as CSV UTF-8.
    """,
)

# --- whole rows -----------------------------------------------------------------------------

MISSING_REQUIRED_VALUE = define(
    "SPC460",
    E,
    "required property blank in a row of a CREATE import",
    """
    The import creates records of this object (`operations: create`), and this row leaves a
    property blank that creating a record needs (for contacts one of email, first name or last
    name; for deals the name, pipeline and stage; ...). HubSpot's changelog: "If the import
    provided the required property as a column, but one of their rows has a blank value for
    that column, we'll fail just that row" (MISSING_REQUIRED_PROPERTY).

    Fix: fill the cell, or import the row as an update of an existing record.
    """,
    hubspot_error="MISSING_REQUIRED_PROPERTY",
)

DUPLICATE_ALTERNATE_ID = define(
    "SPC461",
    E,
    "identifier repeated in another row",
    """
    The value already appeared in an earlier row of this column, which identifies records
    (an `id: true` column, contacts' email, companies' domain). Two rows then name the same
    record; HubSpot fails the repeat with DUPLICATE_ALTERNATE_ID. Emails and domains compare
    without regard to letter case or surrounding spaces, as HubSpot stores them.

    In a file of several objects, only the identifiers of the object its rows are about are
    checked: the file's `object:`, else the object most of its columns name. The others name
    the records each row associates with (many contacts' rows rightly name one company).

    Each repeat is reported, the first occurrence is not. Fix: merge the rows into one, or
    correct the identifier that is wrong.
    """,
    hubspot_error="DUPLICATE_ALTERNATE_ID",
)

DUPLICATE_OBJECT_ID = define(
    "SPC462",
    E,
    "record id repeated in another row",
    """
    The record id (`hs_object_id`) already appeared in an earlier row. Both rows would update
    the same record; HubSpot fails the repeat with DUPLICATE_OBJECT_ID.

    Each repeat is reported, the first occurrence is not. Fix: merge the rows into one, or
    correct the record id that is wrong.
    """,
    hubspot_error="DUPLICATE_OBJECT_ID",
)

DUPLICATE_UNIQUE_VALUE = define(
    "SPC463",
    E,
    "unique property's value repeated in another row",
    """
    The property only accepts values no other record has (`hasUniqueValue: true`), and the
    value already appeared in an earlier row of the file. HubSpot fails the repeat with
    DUPLICATE_UNIQUE_PROPERTY_VALUE. (It also fails values that records in the account already
    hold; specc cannot see those.)

    Each repeat is reported, the first occurrence is not. Fix: give each row its own value.
    """,
    hubspot_error="DUPLICATE_UNIQUE_PROPERTY_VALUE",
)

EMPTY_OBJECT = define(
    "SPC464",
    E,
    "every cell of an object is blank in a row",
    """
    The row has values, but every column of one of the file's objects is blank in it, so that
    record would have no property at all. HubSpot fails it with
    FAILED_TO_PROCESS_OBJECT_WITH_EMPTY_PROPERTY_VALUES.

    Fix: fill at least the object's identifier or name, or move the row to a file without
    that object.
    """,
    hubspot_error="FAILED_TO_PROCESS_OBJECT_WITH_EMPTY_PROPERTY_VALUES",
)

BLANK_ROW = define(
    "SPC465",
    W,
    "blank row",
    """
    Every cell of the row is blank (`,,,` in a CSV file, an empty row inside a sheet). It
    imports nothing; HubSpot skips it or lists it as a failed row, which clutters the import's
    error report.

    Fix: delete the row. (Lines that are completely empty are skipped without a word.)
    """,
)

# --- limits ---------------------------------------------------------------------------------

TOO_MANY_ROWS = define(
    "SPC470",
    E,
    "file over HubSpot's 1,048,576 rows, and specc cannot send it in parts",
    """
    HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB, whichever is
    reached first"; a request over the limit is refused (HTTP 429). The diagnostic points at
    the first row over the limit.

    `specc import` sends a spec of one CSV file over the limit as several imports of whole
    rows (SPC472 says how many), so this error is only for what it cannot cut: a file of a
    spec with several files (each import takes its files together, and HubSpot matches
    their rows across files), and a spreadsheet (.xlsx, .xls), which specc does not rewrite.

    Fix: save a spreadsheet as CSV UTF-8 and point the spec at it (specc then splits it);
    give each file of a several-file spec its own parts, e.g. one spec per part.
    """,
)

FILE_TOO_LARGE = define(
    "SPC471",
    E,
    "file over HubSpot's 512 MB, and specc cannot send it in parts",
    """
    HubSpot: "individual import files are limited to 1,048,576 rows or 512 MB, whichever is
    reached first"; a request over the limit is refused (HTTP 429). specc reads MB as MiB
    (536,870,912 bytes). Accounts on HubSpot's free tools can import files up to 20 MB only.

    `specc import` sends a spec of one CSV file over the limit as several imports of whole
    rows (SPC472 says how many), so this error is only for what it cannot cut: a file of a
    spec with several files, and a spreadsheet (.xlsx, .xls), which specc does not rewrite.

    Fix: save a spreadsheet as CSV UTF-8 and point the spec at it (specc then splits it);
    give each file of a several-file spec its own parts, e.g. one spec per part.
    """,
)

SENT_IN_PARTS = define(
    "SPC472",
    I,
    "file over HubSpot's per-file limits: `specc import` sends it in parts",
    """
    The spec's only file is a CSV file over one of HubSpot's per-file limits (1,048,576 data
    rows, 512 MB). HubSpot refuses such a file (HTTP 429, "split your import into multiple
    requests"), so `specc import` sends it as N imports, each the file's header and a run of
    whole rows (a line break inside a quoted cell never cuts a row) under both limits, named
    `NAME (part K of N)`, one after another. Each part leaves room under 512 MB for the rest
    of the request. `--wait` waits for each part before sending the next and reports every
    part and the totals; HubSpot's row errors are shown at the lines of the original file.

    Nothing to fix. Rows are checked across the whole file as usual (a repeated email in two
    parts is still a repeat). Each part is an import of its own: canceling or reverting one
    leaves the others.
    """,
)

REFUSED_OVER_LIMIT = define(
    "SPC473",
    E,
    "HubSpot refused the file as over its per-file limits",
    """
    HubSpot answered the upload with HTTP 429 and a message saying the file is over its
    per-file limits (1,048,576 rows or 512 MB). Sending the same file again cannot succeed,
    so specc does not retry it (a 429 of the rate limit, which says when to try again, is
    retried as usual). Nothing was imported.

    Fix: run `specc check` on the spec: a spec of one CSV file over the limits is sent in
    parts (SPC472); a spreadsheet or a file of a several-file spec must be cut first (SPC470,
    SPC471). If the file is under the limits by specc's count, your account's own limit may
    be lower (free tools take files up to 20 MB): cut the file into smaller files.
    """,
)

EMIT_OVER_LIMIT = define(
    "SPC474",
    E,
    "file over HubSpot's per-file limits: this form of `specc emit` would send it whole",
    """
    The spec's only file is a CSV file over one of HubSpot's per-file limits (1,048,576 data
    rows, 512 MB). `specc import` sends such a file in parts (SPC472), and so does the script
    `specc emit --as python` writes: one import per part, one after another, each the file's
    header and a run of whole rows, refusing to run if the file changed since. The curl and
    httpie commands and the request summary send the file whole, which HubSpot refuses (HTTP
    429, "split your import into multiple requests"), so for them emit writes nothing.

    Fix: emit it `--as python`, or send it with `specc import`, which also waits for each
    part; or cut the file into files under the limits, one spec each.
    """,
)

# --- about the check itself -----------------------------------------------------------------

MORE_NOT_SHOWN = define(
    "SPC480",
    I,
    "more problems in the file not shown",
    """
    The file has more row problems than `--max-errors` (or `checks: max_errors:`, 1000 by
    default) lets specc list. They were all counted (see the summary by error type) and,
    with `--rejects DIR`, all failing rows were written out; only the listing stops.

    Fix: correct the problems shown and check again, or raise the limit.
    """,
)

ROWS_NOT_CHECKED = define(
    "SPC481",
    I,
    "rows not checked: the file's header does not match",
    """
    The file's header has errors (reported above), so its columns cannot be paired with the
    spec's columns and its rows were not checked cell by cell.

    Fix: correct the header errors first, then run `specc check` again.
    """,
)
