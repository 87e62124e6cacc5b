"""Per-row CHECK branches without a database: the branch a row takes (generate/branches.py) and
the branching the compiler writes for a table (compile/passes/branches.py through compile_plan
on a DbSchema built in code). The rows themselves are checked on real servers in
tests/integration/test_check_families.py."""

from __future__ import annotations

import numpy as np

from seedspec.compile.build import compile_plan
from seedspec.database.model import DbCheck, DbColumn, DbForeignKey, DbSchema, DbTable
from seedspec.generate.base import Generator, ValueSource
from seedspec.generate.branches import Branched, BranchNull, branch_key, branch_of
from seedspec.plan import recipes as r
from seedspec.spec.model import Spec


class Const(Generator):
    def __init__(self, value: int) -> None:
        super().__init__(value, {})

    def values(self, model: ValueSource, idx: np.ndarray) -> np.ndarray:
        return np.full(len(idx), self.key, dtype=np.int64)


def test_a_rows_branch_is_a_pure_function_of_seed_table_group_and_row() -> None:
    key = branch_key(7, "job", 0)
    idx = np.arange(1000, dtype=np.int64)
    whole = branch_of(key, 3, idx)
    parts = np.concatenate([branch_of(key, 3, idx[:317]), branch_of(key, 3, idx[317:])])
    assert (whole == parts).all()
    assert set(whole.tolist()) == {0, 1, 2}
    assert not (branch_of(branch_key(7, "job", 1), 3, idx) == whole).all()  # groups differ


def test_columns_of_one_group_agree_on_every_row() -> None:
    key = branch_key(1, "t", 0)
    idx = np.arange(200, dtype=np.int64)
    status = Branched([Const(1), Const(2)], key).values(None, idx)  # type: ignore[arg-type]
    finished = BranchNull(Const(9), (False, True), key).values(None, idx)  # type: ignore[arg-type]
    assert all(
        (s == 1) == (f == 9) for s, f in zip(status.tolist(), finished.tolist(), strict=True)
    )
    assert {None, 9} == set(finished.tolist())


def _schema() -> DbSchema:
    owner = DbTable(
        "owner", columns=(DbColumn("id", "integer", nullable=False),), primary_key=("id",)
    )
    job = DbTable(
        "job",
        columns=(
            DbColumn("id", "integer", nullable=False),
            DbColumn("status", "varchar", nullable=False, length=10),
            DbColumn("finished_at", "timestamp"),
            DbColumn("owner_id", "integer"),
        ),
        primary_key=("id",),
        foreign_keys=(DbForeignKey("job_owner", ("owner_id",), "owner", ("id",)),),
        checks=(
            DbCheck(
                "fin",
                "(status = 'done' AND finished_at IS NOT NULL)"
                " OR (status <> 'done' AND finished_at IS NULL AND owner_id IS NULL)",
            ),
        ),
    )
    return DbSchema("postgresql", tables=(owner, job))


def test_compiler_writes_a_recipe_per_branch_and_fk_null_masks() -> None:
    plan = compile_plan(Spec(), _schema())
    job = next(t for t in plan.recipes if t.name == "job")
    status, finished, owner = (job.column(n) for n in ("status", "finished_at", "owner_id"))
    assert isinstance(status, r.ValueRecipe) and status.cases is not None
    done, other = status.cases
    assert done is not None and done.kind == "choice" and done.params.value()["values"] == ["done"]
    # a status vocabulary (analysis/vocabulary.py), never the word 'done'
    assert other is not None and other.kind == "choice"
    assert other.params.value()["values"] and "done" not in other.params.value()["values"]
    assert isinstance(finished, r.ValueRecipe) and finished.cases is not None
    assert finished.cases[1] is None  # NULL in the branch that is not done
    assert isinstance(owner, r.RefRecipe) and owner.branch_null == (False, True)
    assert status.branch_group == finished.branch_group == owner.branch_group == 0
    assert job.checks is not None and job.checks.modelled == ("fin",) and not job.checks.oracle
