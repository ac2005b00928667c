"""SPC35x-39x: catalog snapshots, the files a spec's `catalog:` key names."""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

# --- the file cannot be used: specc falls back to the bundled catalog -----------------------

SNAPSHOT_NOT_FOUND = define(
    "SPC350",
    Severity.ERROR,
    "catalog snapshot not found",
    """
    The spec's `catalog:` key names a file that does not exist. The path is relative to the
    spec file, not to the working directory.

    Without its snapshot specc checks the spec against its bundled catalog of HubSpot's default
    properties, which knows nothing of the account's own properties, options and required
    properties: the account's properties then only get warnings, and the checks that need the
    account's truth cannot run.

    Fix the path, or write the snapshot with `specc catalog pull -o FILE` (it needs
    HUBSPOT_ACCESS_TOKEN and reads the account's properties and custom object schemas).
    """,
)

SNAPSHOT_UNREADABLE = define(
    "SPC351",
    Severity.ERROR,
    "catalog snapshot cannot be read",
    """
    The file the spec's `catalog:` key names exists but cannot be read as text: it is not a
    regular file (a folder, a FIFO, a device such as /dev/zero), specc may not read it, it is
    not UTF-8 encoded, or it is larger than any account's snapshot: over 64 MiB, or over
    5,000,000 JSON values (the largest account HubSpot allows is about 40 MB). specc falls
    back to its bundled catalog of HubSpot's default properties.

    Fix the file's permissions or path, or pull it again with `specc catalog pull -o FILE`
    (`--object OBJ` pulls only the objects the specs use).
    """,
)

SNAPSHOT_NOT_JSON = define(
    "SPC352",
    Severity.ERROR,
    "catalog snapshot is not valid JSON",
    """
    The catalog snapshot could not be parsed as JSON; the diagnostic points at the line and
    column where parsing stopped (a missing comma or quote, a trailing comma, a comment, ...),
    or where the file goes past what specc parses: arrays and objects nested more than 64
    levels deep (a snapshot needs six), or an integer of more than 4,300 digits. specc falls
    back to its bundled catalog of HubSpot's default properties.

    Fix the file by hand, or pull it again with `specc catalog pull -o FILE`.
    """,
)

SNAPSHOT_INVALID = define(
    "SPC353",
    Severity.ERROR,
    "catalog snapshot does not follow the catalog format",
    """
    The catalog snapshot is JSON but not a catalog: a required field is missing or a field has
    the wrong type. A snapshot is `{"catalog": 1, "objects": [...]}`, each object has
    `objectTypeId`, `name` and `properties`, and each property at least `name`, `type` and
    `fieldType`, as `GET /crm/v3/properties/{objectType}` returns them (`specc schema catalog`
    prints the full schema). Other fields are allowed and ignored.

    specc does not trust a snapshot that breaks the format and falls back to its bundled
    catalog. Fix the field the diagnostic points at; a file that holds a raw properties API
    response (`{"results": [...]}`) must be wrapped as one object of `objects`.
    """,
)

SNAPSHOT_VERSION = define(
    "SPC354",
    Severity.ERROR,
    "unsupported catalog snapshot version",
    """
    The snapshot's `catalog` field names a format version this specc does not know (it reads
    version 1). The file was probably written by a newer specc. Upgrade specc, or pull the
    snapshot again with this version (`specc catalog pull -o FILE`). specc falls back to its
    bundled catalog meanwhile.
    """,
)

# --- the file is used, but something in it looks wrong --------------------------------------

DUPLICATE_OBJECT = define(
    "SPC355",
    Severity.WARNING,
    "object listed twice in the catalog snapshot",
    """
    Two entries of the snapshot's `objects` have the same `objectTypeId`. specc uses the first
    and ignores the other; a hand-edited snapshot may have merged two pulls. Remove one entry.
    """,
)

DUPLICATE_PROPERTY = define(
    "SPC356",
    Severity.WARNING,
    "property listed twice in the catalog snapshot",
    """
    One object of the snapshot lists two properties with the same `name`. HubSpot property
    names are unique per object, so the file was edited or merged by hand. specc uses the first
    entry; remove the other.
    """,
)

REQUIRED_NOT_LISTED = define(
    "SPC357",
    Severity.WARNING,
    "required property missing from the snapshot's properties",
    """
    An object's `requiredProperties` names a property that is not among the object's
    `properties`. A CREATE still needs it, but a mapping of it would be reported as an unknown
    property: the snapshot was probably trimmed by hand. Add the property's definition back, or
    pull the snapshot again.
    """,
)

OBJECT_NAME_MISMATCH = define(
    "SPC358",
    Severity.WARNING,
    "object name does not match its object type id",
    """
    A standard object's entry carries a `name` that is not that object's (for example
    `"objectTypeId": "0-1", "name": "companies"`; 0-1 is contacts). specc goes by the
    `objectTypeId`, so the properties listed will be checked as that object's. Fix whichever of
    the two is wrong.
    """,
)
