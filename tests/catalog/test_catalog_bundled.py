"""The bundled catalog's content and its caveats (reference README §6), and lazy loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specc.catalog.bundled import LazyObjects, bundled_catalog, bundled_index
from specc.catalog.model import Catalog
from specc.catalog.objects import (
    default_association_type,
    known_association_types,
    resolve_object,
    standard_objects,
)
from specc.catalog.required import DOCUMENTED_RULES

DATA = Path(__file__).resolve().parents[2] / "specc" / "catalog" / "data"
# The six objects of tools/reference-extra: orders, carts, services, courses, listings,
# appointments (only the properties HubSpot's guides name).
PARTIAL_IDS = ["0-123", "0-142", "0-162", "0-410", "0-420", "0-421"]
BUNDLED_IDS = [
    "0-1",
    "0-2",
    "0-3",
    "0-5",
    "0-7",
    "0-8",
    "0-27",
    "0-46",
    "0-47",
    "0-48",
    "0-49",
    *PARTIAL_IDS,
]


@pytest.fixture
def catalog() -> Catalog:
    return bundled_catalog()


def test_bundle_covers_the_reference_objects() -> None:
    assert sorted(bundled_index(), key=lambda i: int(i.split("-")[1])) == BUNDLED_IDS
    for oid, entry in bundled_index().items():
        assert standard_objects()[oid].name == entry["name"]


def test_contacts_email(catalog: Catalog) -> None:
    email = catalog.property("0-1", "email")
    assert email is not None
    assert (email.type, email.field_type, email.label) == ("string", "text", "Email")
    assert email.read_only is False
    # HubSpot dedupes on email by its own logic; the property is not hasUniqueValue.
    assert email.has_unique_value is False
    assert "email" in catalog.object("0-1").identifiers()  # type: ignore[union-attr]


@pytest.mark.parametrize("oid", BUNDLED_IDS)
def test_record_id_is_read_only_and_identifies(catalog: Catalog, oid: str) -> None:
    obj = catalog.object(oid)
    assert obj is not None
    record_id = obj.properties["hs_object_id"]
    assert record_id.read_only is True
    assert "hs_object_id" in obj.identifiers()


def test_alternate_ids(catalog: Catalog) -> None:
    assert {"domain", "hs_object_id"} <= catalog.object("0-2").identifiers()  # type: ignore[union-attr]
    assert "hs_sku" in catalog.object("0-7").identifiers()  # type: ignore[union-attr]
    # A property with unique values identifies records too (line items' hs_external_id).
    assert "hs_external_id" in catalog.object("0-8").identifiers()  # type: ignore[union-attr]
    assert "email" not in catalog.object("0-2").identifiers()  # type: ignore[union-attr]


def test_deals_required_rule(catalog: Catalog) -> None:
    rule = catalog.object("0-3").required  # type: ignore[union-attr]
    assert set(rule.all_of) == {"dealname", "pipeline", "dealstage"}
    assert rule.unmet({"dealname", "amount"}) == (("pipeline", "dealstage"), ())
    assert rule.unmet({"dealname", "pipeline", "dealstage"}) == ((), ())
    assert "Deal name" in rule.source


def test_contacts_required_rule_is_the_api_rule(catalog: Catalog) -> None:
    rule = catalog.object("0-1").required  # type: ignore[union-attr]
    assert rule.all_of == ()
    assert rule.one_of == (("email", "firstname", "lastname"),)
    assert rule.unmet({"lastname"}) == ((), ())
    assert rule.unmet({"phone"}) == ((), (("email", "firstname", "lastname"),))
    assert rule.recommended == ("email",)


def test_activities_need_no_timestamp_on_import_except_tasks(catalog: Catalog) -> None:
    assert "hs_timestamp" in catalog.object("0-27").required.all_of  # type: ignore[union-attr]
    for oid in ("0-46", "0-47", "0-48", "0-49"):
        rule = catalog.object(oid).required  # type: ignore[union-attr]
        assert "hs_timestamp" not in rule.all_of
        assert "hs_timestamp" in rule.recommended


def test_line_items_based_on_a_product_need_no_name_or_price(catalog: Catalog) -> None:
    rule = catalog.object("0-8").required  # type: ignore[union-attr]
    assert rule.unmet({"hs_product_id", "quantity"}) == ((), ())
    assert rule.unmet({"name", "quantity"}) == ((), (("price", "hs_product_id"),))


@pytest.mark.parametrize("oid", sorted(DOCUMENTED_RULES))
def test_required_properties_exist_and_are_writable(catalog: Catalog, oid: str) -> None:
    obj = catalog.object(oid)
    assert obj is not None
    rule = obj.required
    names = [*rule.all_of, *(n for g in rule.one_of for n in g), *rule.recommended]
    for name in names:
        prop = obj.properties.get(name)
        assert prop is not None, f"{obj.name} rule names unknown property {name}"
        assert prop.read_only is not True and not prop.calculated, f"{obj.name}.{name}"
    for name in obj.alternate_ids:
        assert name in obj.properties


def test_rules_agree_with_the_reference_where_it_states_them() -> None:
    """The reference records the guides' view; the rules may only be weaker (see required.py)."""
    for oid, entry in bundled_index().items():
        data = json.loads((DATA / entry["file"]).read_text("utf-8"))
        reference = data["referenceRequiredProperties"] or {}
        rule = DOCUMENTED_RULES[oid]
        if reference.get("anyOf"):
            assert set(reference["anyOf"]) in [set(g) for g in rule.one_of]
        for name in reference.get("recommended", []):
            if oid in ("0-3", "0-5"):
                assert name in rule.all_of
        for name in reference.get("strict", []):
            assert name in (*rule.all_of, *rule.recommended)
        if data["primaryUniqueIdentifier"]:
            assert data["primaryUniqueIdentifier"] in bundled_catalog().object(oid).alternate_ids  # type: ignore[union-attr]


