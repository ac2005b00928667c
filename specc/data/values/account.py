"""Values checked against the account itself: owners and pipelines (catalog snapshots, format 2).

spec-format.md, "Format 2": an owner property's value names an owner by its id, its email in
any letter case or its full name (`firstName lastName`); no owner is COULD_NOT_FIND_OWNER,
a name several owners share MULTIPLE_OWNERS_FOUND. A pipeline value names a pipeline by id
or label; a stage value a stage of the row's pipeline (that is a rule over two columns:
`specc.data.values.rows_account`; here a stage only has to exist in some pipeline).

Decisions where the sources are silent:

- Names match in any letter case and with runs of spaces taken as one, like emails: the KB
  promises only "the user's name", and a false COULD_NOT_FIND_OWNER is worse than a miss.
- Archived (deactivated) owners, pipelines and stages match nothing: HubSpot's pipelines
  docs say inactive ones "cannot be used when creating or updating objects", and its owners
  endpoint lists active owners unless asked otherwise. The hint names the archived match.
- Pipelines and stages follow the enumeration rule (`choices`): the id or the label exactly;
  in another letter case a warning; a label that is also another pipeline's id ambiguous.

Every lookup is a dict lookup, built once per column; a value is judged once per batch
however many rows repeat it (the row engine remembers problems per distinct value).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache

from specc.catalog.model import Catalog, Option, Owner, Pipeline, Property, pipeline_properties
from specc.codes import data as codes
from specc.data.values.base import (
    STRIP_CHARS,
    Problem,
    TextCheck,
    quoted,
    too_long,
    whitespace_problem,
)
from specc.data.values.choices import MAX_REMEMBERED, ChoiceCheck, property_title

DEFAULT_PIPELINE = "default"
MAX_SHOWN = 8


def account_check(
    prop: Property, catalog: Catalog | None, object_type_id: str | None
) -> TextCheck | None:
    """The check of an owner, pipeline or stage property against the snapshot's account
    data; None when the property is none of those or the snapshot does not hold the data
    (the property's own options, if any, are then checked as an enumeration's)."""
    if catalog is None or not catalog.is_snapshot:
        return None
    if prop.names_owners:
        return None if catalog.owners is None else OwnerCheck(owner_index(catalog.owners), prop)
    obj = catalog.object(object_type_id) if object_type_id else None
    if obj is None or obj.pipelines is None:
        return None
    pipeline_name, stage_name = pipeline_properties(object_type_id)
    if prop.name == pipeline_name:
        return PipelineCheck(prop, obj.pipelines)
    if prop.name == stage_name:
        return StageCheck(prop, obj.pipelines)
    return None


def account_spellings(
    prop: Property, catalog: Catalog | None, object_type_id: str | None
) -> list[str] | None:
    """Values the account check surely accepts, written exactly (for the fast path); None
    when `account_check` has no check for the property."""
    check = account_check(prop, catalog, object_type_id)
    if isinstance(check, OwnerCheck):
        return check.index.exact_spellings()
    if isinstance(check, PipelineCheck):
        return check.index.unambiguous_spellings()
    if isinstance(check, StageCheck):
        return sorted(check.exact)
    return None


# --- owners -----------------------------------------------------------------------------------


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class OwnerIndex:
    """The account's owners by id, email (case-folded) and full name (case-folded)."""

    def __init__(self, owners: Iterable[Owner]) -> None:
        self.by_id: dict[str, Owner] = {}
        self.by_email: dict[str, Owner] = {}
        self.by_name: dict[str, list[Owner]] = {}
        self.archived: dict[str, Owner] = {}  # any spelling of an archived owner
        for owner in owners:
            keys = [owner.id]
            if owner.email:
                keys.append(owner.email.casefold())
            if owner.full_name:
                keys.append(_name_key(owner.full_name))
            if owner.archived:
                for key in keys:
                    self.archived.setdefault(key, owner)
                continue
            self.by_id[owner.id] = owner
            if owner.email:
                self.by_email.setdefault(owner.email.casefold(), owner)
            if owner.full_name:
                self.by_name.setdefault(_name_key(owner.full_name), []).append(owner)

    def exact_spellings(self) -> list[str]:
        """Ids, emails as written and names only one active owner has, as written."""
        found = set(self.by_id)
        for owner in self.by_id.values():
            if owner.email:
                found.add(owner.email)
            name = owner.full_name
            if name and len(self.by_name.get(_name_key(name), ())) == 1:
                found.add(name)
        return sorted(found)

    def closest(self, value: str) -> str | None:
        """The email of the owner whose email or name is nearest to the value, if any is."""
        candidates = {email: email for email in self.by_email}
        for key, owners in self.by_name.items():
            if len(owners) == 1 and owners[0].email:
                candidates[key] = owners[0].email
        near = difflib.get_close_matches(value.casefold(), list(candidates), n=1, cutoff=0.75)
        return candidates[near[0]] if near else None


@cache
def owner_index(owners: tuple[Owner, ...]) -> OwnerIndex:
    """One index per snapshot's owners, shared by every owner column."""
    return OwnerIndex(owners)


