"""What HubSpot documents about creating and identifying each standard object's records.

Required-for-create rules follow hubspot-domain.md §4: the Imports API's own validation where
HubSpot states it (contacts), else the import knowledge-base table "Format import files" (§4.2),
which is the import tool's rule and stricter than the objects API's. Where the sources disagree,
the rule takes the weaker reading and names the rest in `recommended` (a warning at most): a
false error on a clean file is as bad as a missed one.

The reference data (shared/reference/hubspot-properties) records the objects API guides'
view, e.g. `hs_timestamp` required for activities. For imports the KB says the opposite
("If you don't include this property, the Activity date values are automatically set to the
date and time of the import"), so activities get `hs_timestamp` as recommended only (tasks
excepted: their due date is `hs_timestamp`, and the KB requires it).

The six objects added from tools/reference-extra (appointments, courses, listings, services,
orders, carts) have two sources of their own: the objects API's table in "Using Object APIs"
and the import knowledge base. Where the two agree the rule is theirs; where they differ only
the properties both require are enforced, and the rest are `recommended` (a warning).
"""

from __future__ import annotations

from specc.catalog.model import RequiredRule

_KB = "HubSpot KB 'Format import files'"
_API = "HubSpot 'Using Object APIs'"

DOCUMENTED_RULES: dict[str, RequiredRule] = {
    "0-1": RequiredRule(
        one_of=(("email", "firstname", "lastname"),),
        recommended=("email",),
        source="HubSpot Imports API validation: 'One of [firstname, email, lastname]' "
        "(changelog 'New validation for Required Properties'); the KB also asks for email",
    ),
    "0-2": RequiredRule(
        one_of=(("name", "domain"),),
        source=f"{_KB}: at least one of Name or Company domain name",
    ),
    "0-3": RequiredRule(
        all_of=("dealname", "pipeline", "dealstage"),
        source=f"{_KB}: Deal name, Pipeline and Deal stage",
    ),
    "0-5": RequiredRule(
        all_of=("subject", "hs_pipeline", "hs_pipeline_stage"),
        source=f"{_KB}: Ticket name, Pipeline and Ticket status",
    ),
    # Price is "Unit price" (`price`) in single-currency accounts but "Price <CUR>" in
    # multi-currency ones, whose internal names vary: only the name is enforced.
    "0-7": RequiredRule(
        all_of=("name",),
        recommended=("price",),
        source=f"{_KB}: Name, and Unit price (or Price <currency> in multi-currency accounts)",
    ),
    # A line item based on a product (hs_product_id) takes the product's name and price
    # (Line Items guide), so the product id stands in for either.
    "0-8": RequiredRule(
        all_of=("quantity",),
        one_of=(("name", "hs_product_id"), ("price", "hs_product_id")),
        source=f"{_KB}: Name, Quantity and Price (a product id supplies name and price)",
    ),
    "0-27": RequiredRule(
        all_of=("hs_task_subject", "hs_timestamp"),
        source=f"{_KB}: Task title and Due date",
    ),
    "0-46": RequiredRule(
        all_of=("hs_note_body",),
        recommended=("hs_timestamp",),
        source=f"{_KB}: Note body",
    ),
    "0-47": RequiredRule(
        all_of=("hs_meeting_body", "hs_meeting_start_time", "hs_meeting_end_time"),
        recommended=("hs_timestamp",),
        source=f"{_KB}: Meeting description, Meeting start time and Meeting end time",
    ),
    "0-48": RequiredRule(
        all_of=("hs_call_body",),
        recommended=("hs_timestamp",),
        source=f"{_KB}: Call notes",
    ),
    "0-49": RequiredRule(
        all_of=("hs_email_direction",),
        one_of=(("hs_email_text", "hs_email_html"),),
        recommended=("hs_timestamp",),
        source=f"{_KB}: Email body and Email direction",
    ),
    "0-123": RequiredRule(
        all_of=("hs_order_name",),
        recommended=("hs_pipeline", "hs_pipeline_stage"),
        source=f"{_API}: hs_order_name; {_KB}: Name, Pipeline and Pipeline Stage",
    ),
    # The objects API requires nothing ("None, but recommended hs_cart_name"); the KB asks for
    # Name: the weaker rule advises the name.
    "0-142": RequiredRule(
        recommended=("hs_cart_name",),
        source=f"{_API}: none, hs_cart_name recommended; {_KB}: Name",
    ),
    "0-162": RequiredRule(
        all_of=("hs_name", "hs_pipeline", "hs_pipeline_stage"),
        source=f"{_API} and {_KB}: Name, Pipeline and Pipeline Stage",
    ),
    "0-410": RequiredRule(
        all_of=("hs_course_name",),
        source=f"{_API} and {_KB}: Course Name",
    ),
    "0-420": RequiredRule(
        all_of=("hs_name",),
        source=f"{_API} and {_KB}: Name",
    ),
    # The objects API requires the name, the KB the start time: the sources name different
    # properties, so neither is enforced and both are advised.
    "0-421": RequiredRule(
        recommended=("hs_appointment_name", "hs_appointment_start"),
        source=f"{_API}: hs_appointment_name; {_KB}: Appointment Start",
    ),
}

# Besides hs_object_id and properties with unique values (hubspot-domain.md §3.2). HubSpot
# dedupes contacts on email and companies on domain through its own logic, not through
# hasUniqueValue (both are recorded hasUniqueValue: false).
ALTERNATE_IDS: dict[str, tuple[str, ...]] = {
    "0-1": ("email",),
    "0-2": ("domain",),
    "0-7": ("hs_sku",),
}

UNKNOWN_RULE = RequiredRule(source="no documented rule for this object")


def documented_rule(object_type_id: str) -> RequiredRule:
    """The documented CREATE rule of a standard object; an empty rule when none is known."""
    return DOCUMENTED_RULES.get(object_type_id, UNKNOWN_RULE)


def snapshot_rule(object_type_id: str, required: list[str] | None) -> RequiredRule:
    """A snapshot's `requiredProperties` when it gives them, else the documented rule."""
    if required is None:
        return documented_rule(object_type_id)
    return RequiredRule(
        all_of=tuple(dict.fromkeys(required)),
        source=f"requiredProperties of {object_type_id} in the catalog snapshot",
    )


def alternate_ids(object_type_id: str) -> tuple[str, ...]:
    return ALTERNATE_IDS.get(object_type_id, ())