def test_lifecyclestage_options(catalog: Catalog) -> None:
    stage = catalog.property("0-1", "lifecyclestage")
    assert stage is not None
    values = [o.value for o in stage.options]
    assert values[:3] == ["subscriber", "lead", "marketingqualifiedlead"]
    assert "customer" in values and "other" in values
    assert {o.label for o in stage.options} >= {"Lead", "Customer"}
    # Accounts add lifecycle stages: the default list can never make a value an error.
    assert stage.options_complete is False


def test_options_complete_only_where_the_account_cannot_change_them(catalog: Catalog) -> None:
    for oid in BUNDLED_IDS:
        for prop in catalog.object(oid).properties.values():  # type: ignore[union-attr]
            if prop.options_complete:
                assert prop.read_only_options is True and prop.options_listed_complete
                assert not prop.external_options and prop.options
                assert prop.options_editable is False
            if prop.external_options and not prop.options:
                # Owners, pipelines, currencies: only the account knows the values.
                assert not prop.options_listed_complete


def test_owner_options_are_external(catalog: Catalog) -> None:
    owner = catalog.property("0-3", "hubspot_owner_id")
    assert owner is not None
    assert owner.external_options and not owner.options_complete
    assert owner.read_only is False


def test_contested_read_only_flags_are_unknown(catalog: Catalog) -> None:
    # createdate: read-only on contacts and companies, writable on deals (README §6).
    assert catalog.property("0-1", "createdate").read_only is None  # type: ignore[union-attr]
    assert catalog.property("0-2", "createdate").read_only is None  # type: ignore[union-attr]
    assert catalog.property("0-3", "createdate").read_only is False  # type: ignore[union-attr]
    # Recorded writable although calculated: neither a pass nor an error.
    extra = catalog.property("0-1", "hs_additional_emails")
    assert extra is not None and extra.read_only is None and not extra.calculated


def test_calculated_properties(catalog: Catalog) -> None:
    days = catalog.property("0-1", "days_to_close")
    assert days is not None and days.calculated and days.read_only is True
    # HubSpot marks formula properties read-only without always marking them calculated.
    deal_days = catalog.property("0-3", "days_to_close")
    assert deal_days is not None and deal_days.field_type == "calculation_equation"
    assert deal_days.read_only is True


def test_unknown_read_only_stays_unknown(catalog: Catalog) -> None:
    unknown = [
        p
        for p in catalog.object("0-5").properties.values()  # type: ignore[union-attr]
        if p.read_only is None
    ]
    assert len(unknown) > 50  # README §7: tickets' flags are mostly unknown


def test_objects_outside_the_bundle(catalog: Catalog) -> None:
    assert catalog.object("0-136") is None  # leads
    assert catalog.object("2-1234567") is None
    assert catalog.property("0-136", "hs_lead_name") is None
    assert not catalog.is_snapshot and catalog.source == "bundled"


def test_objects_with_property(catalog: Catalog) -> None:
    assert catalog.objects_with_property("dealname") == ["0-3"]
    assert "0-1" in catalog.objects_with_property("hs_object_id")


def test_lazy_objects_load_one_file_per_lookup() -> None:
    objects = LazyObjects(bundled_index())
    assert dict.__len__(objects) == 0
    assert objects.get("0-3") is not None
    assert "0-1" in objects
    assert objects["0-5"].name == "tickets"
    assert sorted(dict.keys(objects)) == ["0-1", "0-3", "0-5"]
    assert "0-136" not in objects and objects.get("0-136") is None
    with pytest.raises(KeyError):
        objects["0-136"]
    assert len(objects) == len(BUNDLED_IDS)
    assert sorted(objects) == sorted(BUNDLED_IDS)
    assert dict(objects).keys() == objects.keys()
    assert objects == {oid: objects[oid] for oid in BUNDLED_IDS}


