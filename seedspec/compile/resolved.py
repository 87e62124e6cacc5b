"""The resolved spec: (Spec, DbSchema) -> every table's count and every column's generator, as
the compiler decided them (spec first, inference for the rest). `init` and `preview` read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from seedspec.database.model import DbSchema
from seedspec.spec.model import CountSpec, GeneratorSpec, Spec, TreeSpec


@dataclass(frozen=True)
class ResolvedColumn:
    name: str
    generator: GeneratorSpec | None  # None: not inserted (see note)
    origin: str  # "spec" | "inferred" | "foreign key" | "key" | "skipped"
    note: str  # why: "varchar(40) NOT NULL; name looks like an email", "generated column" ...


@dataclass(frozen=True)
class ResolvedTable:
    name: str
    count: int  # rows the plan inserts
    count_spec: CountSpec | None  # as written in the spec (None: inferred)
    count_note: str
    tree: TreeSpec | None
    columns: tuple[ResolvedColumn, ...] = field(default_factory=tuple)


def resolve(spec: Spec, schema: DbSchema, scale: float | None = None) -> list[ResolvedTable]:
    """Compile without reconciling and report what was decided, in insert order."""
    from seedspec.compile.build import _Compiler

    compiler = _Compiler(spec, schema, spec.scale if scale is None else scale)
    plan = compiler.run()
    return [compiler.resolved_table(name) for name in plan.tables]
