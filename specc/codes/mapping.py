"""Codes of the mapping checks (SPC200-SPC299) and the data-file header checks (SPC300-SPC349).

Raised by `specc.rules`. A few codes have a severity that depends on what specc knows: an
unknown property is an error against a catalog snapshot (the account's truth) and a warning
against the bundled catalog (it may be the account's own property). Such codes are defined
with their strongest severity and lowered with `severity=` where the rule says why.
"""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741 - reads like the other two

# --- properties -----------------------------------------------------------------------------

UNKNOWN_PROPERTY = define(
    "SPC200",
    E,
    "property not found",
    """
    The column maps to a property its object does not have. HubSpot answers every row with
    PROPERTY_DEFINITION_NOT_FOUND, so the column's values are lost.

    With a catalog snapshot (`catalog:` in the spec) this is an error: the snapshot is the
    account's list of properties. With the bundled catalog of HubSpot's default properties it
    is a warning, because the property may be one the account created itself; pull a snapshot
    (`specc catalog pull`) to check custom properties too.

    Fix: use the property's internal name (not its label); the hint names the closest ones.
    """,
    hubspot_error="PROPERTY_DEFINITION_NOT_FOUND",
)

PROPERTY_OF_ANOTHER_OBJECT = define(
    "SPC201",
    E,
    "property belongs to another object",
    """
    The column's object has no property of this name, but another object does (for example
    `dealname` in a contacts file). HubSpot looks the property up on the column's object only
    and answers PROPERTY_DEFINITION_NOT_FOUND.

    Error with a catalog snapshot, warning with the bundled catalog (the account may have a
    custom property of that name). Fix: give the column the right `object:` (single-file
    imports may hold several objects), or map it to a property of the file's object.
    """,
    hubspot_error="PROPERTY_DEFINITION_NOT_FOUND",
)

OBJECT_NOT_IN_CATALOG = define(
    "SPC202",
    I,
    "object's properties cannot be confirmed",
    """
    The catalog has no property list for this object: custom objects and the standard objects
    the bundled catalog does not cover, or an object a snapshot leaves out. specc then cannot
    confirm that the object's properties exist, are writable or identify records.

    Info with the bundled catalog; a warning with a snapshot, which was meant to cover the
    import. Fix: pull a snapshot that includes the object
    (`specc catalog pull --object OBJ -o FILE`) and name it under `catalog:`.
    """,
)

READ_ONLY_PROPERTY = define(
    "SPC203",
    E,
    "read-only property mapped for writing",
    """
    The property's value is set by HubSpot (`modificationMetadata.readOnlyValue: true`) or
    calculated from other properties, so an import cannot write it.

    The record id `hs_object_id` is read-only too, but it is how rows name existing records:
    map it with `id: true` and it is used to match, not written. When the catalog does not say
    whether a property is writable, specc stays silent rather than guess.

    Fix: drop the column or mark it `ignore: true`, or map it to a writable property.
    """,
)

