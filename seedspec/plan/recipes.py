"""Recipes: how one table's rows and one column's values are made (frozen, JSON-serialisable).

A column recipe is either a value recipe (a generator kind with fully resolved params, its null
rate, uniqueness and the params its stream key hashes) or a link recipe (a foreign key column
with its parent pick, a lookup through a foreign key, an aggregate of child rows, the position
within a parent, a digit of a distinct key tuple). Picks say how child rows choose parent rows.
`bind` turns recipes into runtime generators; nothing here holds a live object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seedspec.plan.oracle import CheckCoverage, OracleRecipe
from seedspec.plan.params import Params

# -- parent picks: child row index -> parent row index ------------------------------------


@dataclass(frozen=True)
class RandomPick:
    """Any parent: uniform, or zipf(s) with the popular parents spread out."""

    key: int
    n: int
    dist: str = "uniform"
    s: float = 1.2


@dataclass(frozen=True)
class PerParentPick:
    """The parent whose group of rows this row belongs to (the table's `count: {per: ...}`)."""


@dataclass(frozen=True)
class UniquePick:
    """Each parent at most once (one-to-one); rows past the parents get NULL when spill_null."""

    key: int
    n: int
    spill_null: bool = False


@dataclass(frozen=True)
class DistinctInParentPick:
    """Distinct parents within one per-parent group of rows (junction tables)."""

    key: int
    n: int


@dataclass(frozen=True)
class TuplePick:
    """One digit of a distinct mixed-radix tuple over the table's rows; with `plus`, that digit
    plus the digits at those positions, modulo `modulus` (a Latin square over the digits)."""

    key: int
    radices: tuple[int, ...]
    position: int
    plus: tuple[int, ...] | None = field(default=None, metadata={"omit_none": True})
    modulus: int | None = field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class TreePick:
    """A self-reference as a tree: rows of level L pick among level L-1 (level start rows)."""

    key: int
    starts: tuple[int, ...]
    root_links_self: bool


@dataclass(frozen=True)
class EarlierRowPick:
    """A further self-reference: any earlier row."""

    key: int
    root_links_self: bool


@dataclass(frozen=True)
class DifferentFromPick:
    """`inner`, but never the parent `other` picks for the same row (CHECK a <> b)."""

    inner: Pick
    other: Pick
    n: int


@dataclass(frozen=True)
class StripedPick:
    """`inner` over the parent rows offset, offset + stride, ... (those a partitioned parent
    routes to the one partition an FK references): inner's k-th choice is row offset+k*stride."""

    inner: Pick
    offset: int
    stride: int


@dataclass(frozen=True)
class JointPick:
    """A parent whose `column` value also occurs in each (table, column, rows) of `others`."""

    key: int
    parent: str
    column: str
    n: int
    others: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class WherePick:
    """A parent whose parent_column equals this row's child_column."""

    key: int
    table: str
    parent: str
    n: int
    child_column: str
    parent_column: str


@dataclass(frozen=True)
class OrderedPairPick:
    """One side of two FKs to one parent column with CHECK (low < high) or (low <= high):
    `inner` numbers the pairs (n*(n-1)/2 or n*(n+1)/2), each decoded over the parent's key
    values in ascending order."""

    inner: Pick
    n: int
    strict: bool
    high: bool
    parent: str
    column: str


@dataclass(frozen=True)
class AbovePick:
    """One side of CHECK (low < high) / (low <= high) where one side is one-to-one: low takes
    a distinct rank (keyed permutation `key`) of the parent's key values among the lowest n-1
    (n, for <=), high a uniform rank above it (or equal, for <=); `anchor_high`: the mirror
    (high distinct among the top n-1, low a uniform rank below it)."""

    key: int
    n: int
    strict: bool
    high: bool
    parent: str
    column: str
    anchor_high: bool = False


@dataclass(frozen=True)
class TreeInGroupPick:
    """A self-reference sharing `column` with another FK (a tenant): an earlier row of the
    same group; the group's first row is a root (NULL, or itself when root_links_self)."""

    key: int
    table: str
    n: int
    column: str
    root_links_self: bool


Pick = (
    RandomPick
    | PerParentPick
    | UniquePick
    | DistinctInParentPick
    | TuplePick
    | TreePick
    | EarlierRowPick
    | DifferentFromPick
    | StripedPick
    | JointPick
    | WherePick
    | OrderedPairPick
    | AbovePick
    | TreeInGroupPick
)

# -- column recipes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRecipe:
    """A generator kind with fully resolved params (column defaults included).

    `key_params`: what the stream key hashes when it differs from `params` (the params as the
    spec or inference wrote them, before the column's defaults were resolved in)."""

    kind: str
    params: Params
    null: float = 0.0
    unique: bool = False
    key_params: Params | None = None
    # the table's CHECK branches (one per row, generate/branches.py): branch b's recipe, None
    # for NULL; this recipe is branch 0's and what other passes read. Absent while None
    cases: tuple[ValueRecipe | None, ...] | None = field(default=None, metadata={"omit_none": True})
    # per branch, whether the column is NULL in it (a unique column keeps one generator)
    branch_null: tuple[bool, ...] | None = field(default=None, metadata={"omit_none": True})
    branch_group: int | None = field(default=None, metadata={"omit_none": True})  # whose ORs


@dataclass(frozen=True)
class RefRecipe:
    """A foreign key column: the picked parent row's `parent_column`; `null` of the rows NULL."""

    parent: str
    parent_column: str
    fk: str  # the link's id (FK name or its columns)
    pick: Pick
    null: float = 0.0
    null_key: int = 0
    # per branch of the table's CHECKs, whether the FK is NULL in it (absent while None)
    branch_null: tuple[bool, ...] | None = field(default=None, metadata={"omit_none": True})
    branch_group: int | None = field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class TupleChoiceRecipe:
    """A finite column (choice, bool) as one digit of the table's distinct key tuple."""

    options: Params  # {"values": [...]}
    pick: TuplePick


@dataclass(frozen=True)
class IndexInParentRecipe:
    """The row's position within its per-parent group, from `start`."""

    start: int = 1


@dataclass(frozen=True)
class LookupRecipe:
    """A parent row's column, through this table's foreign key column `via`."""

    via: str
    parent_column: str
    # "city": a city of the country the parent column names (omitted while None)
    derive: str | None = field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class AggregateRecipe:
    """sum/count/avg/min/max over this row's children in `child` (counted per this table)."""

    child: str
    fn: str
    of: tuple[str, ...]


@dataclass(frozen=True)
class NullRecipe:
    """Always NULL (a nullable FK to a table seeded with no rows)."""


Recipe = (
    ValueRecipe
    | RefRecipe
    | TupleChoiceRecipe
    | IndexInParentRecipe
    | LookupRecipe
    | AggregateRecipe
    | NullRecipe
)


@dataclass(frozen=True)
class ColumnRecipe:
    name: str
    recipe: Recipe


@dataclass(frozen=True)
class LayoutRecipe:
    """Rows grouped by parent: each of `n_parents` parent rows gets a drawn number of rows."""

    parent: str
    n_parents: int
    key: int
    dist: str
    params: Params


@dataclass(frozen=True)
class TableRecipe:
    """One seeded table: its count and why, and every produced column in insert order."""

    name: str
    count: int
    count_from: str
    columns: tuple[ColumnRecipe, ...]
    key_columns: tuple[str, ...] = ()  # identifies a row for deferred UPDATEs
    layout: LayoutRecipe | None = None
    # its CHECKs the database judges per candidate; left out of the JSON while None
    oracle: OracleRecipe | None = field(default=None, metadata={"omit_none": True})
    # which of its CHECKs are modelled / judged by the oracle / neither; absent: no CHECK
    checks: CheckCoverage | None = field(default=None, metadata={"omit_none": True})

    def column(self, name: str) -> Recipe | None:
        return next((c.recipe for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class ExistingRows:
    """A table seedspec leaves alone, as an FK parent: the columns seeded FKs reference, read
    from its rows in key order (parent row i = the i-th row read); `values` holds
    {"columns": [[...], ...]}, one list per column."""

    name: str
    count: int
    columns: tuple[str, ...]
    values: Params


@dataclass(frozen=True)
class LeftAlone:
    """A table the plan neither seeds nor clears, and why (excluded, not included, framework)."""

    table: str
    reason: str
    references: tuple[str, ...] = ()  # seeded tables its FKs point at (what --reset empties)


RECIPE_TYPES: tuple[type, ...] = (
    RandomPick,
    PerParentPick,
    UniquePick,
    DistinctInParentPick,
    TuplePick,
    TreePick,
    EarlierRowPick,
    DifferentFromPick,
    StripedPick,
    JointPick,
    WherePick,
    ValueRecipe,
    RefRecipe,
    TupleChoiceRecipe,
    IndexInParentRecipe,
    LookupRecipe,
    AggregateRecipe,
    NullRecipe,
    ColumnRecipe,
    LayoutRecipe,
    TableRecipe,
    ExistingRows,
    LeftAlone,
)