def test_lazy_objects_walks_load_everything() -> None:
    assert len(dict(LazyObjects(bundled_index()))) == len(BUNDLED_IDS)
    assert len(list(LazyObjects(bundled_index()).values())) == len(BUNDLED_IDS)
    assert len(LazyObjects(bundled_index()).items()) == len(BUNDLED_IDS)
    assert len(LazyObjects(bundled_index()).copy()) == len(BUNDLED_IDS)
    assert len(LazyObjects(bundled_index()) | {}) == len(BUNDLED_IDS)
    assert len(list(reversed(LazyObjects(bundled_index())))) == len(BUNDLED_IDS)
    assert len({**LazyObjects(bundled_index())}) == len(BUNDLED_IDS)


def test_bundled_catalog_is_shared() -> None:
    assert bundled_catalog() is bundled_catalog()


def test_owner_index_agrees_with_the_objects() -> None:
    """objects_with_property answers from an index; it must say what a full walk says."""
    walked = Catalog(objects=dict(LazyObjects(bundled_index())))
    indexed = bundled_catalog()
    names = {n for o in walked.objects.values() for n in o.properties} | {"no_such", "Email"}
    for name in sorted(names):
        assert indexed.objects_with_property(name) == walked.objects_with_property(name), name


def test_owner_hint_does_not_load_every_object() -> None:
    catalog = Catalog(
        objects=LazyObjects(bundled_index()), property_owners=bundled_catalog().property_owners
    )
    assert catalog.objects_with_property("hs_ticket_category") == ["0-5"]
    # Orders and services have pipelines too: the hint names every object that has one.
    assert catalog.objects_with_property("hs_pipeline_stage") == ["0-123", "0-162", "0-5"]
    assert dict.__len__(catalog.objects) == 0


# --- The six objects added from tools/reference-extra -------------------------------------


@pytest.mark.parametrize(
    ("oid", "plural", "singular"),
    [
        ("0-123", "orders", "order"),
        ("0-142", "carts", "cart"),
        ("0-162", "services", "service"),
        ("0-410", "courses", "course"),
        ("0-420", "listings", "listing"),
        ("0-421", "appointments", "appointment"),
    ],
)
def test_new_objects_are_nameable_and_bundled(
    catalog: Catalog, oid: str, plural: str, singular: str
) -> None:
    for name in (plural, singular, plural.upper(), oid):
        assert resolve_object(name) == oid
    obj = catalog.object(oid)
    assert obj is not None and obj.name == plural
    # The sources name only some default properties: a missing one is no sign of a mistake.
    assert obj.properties_complete is False
    assert obj.properties["hs_object_id"].read_only is True
    assert obj.primary_display_property in obj.properties


def test_reference_objects_are_complete_lists(catalog: Catalog) -> None:
    for oid in BUNDLED_IDS:
        if oid not in PARTIAL_IDS:
            assert catalog.object(oid).properties_complete is True  # type: ignore[union-attr]
    assert catalog.object("0-3").primary_display_property == "dealname"  # type: ignore[union-attr]


def test_create_rules_where_the_sources_agree(catalog: Catalog) -> None:
    services = catalog.object("0-162").required  # type: ignore[union-attr]
    assert services.unmet({"hs_name"}) == (("hs_pipeline", "hs_pipeline_stage"), ())
    assert catalog.object("0-410").required.all_of == ("hs_course_name",)  # type: ignore[union-attr]
    assert catalog.object("0-420").required.all_of == ("hs_name",)  # type: ignore[union-attr]


def test_create_rules_take_the_weaker_source_and_advise_the_rest(catalog: Catalog) -> None:
    # Objects API: hs_order_name; import KB: Name, Pipeline and Pipeline Stage.
    orders = catalog.object("0-123").required  # type: ignore[union-attr]
    assert orders.unmet({"hs_order_name"}) == ((), ())
    assert orders.unmet({"hs_pipeline"}) == (("hs_order_name",), ())
    assert orders.recommended == ("hs_pipeline", "hs_pipeline_stage")
    # Objects API: the name; import KB: the start time. They disagree: nothing is enforced.
    appointments = catalog.object("0-421").required  # type: ignore[union-attr]
    assert appointments.unmet(set()) == ((), ())
    assert set(appointments.recommended) == {"hs_appointment_name", "hs_appointment_start"}
    # Objects API: "None, but recommended hs_cart_name"; KB: Name.
    carts = catalog.object("0-142").required  # type: ignore[union-attr]
    assert carts.unmet(set()) == ((), ()) and carts.recommended == ("hs_cart_name",)