ID_NOT_AN_IDENTIFIER = define(
    "SPC204",
    E,
    "`id: true` on a property that does not identify records",
    """
    `id: true` tells HubSpot to match rows to existing records by this column
    (HUBSPOT_OBJECT_ID / HUBSPOT_ALTERNATE_ID). Only these properties can do that: the record
    id `hs_object_id`, contacts' `email`, companies' `domain`, products' `hs_sku`, and
    properties whose values are unique (`hasUniqueValue: true`).

    Fix: remove `id: true`, or put it on one of the identifiers the hint lists. A custom
    unique property unknown to the bundled catalog is not flagged; with a snapshot it is
    checked.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

PROPERTY_MAPPED_TWICE = define(
    "SPC205",
    E,
    "property mapped by two columns",
    """
    Two columns of one file write the same property of the same object. Each row is one
    record per object, so the two cells compete for one value; HubSpot's import tool does not
    let a property be mapped twice.

    Fix: keep one column and mark the other `ignore: true`.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

RECORD_ID_NOT_MARKED = define(
    "SPC206",
    E,
    "record id column without `id: true`",
    """
    The column maps `hs_object_id`, the record id, but is not marked `id: true`, so the
    request sends it as a plain property write. The record id is read-only: HubSpot fails
    every row with FAILED_VALIDATION (reported in a HubSpot client library's issue tracker for
    imports that map `hs_object_id` as a plain property). To match rows to existing
    records, HubSpot expects the column to be typed HUBSPOT_OBJECT_ID.

    Fix: map the column as `{property: hs_object_id, id: true}`.
    """,
    hubspot_error="FAILED_VALIDATION",
)

# --- operations and identifiers ---------------------------------------------------------------

UPDATE_WITHOUT_IDENTIFIER = define(
    "SPC210",
    E,
    "UPDATE without a column that identifies records",
    """
    An UPDATE import only changes existing records, and it finds them by an identifier
    column: the record id (`hs_object_id`), contacts' `email`, companies' `domain`, products'
    `hs_sku`, or a property with unique values. Without one, no row can match a record (the
    HubSpot knowledge base: "If you're updating records, you must include a unique
    identifier").

    Fix: add an identifier column and mark it `id: true`. For an object the catalog does not
    know (custom objects without a snapshot) this is a warning, since specc cannot see its
    unique properties.
    """,
)

IDENTIFIER_NOT_MARKED = define(
    "SPC211",
    I,
    "identifier column not marked `id: true`",
    """
    The object is updated or upserted and a column holds one of its identifiers (`email`,
    `domain`, a unique property), but no column is marked `id: true`. HubSpot deduplicates
    contacts by email and companies by domain on its own; for other unique properties the
    column type is what tells HubSpot to match by it.

    Fix: mark the identifier column `id: true` to say explicitly how rows find records.
    """,
)

UPSERT_WITHOUT_IDENTIFIER = define(
    "SPC212",
    W,
    "UPSERT without a column that identifies records",
    """
    UPSERT (HubSpot's default when `operations` is absent) updates the records a row
    identifies and creates the others. With no identifier column no row can match, so every
    row creates a new record, possibly duplicating ones that exist.

    Fix: add an identifier column (record id, email, domain, a unique property) marked
    `id: true`, or say `create` for the object if new records are what you want.
    Activities (calls, notes, ...) are exempt: importing them always creates them.
    """,
)

CREATE_MISSING_REQUIRED = define(
    "SPC213",
    E,
    "CREATE without the object's required properties",
    """
    HubSpot refuses a CREATE import (HTTP 400, VALIDATION_ERROR, "Some required properties
    for CONTACT creates are missing") when no column maps a property the object needs to
    create records, e.g. one of email/firstname/lastname for contacts, dealname, pipeline and
    dealstage for deals. Custom objects need their schema's `requiredProperties`. HubSpot
    checks every object `operations` creates, one no column writes too (SPC217 says so as
    well): with no column, every required property is missing.

    For activities imported without an explicit `create` (every row creates an activity
    anyway) the request is not refused, so this is a warning there; each row may still fail.

    Fix: add columns for the properties the message names.
    """,
)

CREATE_MISSING_RECOMMENDED = define(
    "SPC214",
    W,
    "CREATE without a recommended property",
    """
    The records can be created, but HubSpot's documentation asks for this property: a
    contact without an email cannot be deduplicated later; an activity without
    `hs_timestamp` gets the time of the import as its activity date.

    Fix: add a column for the property, or allow the code if the default is what you want.
    """,
)

ACTIVITY_UPDATE = define(
    "SPC215",
    E,
    "existing activities cannot be updated by import",
    """
    HubSpot's knowledge base: "existing emails, meetings, notes, and tasks cannot be updated
    via import". An UPDATE of these objects can only fail.

    Error for `update`. For an explicit `upsert`, and for a record id column when
    `operations` is absent (HubSpot's default is UPSERT), it is a warning: the rows create
    new activities instead of changing the existing ones.

    Fix: use `create` for the activity and drop its record id column.
    """,
)

ACTIVITY_WITHOUT_ASSOCIATION = define(
    "SPC216",
    W,
    "email, meeting or note imported without an associated record",
    """
    HubSpot's knowledge base: "emails, meetings, and notes must be imported and associated
    with a CRM object" (calls and tasks may stand alone). The import has no column that
    associates these activities with another object's records.

    Fix: add columns of the associated object to the same file (e.g. the contact's email
    with `object: contacts`), or a `references` column in a multi-file import.
    """,
)

OPERATION_FOR_UNUSED_OBJECT = define(
    "SPC217",
    W,
    "operation for an object no column uses",
    """
    `operations` names an object that none of the files' columns belongs to. The request
    carries the operation, but nothing is imported for that object; most likely a column's
    `object:` or the operation's key is wrong. How HubSpot treats such a key is not
    documented, hence a warning.

    Fix: remove the operation, or add the object's columns.
    """,
)

CONTACT_OPTION_WITHOUT_CONTACTS = define(
    "SPC218",
    W,
    "contacts-only option without contacts",
    """
    `marketable` and `create_list` apply to the contacts of an import only; this import has
    no contact columns, so HubSpot ignores them.

    Fix: remove the option, or check the files' objects.
    """,
)

# --- files ----------------------------------------------------------------------------------

REPEATED_HEADER_NAME = define(
    "SPC220",
    W,
    "header name repeated in a file",
    """
    Two columns of one file have the same header name. `columnName` is how HubSpot joins a
    mapping to a column (it uses the names to reorder columns that are out of order), so two
    columns of one name may be mixed up. HubSpot documents no refusal of such a file, and the
    spec format's list form of `columns` exists to map one, so this is a warning: the mappings
    are sent in the header's order, which HubSpot follows when the order matches.

    Fix: rename one of the headers in the data file and in the spec, if you can.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

DUPLICATE_FILE_NAME = define(
    "SPC221",
    E,
    "two files with the same file name",
    """
    HubSpot pairs each uploaded file with its `files[]` entry by file name (`fileName` is the
    base name of `path`), so two files of one name in one import cannot both be matched.

    Fix: rename one of the data files.
    """,
    hubspot_error="FILE_NOT_FOUND",
)

FORMAT_EXTENSION_MISMATCH = define(
    "SPC222",
    E,
    "file format does not match the file's extension",
    """
    HubSpot accepts .csv files as CSV and .xlsx/.xls files as SPREADSHEET, and nothing else.
    A `format:` that contradicts the extension, or an extension HubSpot does not take, fails
    the file with INVALID_FILE_TYPE.

    Fix: save the data as .csv, .xlsx or .xls and let `format` follow the extension.
    """,
    hubspot_error="INVALID_FILE_TYPE",
)

TOO_MANY_COLUMNS = define(
    "SPC223",
    E,
    "1,000 columns or more in one file",
    """
    HubSpot's import files must contain fewer than 1,000 columns.

    Fix: split the file, or leave out columns you do not import.
    """,
)

NO_HEADER_ROW = define(
    "SPC224",
    W,
    "file without a header row",
    """
    `has_header: false` imports a file whose first line is data. Every HubSpot example and the
    knowledge base expect a header row ("Include a header row in which each column header
    corresponds to a property"); without it the mappings are joined by position only, and the
    header check cannot compare names.

    Fix: add a header row to the file and remove `has_header: false`.
    """,
)

MANY_FILES = define(
    "SPC225",
    W,
    "more than two files in one import",
    """
    HubSpot documents imports of one file and of two associated files; it states no maximum,
    but no documented example goes beyond two. Imports of more files are untested.

    Fix: split the import into imports of one or two files, or allow the code after trying it
    on a sandbox account.
    """,
)

# --- multi-file associations ----------------------------------------------------------------

REFERENCE_WITHOUT_OWNING_FILE = define(
    "SPC230",
    E,
    "`references` without a file of the referenced object",
    """
    A `references: OBJECT` column is the common column of a multi-file import: its values
    must be found in another file of the same import, whose object is OBJECT, in a column of
    the same header name marked `association_key: true`. The import has no file of OBJECT.

    Fix: add the file of OBJECT to `files`, or change `references` to the object of one of the
    other files.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

REFERENCE_WITHOUT_ASSOCIATION_KEY = define(
    "SPC231",
    E,
    "referenced file has no matching `association_key` column",
    """
    The file of the referenced object must have a column with the same header name as the
    `references` column, marked `association_key: true` (HubSpot's
    `associationIdentifierColumn`). That is how HubSpot knows which records the values point
    at.

    Fix: give the owning file's common column the same header name and mark it
    `association_key: true`.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

ASSOCIATION_KEY_NOT_IDENTIFIER = define(
    "SPC232",
    E,
    "association key is not an identifier",
    """
    HubSpot: "You cannot use arbitrary identifiers for multi-file imports." The common
    column must map the record id `hs_object_id`, an identifier such as `email` or `domain`,
    or a property with unique values.

    Fix: use one of those properties for the common column, or import both objects in one
    file (one record of each per row) instead.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

UNREFERENCED_ASSOCIATION_KEY = define(
    "SPC233",
    W,
    "`association_key` that no file references",
    """
    The column is marked `association_key: true`, but no other file has a `references`
    column of the same header name pointing at this file's object, so nothing is associated
    through it.

    Fix: add the `references` column to the other file, or drop `association_key`.
    """,
)

UNKNOWN_ASSOCIATION_TYPE = define(
    "SPC234",
    E,
    "association type unknown for the pair of objects",
    """
    A HUBSPOT_DEFINED association type id names one direction between two objects (companies
    to contacts is 280, contacts to companies 279). The id given is not one HubSpot defines
    from the column's object to the referenced one.

    Types specc cannot confirm are not errors: USER_DEFINED and INTEGRATOR_DEFINED labels,
    custom objects, pairs its table does not cover. Those give an info.

    Fix: remove `association:` to use HubSpot's default type for the pair, or use the id the
    hint suggests.
    """,
)

# --- labels and same-object associations ----------------------------------------------------

LABEL_SAME_OBJECT = define(
    "SPC240",
    E,
    "association label between an object and itself",
    """
    A `label: OBJECT` column holds the labels of the association between the column's object
    and OBJECT, the two records of one row. Both are the same object here; same-object
    associations are imported with an `association_keys` column instead.

    Fix: set `label:` (or the column's `object:`) to the other object of the row.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

LABEL_OBJECT_MISSING = define(
    "SPC241",
    E,
    "association label for an object the file does not hold",
    """
    Association labels apply between the records of one row, so the file must hold columns
    of both objects: the label column's own object and the one named by `label:`.

    Fix: add columns of the missing object to the file (with `object:`), or correct `label:`.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

ASSOCIATION_KEYS_NOT_IDENTIFIER = define(
    "SPC242",
    E,
    "`association_keys` column does not hold an identifier",
    """
    In a same-object association import the `association_keys` column names the associated
    record by a unique identifier: its record id, or for existing contacts and companies the
    primary email or domain ("Secondary emails or domains are not supported").

    Fix: map the column to `hs_object_id`, `email`, `domain` or a unique property.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

ASSOCIATION_KEYS_ACROSS_OBJECTS = define(
    "SPC243",
    E,
    "`association_keys` column of another object",
    """
    `association_keys` is for same-object associations only (contact to contact, company to
    company): the column's object must be the file's object, and the file must also identify
    the row's own record. Associations between different objects are imported with columns of
    both objects in one file, or with `references` across two files.

    Fix: drop `association_keys`, and use `object:` columns or `references`.
    """,
    hubspot_error="INVALID_COLUMN_CONFIGURATION",
)

# --- marketing events -----------------------------------------------------------------------

EVENT_WITHOUT_MARKETING_EVENT = define(
    "SPC245",
    E,
    "event columns without `marketing_event`",
    """
    Event columns (`event: registered | joined | left | cancelled`) record contacts'
    participation in one marketing event, named by the top-level `marketing_event` (HubSpot's
    `marketingEventObjectId`). Without it HubSpot has no event to attach them to.

    Fix: set `marketing_event:` to the event's record id.
    """,
    hubspot_error="MISSING_EVENT_DEFINITION",
)

EVENT_WITHOUT_CONTACT_EMAIL = define(
    "SPC246",
    E,
    "event columns without the contacts' email",
    """
    Participants of a marketing event are contacts, identified in HubSpot's example by their
    email (HUBSPOT_ALTERNATE_ID). The file with event columns has no contacts column mapping
    `email`. With the record id instead this is a warning: it is not the documented form.

    Fix: add the contacts' email column, marked `id: true`.
    """,
)

MARKETING_EVENT_WITHOUT_EVENTS = define(
    "SPC247",
    W,
    "`marketing_event` without event columns",
    """
    `marketing_event` names the event of a participant import, but no column has `event:`, so
    nothing is recorded for the event.

    Fix: add the event timestamp columns, or remove `marketing_event`.
    """,
)

# --- data file headers (SPC300-SPC349) ------------------------------------------------------

DATA_FILE_MISSING = define(
    "SPC300",
    E,
    "data file not found",
    """
    The spec's `path` names a file that does not exist (relative paths are relative to the
    spec file). `lint` and `check` need it to compare its header with `columns`, and the
    upload needs it.

    Fix: correct `path`, or create the file.
    """,
    hubspot_error="FILE_NOT_FOUND",
)

COLUMN_NOT_IN_HEADER = define(
    "SPC301",
    E,
    "column missing from the file's header",
    """
    A column of the spec has no header of that name in the data file. HubSpot joins mappings
    to columns by `columnName`, which "should exactly match the name of the column header in
    the file".

    Fix: make the spec's column name and the file's header identical; the hint names the
    likeliest header.
    """,
)

HEADER_NOT_MAPPED = define(
    "SPC302",
    E,
    "header column not in the spec",
    """
    The data file has a column the spec's `columns` do not mention. HubSpot: "Every column
    needs to be mapped. If a column is not mapped, the import request may still be
    successful, but would result in the Incorrect number of columns error".

    Fix: add the column to `columns`, with `ignore: true` if it should not be imported. An
    empty header cell (often a trailing comma) needs a header name, or the column removed.
    """,
    hubspot_error="INCORRECT_NUMBER_OF_COLUMNS",
)

COLUMN_ORDER_DIFFERS = define(
    "SPC303",
    E,
    "columns in a different order than the file's header",
    """
    `columns` must list the columns in the file's header order: HubSpot's mappings follow the
    header order, and when they do not "the system will attempt to automatically reorder but
    may be unsuccessful, resulting in an error when the import is started".

    Fix: reorder `columns` as the message says (or reorder the file).
    """,
)

HEADER_NEAR_MISS = define(
    "SPC304",
    E,
    "header name differs only in case, spaces or invisible characters",
    """
    The file's header and the spec's column differ only by letter case, surrounding spaces,
    a non-breaking space (U+00A0) or a zero-width character (U+200B, U+FEFF, ...). They look
    alike, but HubSpot compares names exactly.

    Fix: copy the header name exactly into the spec, or clean the file's header; the hint
    says which characters differ.
    """,
)

COLUMN_COUNT_DIFFERS = define(
    "SPC305",
    E,
    "number of columns differs from the file's",
    """
    The file has no header row (`has_header: false`), so the columns are matched by position:
    the spec must have exactly as many columns as the file's first row has cells.

    Fix: add or remove columns (with `ignore: true` for ones not imported).
    """,
    hubspot_error="INCORRECT_NUMBER_OF_COLUMNS",
)

TOO_MANY_SHEETS = define(
    "SPC306",
    E,
    "spreadsheet with more than one sheet",
    """
    HubSpot's import files must "contain only one sheet"; a workbook with several sheets fails
    with INVALID_SHEET_COUNT.

    Fix: move the data to one sheet and delete the others, or save the sheet as a CSV file.
    """,
    hubspot_error="INVALID_SHEET_COUNT",
)

HEADER_UNREADABLE = define(
    "SPC307",
    E,
    "data file's header cannot be read",
    """
    specc could not read the first row of the data file: a CSV file that is not UTF-8 (HubSpot
    needs UTF-8 for anything beyond ASCII), a quote that never closes, a spreadsheet that is
    damaged, protected or not a spreadsheet at all. Or the file separates its columns with
    semicolons or tabs (Excel does where the decimal mark is a comma): HubSpot reads commas, so
    every row would be one cell, even when the spec names that one cell.

    Fix: save the file again as CSV UTF-8 (or as .xlsx) from the program that made it; the hint
    of a semicolon or tab file gives a command that writes a copy with commas.
    """,
)

EMPTY_FILE = define(
    "SPC308",
    E,
    "data file has no header row",
    """
    The data file (or its first sheet) is empty, so it has no header to map. HubSpot requires a
    header row.

    Fix: export the data again, with its header row.
    """,
)