class OwnerCheck:
    """An owner property's values: an owner id, email or full name of an active owner."""

    __slots__ = ("index", "prop", "seen")

    def __init__(self, index: OwnerIndex, prop: Property) -> None:
        self.index = index
        self.prop = prop
        self.seen: dict[str, Problem | None] = {}

    def __call__(self, raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None:
            return problem
        value = raw.strip(STRIP_CHARS)
        if not value:
            return None
        index = self.index
        named = index.by_name.get(_name_key(value))
        if (
            value in index.by_id
            or value.casefold() in index.by_email
            or (named is not None and len(named) == 1)
        ):
            return None if len(value) == len(raw) else whitespace_problem(raw)
        if value in self.seen:
            return self.seen[value]
        problem = self._describe(value, named)
        if len(self.seen) < MAX_REMEMBERED:
            self.seen[value] = problem
        return problem

    def _describe(self, value: str, named: list[Owner] | None) -> Problem:
        title = property_title(self.prop)
        if named:
            emails = [o.email or o.id for o in named]
            shown = ", ".join(emails[:MAX_SHOWN]) + (" and more" if len(emails) > MAX_SHOWN else "")
            return Problem(
                codes.OWNER_AMBIGUOUS,
                f"{quoted(value)} in {title} is the name of {len(named)} owners",
                hint=f"use the email (or owner id) of the one you mean: {shown}",
            )
        archived = (
            self.index.archived.get(value)
            or self.index.archived.get(value.casefold())
            or self.index.archived.get(_name_key(value))
        )
        if archived is not None:
            hint = f"owner {archived.id} is deactivated; assign an active owner"
        else:
            near = self.index.closest(value)
            hint = f"did you mean {near}? " if near else ""
            hint += "write the owner's email address, owner id or full name"
        return Problem(
            codes.OWNER_NOT_FOUND,
            f"{quoted(value)} in {title} names no owner of the account",
            hint=hint,
        )


# --- pipelines and stages ---------------------------------------------------------------------


def _listed(pipelines: Iterable[Pipeline]) -> str:
    shown = [f"{p.id} ({p.label})" if p.label != p.id else p.id for p in pipelines]
    more = len(shown) - MAX_SHOWN
    return ", ".join(shown[:MAX_SHOWN]) + (f" and {more} more" if more > 0 else "")


class PipelineCheck(ChoiceCheck):
    """A pipeline property's values: an active pipeline's id or label (the enumeration rule)."""

    __slots__ = ("pipelines",)

    def __init__(self, prop: Property, pipelines: tuple[Pipeline, ...]) -> None:
        self.pipelines = pipelines
        options = tuple(Option(p.label, p.id) for p in pipelines if not p.archived)
        as_enum = Property(
            name=prop.name,
            type="enumeration",
            field_type="select",
            label=prop.label,
            options=options,
            options_complete=True,
        )
        super().__init__(as_enum, snapshot=True, multiple=False)
        self.unknown_code = codes.PIPELINE_NOT_FOUND

    @property
    def checks_options(self) -> bool:
        return True  # an account without pipelines accepts no pipeline value

    def _describe_unknown(self, value: str, single: bool, code: object) -> Problem:
        archived = [p for p in self.pipelines if p.archived and value in (p.id, p.label)]
        if archived:
            hint = f"pipeline {archived[0].id} is archived; use an active one"
        else:
            near = self.index.closest(value)
            active = [p for p in self.pipelines if not p.archived]
            hint = (f"did you mean {near}? " if near else "") + (
                f"pipelines: {_listed(active)}" if active else "the account has no pipelines"
            )
        return Problem(
            codes.PIPELINE_NOT_FOUND,
            f"{quoted(value)} is not a pipeline of {property_title(self.prop)}",
            hint=hint,
        )


def stage_spellings(pipeline: Pipeline) -> dict[str, str]:
    """Stage id by every exact spelling (id and label) of the pipeline's active stages."""
    found: dict[str, str] = {}
    for stage in pipeline.stages:
        if not stage.archived:
            found.setdefault(stage.id, stage.id)
            found.setdefault(stage.label, stage.id)
    return found


class StageCheck:
    """A stage property's values, alone: some active pipeline has a stage of that id or label.

    Whether it is a stage of the row's own pipeline is the row rule's question."""

    __slots__ = ("exact", "folded", "pipelines", "prop")

    def __init__(self, prop: Property, pipelines: tuple[Pipeline, ...]) -> None:
        self.prop = prop
        self.pipelines = tuple(p for p in pipelines if not p.archived)
        self.exact: set[str] = set()
        self.folded: dict[str, str] = {}
        for pipeline in self.pipelines:
            for spelling in stage_spellings(pipeline):
                self.exact.add(spelling)
                self.folded.setdefault(spelling.casefold(), spelling)

    def __call__(self, raw: str) -> Problem | None:
        problem = too_long(raw)
        if problem is not None:
            return problem
        value = raw.strip(STRIP_CHARS)
        if not value:
            return None
        if value in self.exact:
            return None if len(value) == len(raw) else whitespace_problem(raw)
        title = property_title(self.prop)
        written = self.folded.get(value.casefold())
        if written is not None:
            return Problem(
                codes.OPTION_CASE_MISMATCH,
                f"{quoted(value)} matches the stage {written} of {title} only when letter "
                "case is ignored",
                hint=f"write {written}",
            )
        near = difflib.get_close_matches(value, sorted(self.exact), n=1, cutoff=0.6)
        stages = [
            f"{s.id} ({s.label})" if s.label != s.id else s.id
            for p in self.pipelines
            for s in p.stages
            if not s.archived
        ]
        more = len(stages) - MAX_SHOWN
        listed = ", ".join(stages[:MAX_SHOWN]) + (f" and {more} more" if more > 0 else "")
        return Problem(
            codes.STAGE_NOT_FOUND,
            f"{quoted(value)} is a stage of none of the pipelines of {title}",
            hint=(f"did you mean {near[0]}? " if near else "")
            + (f"stages: {listed}" if stages else "the account has no pipeline stages"),
        )