def test_new_object_types_from_the_guides(catalog: Catalog) -> None:
    start = catalog.property("0-421", "hs_appointment_start")
    assert start is not None and start.type == "datetime" and start.label == "Appointment Start"
    total = catalog.property("0-142", "hs_total_price")
    assert total is not None and total.type == "number"
    stage = catalog.property("0-123", "hs_pipeline_stage")
    assert stage is not None and stage.external_options and not stage.options_listed_complete


def test_order_and_cart_association_types_from_their_guides() -> None:
    assert default_association_type("0-123", "0-1") == 507
    assert default_association_type("0-1", "0-123") == 508
    assert default_association_type("0-142", "0-123") == 592
    assert default_association_type("0-123", "0-142") == 593
    assert 1347 in known_association_types("0-142", "0-3")
    assert default_association_type("0-421", "0-1") is None  # not documented


# --- Display hints, option lists, value formats -------------------------------------------


def test_currency_and_probability_hints_of_deals(catalog: Catalog) -> None:
    amount = catalog.property("0-3", "amount")
    assert amount is not None and amount.show_currency_symbol
    assert amount.number_display_hint is None
    for name in ("hs_deal_stage_probability", "hs_forecast_probability"):
        prop = catalog.property("0-3", name)
        assert prop is not None and prop.number_display_hint == "probability", name
        assert not prop.show_currency_symbol
    closedate = catalog.property("0-3", "closedate")
    assert closedate is not None and not closedate.show_currency_symbol


def test_hints_only_on_numbers(catalog: Catalog) -> None:
    hinted = [
        p
        for oid in BUNDLED_IDS
        for p in catalog.object(oid).properties.values()  # type: ignore[union-attr]
        if p.number_display_hint or p.show_currency_symbol
    ]
    assert len(hinted) >= 13
    assert all(p.type == "number" for p in hinted)


def test_every_option_list_says_who_controls_it(catalog: Catalog) -> None:
    for oid in BUNDLED_IDS:
        for prop in catalog.object(oid).properties.values():  # type: ignore[union-attr]
            if prop.type in ("enumeration", "bool"):
                assert isinstance(prop.options_editable, bool), f"{oid} {prop.name}"
            else:
                assert prop.options_editable is None, f"{oid} {prop.name}"
            fixed = prop.type == "bool" or prop.field_type == "booleancheckbox"
            if fixed or prop.read_only_options is True:
                assert prop.options_editable is False, f"{oid} {prop.name}"
            elif prop.type == "enumeration" and (
                prop.external_options or prop.read_only_options is False
            ):
                assert prop.options_editable is True, f"{oid} {prop.name}"


def test_fixed_and_editable_lists(catalog: Catalog) -> None:
    # The deal object definition says readOnlyOptions: true for the traffic source.
    source = catalog.property("0-3", "hs_analytics_source")
    assert source is not None and source.options_editable is False
    dealtype = catalog.property("0-3", "dealtype")
    assert dealtype is not None and dealtype.options_editable is True
    status = catalog.property("0-1", "hs_lead_status")
    assert status is not None and status.options_editable is True


@pytest.mark.parametrize("oid", ["0-1", "0-2"])
def test_lifecyclestage_carries_the_whole_default_list(catalog: Catalog, oid: str) -> None:
    stage = catalog.property(oid, "lifecyclestage")
    assert stage is not None
    pairs = [(o.value, o.label) for o in stage.options]
    assert pairs == [
        ("subscriber", "Subscriber"),
        ("lead", "Lead"),
        ("marketingqualifiedlead", "Marketing Qualified Lead"),
        ("salesqualifiedlead", "Sales Qualified Lead"),
        ("opportunity", "Opportunity"),
        ("customer", "Customer"),
        ("evangelist", "Evangelist"),
        ("other", "Other"),
    ]
    # HubSpot's whole default list, which accounts extend: a warning, never an error.
    assert stage.options_listed_complete and stage.options_editable is True
    assert not stage.options_complete


def test_ticket_category_default_list(catalog: Catalog) -> None:
    category = catalog.property("0-5", "hs_ticket_category")
    assert category is not None
    values = {o.value for o in category.options}
    assert {"PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"} <= values
    assert category.options_listed_complete and category.options_editable is True
    assert not category.options_complete


@pytest.mark.parametrize("oid", ["0-7", "0-8"])
def test_term_property_is_marked(catalog: Catalog, oid: str) -> None:
    term = catalog.property(oid, "hs_recurring_billing_period")
    assert term is not None
    assert (term.type, term.field_type, term.label) == ("string", "text", "Term")
    assert term.value_format == "term"
    frequency = catalog.property(oid, "recurringbillingfrequency")
    assert frequency is not None and frequency.value_format is None
