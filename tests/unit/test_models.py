"""seedspec/models offline: SQLAlchemy declarative models (tests/sqla_app/shopmodels.py) ->
ModelFacts -> facts layered on the DbSchema create_all would give (schema_from_metadata) ->
inference's generators; the drift messages of `check --models` (model vs database, spec vs
model), word for word, located at the model's lines and the spec's column."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from seedspec.analysis.infer import infer_column
from seedspec.database.facts import table_facts_of
from seedspec.database.from_metadata import schema_from_metadata
from seedspec.database.model import DbColumn, DbSchema
from seedspec.errors import UsageError
from seedspec.models.drift import model_problems, spec_problems
from seedspec.models.loading import load_models
from seedspec.models.overlay import layer
from seedspec.spec.validate import load_spec_text

APP = Path(__file__).resolve().parents[1] / "sqla_app"
SOURCE = "sqlalchemy:shopmodels:Base"


@pytest.fixture(scope="module")
def facts():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(APP))
    try:
        yield load_models(SOURCE)
    finally:
        sys.path.remove(str(APP))


@pytest.fixture(scope="module")
def schema(facts) -> DbSchema:  # type: ignore[no-untyped-def]
    import shopmodels

    return schema_from_metadata(shopmodels.Base.metadata, "mysql")


def _inferred(schema: DbSchema, table: str, column: str):  # type: ignore[no-untyped-def]
    t = schema.table(table)
    assert t is not None and t.column(column) is not None
    return infer_column(t, t.column(column), table_facts_of(t).columns.get(column)).generator


def test_reads_enums_info_and_constraints(facts) -> None:  # type: ignore[no-untyped-def]
    account = facts.table("account")
    plan, score, code = (account.field_of(c) for c in ("plan", "score", "code"))
    assert plan.choices == ("basic", "plus", "max")
    assert (score.minimum, score.maximum) == (0, 100)
    assert code.patterns == ("^AC-[0-9]{6}$",) and code.max_length == 9
    assert account.field_of("email").meaning == "email"
    assert [c.name for c in account.checks] == ["balance_not_negative"]
    member = facts.table("membership")
    assert [u.columns for u in member.uniques] == [("account_id", "team")]
    assert member.field_of("team").location.line == 50


def test_the_database_alone_has_no_enum_values(schema: DbSchema) -> None:
    """native_enum=False: a VARCHAR with no CHECK, so inference alone draws words."""
    assert schema.table("account").column("plan").type == "varchar"
    assert not schema.table("account").checks or all(
        "plan" not in c.sqltext for c in schema.table("account").checks
    )
    assert _inferred(schema, "account", "plan").kind == "gen"


def test_layered_facts_become_generators(facts, schema: DbSchema) -> None:  # type: ignore[no-untyped-def]
    known = layer(schema, facts)
    assert schema.table("account").column("email").meaning is None  # the input is not changed
    plan = _inferred(known, "account", "plan")
    assert (plan.kind, plan.params["values"]) == ("choice", ["basic", "plus", "max"])
    score = _inferred(known, "account", "score")
    # the validators state the range 0..100: it replaces the name rule's guess (rated 1..5)
    assert (score.kind, score.params["min"], score.params["max"]) == ("int", 0, 100)
    assert known.table("account").column("score").meaning == "bounded"
    assert _inferred(known, "account", "code").kind == "pattern"
    email = _inferred(known, "account", "email")
    assert (email.kind, email.params["provider"]) == ("gen", "person.email")
    names = [c.name for c in known.table("account").checks]
    assert "model shopmodels.Account.plan" in names
    assert "model shopmodels.Account.email" not in names  # a meaning, not a CHECK
    assert known.to_dict()["tables"] != schema.to_dict()["tables"]
    assert "meaning" not in schema.to_dict()["tables"][0]["columns"][0]  # snapshots unchanged


def test_model_drift_messages(facts, schema: DbSchema) -> None:  # type: ignore[no-untyped-def]
    account = schema.table("account")
    columns = [c for c in account.columns if c.name != "score"]
    columns = [
        replace(c, length=5, sql_type="VARCHAR(5)") if c.name == "code" else c for c in columns
    ]
    columns.append(DbColumn("nickname", "varchar", "VARCHAR(20)", nullable=False, length=20))
    drifted = replace(
        schema,
        tables=(replace(account, columns=tuple(columns)),),
        _index={},
    )
    found = {p.code: p for p in model_problems(facts, drifted)}
    assert found["model-table-missing"].message == (
        "model shopmodels.Membership: table 'membership' is not in the database"
    )
    missing = found["model-column-missing"]
    assert missing.message == (
        "model field shopmodels.Account.score: column 'score' is not in table 'account'"
    )
    assert (missing.location.file, missing.location.line) == (str(APP / "shopmodels.py"), 33)
    assert found["column-not-in-model"].message == (
        "column account.nickname has no field in model shopmodels.Account and is NOT NULL "
        "without a default: the application cannot insert rows"
    )
    length = found["max-length-mismatch"]
    assert length.message == (
        "model field shopmodels.Account.code: max_length 9 but column account.code is "
        "VARCHAR(5): values the model accepts do not fit"
    )
    assert length.severity == "error"


def test_spec_choice_outside_the_models(facts, schema: DbSchema) -> None:  # type: ignore[no-untyped-def]
    spec = load_spec_text(
        "seedspec: 1\ntables:\n  account:\n    columns:\n      plan: {choice: [basic, gold]}\n",
        name="seed.yaml",
    )
    (problem,) = spec_problems(facts, schema, spec)
    assert problem.code == "choice-not-in-model"
    assert problem.message == (
        "account.plan: 'gold' not among the choices of model field shopmodels.Account.plan "
        "('basic', 'plus', 'max')"
    )
    assert str(problem.location) == "seed.yaml:5:7"


def test_a_bad_models_argument_is_one_usage_line() -> None:
    with pytest.raises(UsageError, match="--models expects"):
        load_models("rails:app")
    with pytest.raises(UsageError, match="no module named 'no_such_models'"):
        load_models("sqlalchemy:no_such_models")
