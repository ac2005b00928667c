"""Which rule judges a property's values: one Kind per family of HubSpot parsing rules."""

from __future__ import annotations

from enum import StrEnum

from specc.catalog.model import Property

CONTACTS = "0-1"
COMPANIES = "0-2"


class Kind(StrEnum):
    RECORD_ID = "record_id"
    FILE = "file"
    BOOL = "bool"
    ENUM = "enum"
    MULTI_ENUM = "multi_enum"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    PHONE = "phone"
    EMAIL = "email"
    DOMAIN = "domain"
    EMAIL_LIST = "email_list"
    DOMAIN_LIST = "domain_list"
    TERM = "term"
    TEXT = "text"


def kind_of(
    prop: Property, *, column_type: str | None = None, object_type_id: str | None = None
) -> Kind:
    """The rule for a property's values.

    HubSpot validates emails and domains for the properties that identify contacts and
    companies (`email`, `domain`) and for text properties whose display hint says so; other
    text is free. The bundled catalog carries no display hints, hence the names. When the
    caller knows the object, a custom object's own `email` property stays free text.
    """
    if column_type == "HUBSPOT_OBJECT_ID" or prop.name == "hs_object_id":
        return Kind.RECORD_ID
    if prop.field_type == "file":
        return Kind.FILE
    if prop.type == "bool" or prop.field_type == "booleancheckbox":
        return Kind.BOOL
    if prop.type == "date":
        return Kind.DATE
    if prop.type == "datetime":
        return Kind.DATETIME
    if prop.type == "number":
        return Kind.NUMBER
    if prop.type == "enumeration":
        # The additional emails/domains are semicolon lists of free values, not options.
        if prop.name == "hs_additional_domains":
            return Kind.DOMAIN_LIST
        if prop.name == "hs_additional_emails":
            return Kind.EMAIL_LIST
        return Kind.MULTI_ENUM if prop.field_type == "checkbox" else Kind.ENUM
    if (
        prop.type == "phone_number"
        or prop.field_type == "phonenumber"
        or prop.text_display_hint == "phone_number"
    ):
        return Kind.PHONE
    if prop.type != "string":  # object_coordinates, json and types HubSpot adds later
        return Kind.TEXT
    if prop.text_display_hint == "email" or (
        prop.name == "email" and object_type_id in (None, CONTACTS)
    ):
        return Kind.EMAIL
    if prop.text_display_hint == "domain_name" or (
        prop.name == "domain" and object_type_id in (None, COMPANIES)
    ):
        return Kind.DOMAIN
    if prop.name == "hs_additional_emails":
        return Kind.EMAIL_LIST
    if prop.name == "hs_additional_domains":
        return Kind.DOMAIN_LIST
    if prop.value_format == "term":
        return Kind.TERM
    return Kind.TEXT
