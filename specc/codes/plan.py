"""SPC600-649: what `specc plan` predicts from the account's records (and the sandbox reports).

Each is a row HubSpot would fail because of what the account holds, not because of the row's
own values (`specc check` finds those): a record that exists or does not, an association
target that is missing, a unique value another record holds. The diagnostic points at the
row's line and the column whose value decides it, and names HubSpot's errorType.
"""

from __future__ import annotations

from specc.codes import define
from specc.diagnostics import Severity

E = Severity.ERROR

CREATE_ONLY = define(
    "SPC600",
    E,
    "the row's record already exists, and the import only creates",
    """
    The spec says `create` for this object (importOperations CREATE), and the row's identifier
    (record id, email, domain or unique property) names a record the account already has.
    HubSpot does not update it: the row fails with CREATE_ONLY_IMPORT.

    `specc plan` found the record by reading the account's records with the CRM objects API's
    batch read (POST /crm/v3/objects/{objectType}/batch/read). Fix: say `upsert` to update
    existing records and create the others, or drop the rows of records that exist.
    """,
    hubspot_error="CREATE_ONLY_IMPORT",
)

UPDATE_ONLY = define(
    "SPC601",
    E,
    "no record matches the row, and the import only updates",
    """
    The spec says `update` for this object (importOperations UPDATE), and no record of the
    account has the row's identifier (or the row gives none). HubSpot creates nothing: the row
    fails with UPDATE_ONLY_IMPORT.

    Fix: correct the identifier, say `upsert` to create the missing records, or import the new
    records apart with `create`.
    """,
    hubspot_error="UPDATE_ONLY_IMPORT",
)

UNKNOWN_RECORD_ID = define(
    "SPC602",
    E,
    "the row's record id names no record",
    """
    The row identifies its record by record id (`hs_object_id`), and the account has no
    record of the object with that id. HubSpot creates records with ids of its own choosing,
    so it cannot create this one either: the row fails with INVALID_OBJECT_ID.

    Fix: correct the id (it may belong to another object, or the record was deleted), or leave
    the record id cell empty and identify the record by email, domain or a unique property.
    """,
    hubspot_error="INVALID_OBJECT_ID",
)

UNKNOWN_ASSOCIATION = define(
    "SPC603",
    E,
    "the record to associate with exists neither in the account nor in the import",
    """
    The row associates its record with another one, and that one cannot be found: a record id
    of another object that the account does not have, or a two-file import's common column
    whose value is in no row of the file that owns the column and in no record of the account.
    HubSpot reports UNKNOWN_ASSOCIATION_RECORD_ID and makes no association.

    Fix: correct the value, add the record to the other file, or create it first.
    """,
    hubspot_error="UNKNOWN_ASSOCIATION_RECORD_ID",
)

UNIQUE_VALUE_TAKEN = define(
    "SPC604",
    E,
    "a unique value of the row is held by another record",
    """
    The column maps a property whose values are unique in the account (`hasUniqueValue`, or a
    contact's email), and another record than the row's already holds the value. HubSpot fails
    the row with DUPLICATE_UNIQUE_PROPERTY_VALUE. (`specc check` finds values repeated inside
    the file, SPC463; this is a value repeated against the account.)

    Fix: correct the value, or identify the row by that property (`id: true`) if the row is
    meant to update the record that holds it.
    """,
    hubspot_error="DUPLICATE_UNIQUE_PROPERTY_VALUE",
)
