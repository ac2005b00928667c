"""The one value rule over two columns: a stage must be a stage of the row's pipeline.

HubSpot's KB "Format import files": "Pipeline and Deal stage must match existing options in
your account and the Deal stage must be a valid stage in that pipeline". The row's pipeline
is its pipeline cell, by id or label; without a pipeline column, the pipeline with id
`default` (spec-format.md, "Format 2"). Each cell alone is judged by the column's own check
(`account.PipelineCheck`, `account.StageCheck`): a pipeline or stage that exists nowhere is
reported there, so this rule only speaks of stages that exist, in another pipeline.

Decisions where the sources are silent:

- A blank pipeline cell is no pipeline: the default one, as without a column. HubSpot's
  pipelines guide says the same of its API: "if you're setting a stage that is not in the
  default pipeline, you'll also need to set the pipeline property".
- Without a pipeline column and without a pipeline of id `default`, an account with one
  active pipeline has that one; with several, nothing is judged.
- Stages match in any letter case here (the stage's own check warns about the case).

Work per batch: Arrow tests every row's (pipeline, stage) pair against the set of valid pairs
in compiled code; only rows outside it reach Python, once per distinct pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specc.catalog.model import Pipeline, pipeline_properties
from specc.codes import data as codes
from specc.data.values.account import DEFAULT_PIPELINE, stage_spellings
from specc.data.values.base import STRIP_CHARS, Problem, quoted

if TYPE_CHECKING:
    from specc.catalog.model import Catalog
    from specc.spec.model import DataFile

_JOIN = "\x1f"  # between a pair's pipeline and stage: no spelling holds it
MAX_REMEMBERED = 4096
MAX_SHOWN = 8


@dataclass
class StageRule:
    """A stage column (index `stage`) and the pipeline column it depends on (None: none)."""

    stage: int
    pipeline: int | None
    object_name: str
    pipelines: tuple[Pipeline, ...]
    # Blank pipeline cells (or no pipeline column) mean this pipeline; None: judge nothing.
    default: Pipeline | None
    seen: dict[tuple[str, str], Problem | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        active = [p for p in self.pipelines if not p.archived]
        self._by_spelling: dict[str, Pipeline] = {}
        for pipeline in active:
            for spelling in (pipeline.id, pipeline.label):
                self._by_spelling.setdefault(spelling, pipeline)
                self._by_spelling.setdefault(spelling.casefold(), pipeline)
        self._stages = {p.id: {s.casefold() for s in stage_spellings(p)} for p in active}
        self._every_stage = {s for stages in self._stages.values() for s in stages}
        if self.pipeline is None:
            target = [] if self.default is None else list(stage_spellings(self.default))
            self._valid = sorted(target)
        else:
            self._valid = sorted(
                f"{spelling}{_JOIN}{stage}"
                for pipeline in active
                for spelling in {pipeline.id, pipeline.label}
                for stage in stage_spellings(pipeline)
            )

    @property
    def columns(self) -> tuple[int, ...]:
        return (self.stage,) if self.pipeline is None else (self.stage, self.pipeline)

    def check(self, columns: list[Any]) -> Iterator[tuple[int, str, Problem]]:
        """(row index in the batch, stage cell, problem) for each row that breaks the rule."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from specc.data.columns import indices

        stage = columns[self.stage]
        if self.pipeline is None:
            if self.default is None:
                return
            keys = stage
        else:
            keys = pc.binary_join_element_wise(columns[self.pipeline], stage, _JOIN)
        fine = pc.or_kleene(
            pc.is_in(keys, value_set=pa.array(self._valid, pa.string())),
            pc.equal(pc.utf8_length(stage), 0),
        )
        suspects = indices(pc.invert(fine))
        if not suspects:
            return
        stages = pc.take(stage, suspects).to_pylist()
        pipes = (
            [""] * len(suspects)
            if self.pipeline is None
            else pc.take(columns[self.pipeline], suspects).to_pylist()
        )
        for i, pipe, text in zip(suspects, pipes, stages, strict=True):
            key = (pipe, text)
            if key in self.seen:
                problem = self.seen[key]
            else:
                problem = self._judge(pipe, text)
                if len(self.seen) < MAX_REMEMBERED:
                    self.seen[key] = problem
            if problem is not None:
                yield i, text, problem

    def _judge(self, pipe: str, text: str) -> Problem | None:
        value = text.strip(STRIP_CHARS).casefold()
        if not value or value not in self._every_stage:
            return None  # blank, or no stage anywhere: the stage's own check says so
        named = pipe.strip(STRIP_CHARS)
        if self.pipeline is not None and named:
            pipeline = self._by_spelling.get(named) or self._by_spelling.get(named.casefold())
            if pipeline is None:
                return None  # no such pipeline: the pipeline's own check says so
            which = f"the row's pipeline {quoted(named)}"
        else:
            pipeline = self.default
            if pipeline is None:
                return None
            which = f"the default pipeline {quoted(pipeline.label)}"
        if value in self._stages.get(pipeline.id, ()):
            return None
        own = [
            f"{s.id} ({s.label})" if s.label != s.id else s.id
            for s in pipeline.stages
            if not s.archived
        ]
        more = len(own) - MAX_SHOWN
        listed = ", ".join(own[:MAX_SHOWN]) + (f" and {more} more" if more > 0 else "")
        return Problem(
            codes.STAGE_OF_ANOTHER_PIPELINE,
            f"{quoted(text.strip(STRIP_CHARS))} is not a stage of {which} of {self.object_name}",
            hint=f"stages of {pipeline.label}: {listed}" if own else "the pipeline has no stages",
        )


def stage_rules(data_file: DataFile, catalog: Catalog) -> list[StageRule]:
    """The stage rules of a data file's columns: one per object whose stage it writes and
    whose pipelines the catalog (a format 2 snapshot) knows."""
    if not catalog.is_snapshot:
        return []
    found: list[StageRule] = []
    by_object: dict[str, dict[str, int]] = {}
    for j, column in enumerate(data_file.columns):
        known = column.is_property and column.object_type_id and column.property
        if known and not column.association_keys:
            assert column.object_type_id is not None and column.property is not None
            by_object.setdefault(column.object_type_id, {}).setdefault(column.property, j)
    for oid, columns in by_object.items():
        obj = catalog.object(oid)
        if obj is None or obj.pipelines is None:
            continue
        pipeline_name, stage_name = pipeline_properties(oid)
        if stage_name not in columns:
            continue
        pipeline_column = columns.get(pipeline_name)
        found.append(
            StageRule(
                stage=columns[stage_name],
                pipeline=pipeline_column,
                object_name=obj.name,
                pipelines=obj.pipelines,
                default=_default(obj.pipelines),
            )
        )
    return found


def _default(pipelines: tuple[Pipeline, ...]) -> Pipeline | None:
    """The pipeline a row without one gets: `default`, or the account's only one."""
    active = [p for p in pipelines if not p.archived]
    named = next((p for p in active if p.id == DEFAULT_PIPELINE), None)
    if named is not None:
        return named
    return active[0] if len(active) == 1 else None
