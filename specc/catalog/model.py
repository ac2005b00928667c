"""What specc knows of an account: objects and their properties.

Built either from the bundled default properties (`catalog.bundled`) or from a snapshot file
(`catalog.snapshot`). Checks only read this model; they never care where it came from, except
through `Catalog.is_snapshot` (a snapshot is the account's truth, the bundle is only HubSpot's
defaults, so what the bundle does not know is a warning rather than an error).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Option:
    label: str
    value: str
    hidden: bool = False


@dataclass(frozen=True)
class Property:
    name: str
    type: str  # bool, date, datetime, enumeration, number, phone_number, string, ...
    field_type: str  # booleancheckbox, checkbox, date, number, select, text, ...
    label: str | None = None
    options: tuple[Option, ...] = ()
    # Whether `options` is every value the account accepts. False for the bundled catalog's
    # partial lists and for options held elsewhere (owners, pipelines): never an error then.
    options_complete: bool = False
    external_options: bool = False
    referenced_object_type: str | None = None  # e.g. OWNER
    has_unique_value: bool = False
    read_only: bool | None = False  # None: the source does not say
    calculated: bool = False
    number_display_hint: str | None = None  # currency, percentage, duration, ...
    text_display_hint: str | None = None  # email, domain_name, phone_number, ...
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # modificationMetadata.readOnlyOptions: True when the account cannot change the option list.
    read_only_options: bool | None = None
    # Whether `options` is the source's whole list. In a snapshot this equals `options_complete`;
    # in the bundled catalog it means "HubSpot's whole default list", which an account may
    # extend: an unknown value then deserves a warning, where a partial list deserves nothing.
    options_listed_complete: bool = False
    # Whether the account can change the option list of an enumeration or boolean (None: not
    # an enumeration, or not known). False: HubSpot controls it (booleans, readOnlyOptions:
    # true), so an unknown value is refused; True: the account may have added values.
    options_editable: bool | None = None
    # The source shows the account's currency symbol beside this number (a money amount).
    show_currency_symbol: bool = False
    # A format HubSpot parses a string property's values with, where its type says less:
    # "term" (line items' and products' hs_recurring_billing_period: an ISO-8601 period
    # PnYnMnD or PnW, or a number of months; COULD_NOT_PARSE_TERM otherwise).
    value_format: str | None = None

    @property
    def names_owners(self) -> bool:
        """Whether the values name owners (`referencedObjectType: OWNER`)."""
        return (self.referenced_object_type or "").upper() == "OWNER"


@dataclass(frozen=True)
class Owner:
    """A user records can be assigned to, as `GET /crm/v3/owners` returns it (PublicOwner)."""

    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_id: int | None = None
    archived: bool = False

    @property
    def full_name(self) -> str | None:
        """`firstName lastName`, as HubSpot's import matches an owner by name."""
        name = " ".join(p.strip() for p in (self.first_name, self.last_name) if p and p.strip())
        return name or None


@dataclass(frozen=True)
class PipelineStage:
    id: str
    label: str
    display_order: int = 0
    archived: bool = False
    # HubSpot's per-object extras (deals: probability, tickets: ticketState), as strings.
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Pipeline:
    """A pipeline and its stages, as `GET /crm/v3/pipelines/{objectType}` returns them."""

    id: str
    label: str
    stages: tuple[PipelineStage, ...] = ()
    display_order: int = 0
    archived: bool = False


@dataclass(frozen=True)
class ValidationRule:
    """One rule an admin set on a property (`GET /crm/v3/property-validations/{objectTypeId}`)."""

    rule_type: str  # MAX_LENGTH, REGEX, ... (27 types in HubSpot's OpenAPI file)
    arguments: tuple[str, ...] = ()
    # HubSpot reformats the value instead of refusing it (the KB's "automatic formatting").
    normalize: bool = False


# The pipeline and stage properties of an object with pipelines (spec-format.md, Format 2):
# deals' own names, and the others' (tickets, orders, services, ...).
DEAL_PIPELINE_PROPERTIES = ("pipeline", "dealstage")
PIPELINE_PROPERTIES = ("hs_pipeline", "hs_pipeline_stage")


def pipeline_properties(object_type_id: str | None) -> tuple[str, str]:
    """(pipeline property, stage property) of an object."""
    return DEAL_PIPELINE_PROPERTIES if object_type_id == "0-3" else PIPELINE_PROPERTIES


@dataclass(frozen=True)
class RequiredRule:
    """Properties a CREATE needs: every name in `all_of`, and one name of each `one_of` group."""

    all_of: tuple[str, ...] = ()
    one_of: tuple[tuple[str, ...], ...] = ()
    source: str = ""  # where the rule comes from, for messages
    # Documented as needed or advised, but HubSpot does not refuse a CREATE without them
    # (contacts' email, activities' hs_timestamp, products' price): a warning at most.
    recommended: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.all_of and not self.one_of

    def unmet(
        self, present: Collection[str]
    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """What a CREATE mapping `present` lacks: missing `all_of` names, unmet `one_of` groups."""
        missing = tuple(name for name in self.all_of if name not in present)
        groups = tuple(g for g in self.one_of if not any(name in present for name in g))
        return missing, groups


@dataclass(frozen=True)
class ObjectType:
    object_type_id: str
    name: str
    properties: dict[str, Property]
    required: RequiredRule = field(default_factory=RequiredRule)
    # Properties that identify records besides hs_object_id and hasUniqueValue ones
    # (email for contacts, domain for companies, hs_sku for products).
    alternate_ids: tuple[str, ...] = ()
    # The property a record is shown by (dealname); None when no source says.
    primary_display_property: str | None = None
    # False when `properties` is known to hold only some of the object's default properties
    # (the bundle's orders, carts, ...): a property it lacks is then no sign of a mistake.
    properties_complete: bool = True
    # Format 2 snapshots: the object's pipelines and its properties' validation rules. None:
    # not known (not pulled, a format 1 snapshot, the bundled catalog); empty: there are none.
    pipelines: tuple[Pipeline, ...] | None = None
    validation_rules: dict[str, tuple[ValidationRule, ...]] | None = None

    def identifiers(self) -> set[str]:
        """Every property that can identify this object's records in an import."""
        found = {"hs_object_id", *self.alternate_ids}
        found.update(p.name for p in self.properties.values() if p.has_unique_value)
        return found


@dataclass(frozen=True)
class Catalog:
    objects: dict[str, ObjectType]  # by object type id
    is_snapshot: bool = False
    source: str = "bundled"  # "bundled" or the snapshot's path, for messages
    # Answers objects_with_property from an index, so the lazily loaded bundle need not read
    # every object's file for a "belongs to X" hint. None: walk the objects.
    property_owners: Callable[[str], list[str]] | None = field(
        default=None, compare=False, repr=False
    )
    # Format 2 snapshots: the account's owners. None: not known; empty: the account has none.
    owners: tuple[Owner, ...] | None = None
    # The snapshot's format version (1 or 2); None for the bundled catalog.
    snapshot_format: int | None = None

    def object(self, object_type_id: str) -> ObjectType | None:
        return self.objects.get(object_type_id)

    def property(self, object_type_id: str, name: str) -> Property | None:
        obj = self.objects.get(object_type_id)
        return obj.properties.get(name) if obj else None

    def objects_with_property(self, name: str) -> list[str]:
        """Object type ids that have a property of this name (for "belongs to X" hints)."""
        if self.property_owners is not None:
            return self.property_owners(name)
        return sorted(oid for oid, o in self.objects.items() if name in o.properties)
