"""`--models django:SETTINGS:APP` on PostgreSQL and MariaDB: tests/django_app (a shop with
choices the database has no CHECK for, validators, EmailField/SlugField/URLField, a UUIDField,
unique_together, a conditional UniqueConstraint MariaDB cannot create, a CheckConstraint and a
self-FK) migrated by Django's own `migrate` into a throwaway database, seeded by `seedspec apply
--models`, then judged by Django itself (tests/django_app/verify.py): the ORM's queries find
every choice, full_clean() passes on every row of every model, and each admin changelist renders
(200) for a superuser made after seeding. Without --models full_clean fails (the control);
`init --models` writes the models' facts; `check --models` reports drift, located."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import run_sql
from ruamel.yaml import YAML

pytestmark = [pytest.mark.postgres, pytest.mark.mariadb]

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "tests" / "django_app"
MODELS = "django:djshop.settings:shop"
CHOICES = {"tiers": ["enterprise", "free", "pro"], "statuses": [0, 1, 2]}


def _env(url: str) -> dict[str, str]:
    u = sa.make_url(url)
    mysql = u.get_backend_name() != "postgresql"
    db = {
        "ENGINE": "django.db.backends." + ("mysql" if mysql else "postgresql"),
        "NAME": u.database,
        "USER": u.username or ("root" if mysql else "postgres"),
        "HOST": u.host or "127.0.0.1",
        "PORT": u.port or (3306 if mysql else 5432),
    }
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env | {"SHOP_DB": json.dumps(db), "PYTHONPATH": os.pathsep.join([str(REPO), str(APP)])}


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=APP, env=_env(url), timeout=300
    )


def seedspec(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(url, "-m", "seedspec.cli.app", *args)


def verify(url: str) -> dict:
    done = _run(url, "verify.py")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(params=["postgresql", "mariadb"])
def shop_url(request: pytest.FixtureRequest) -> str:
    url = str(request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url"))
    done = _run(url, "-m", "django", "migrate", "--no-input", "--settings", "djshop.settings")
    assert done.returncode == 0, done.stderr
    return url


def test_seeded_shop_passes_full_clean_orm_and_admin(shop_url: str) -> None:
    done = seedspec(shop_url, "apply", "--db", shop_url, "--models", MODELS, "--include", "shop_*")
    assert done.returncode == 0, done.stderr
    found = verify(shop_url)
    assert found["invalid"] == [] and found["invalid_count"] == 0
    assert found["counts"] == {"Customer": 20, "Product": 20, "Order": 20, "OrderLine": 20}
    assert found["pro"] > 0
    assert found["tiers"] == CHOICES["tiers"] and found["statuses"] == CHOICES["statuses"]
    assert found["states"] == ["new", "paid", "shipped"]
    assert found["referred"] > 0  # the self-FK is used
    assert found["most_new_orders_of_one_customer"] <= 1  # the conditional UniqueConstraint
    assert found["admin"] == {"Customer": 200, "Product": 200, "Order": 200, "OrderLine": 200}


def test_without_models_full_clean_fails(pg_url: str) -> None:
    """The control: the database alone has no CHECK for `tier`, the validators or the slug."""
    done = _run(pg_url, "-m", "django", "migrate", "--no-input", "--settings", "djshop.settings")
    assert done.returncode == 0, done.stderr
    done = seedspec(pg_url, "apply", "--db", pg_url, "--include", "shop_*")
    assert done.returncode == 0, done.stderr
    found = verify(pg_url)
    assert found["invalid_count"] > 0 and found["tiers"] != CHOICES["tiers"]


def test_init_with_models_writes_the_models_facts(pg_url: str) -> None:
    done = _run(pg_url, "-m", "django", "migrate", "--no-input", "--settings", "djshop.settings")
    assert done.returncode == 0, done.stderr
    done = seedspec(
        pg_url, "init", "--stdout", "--db", pg_url, "--models", MODELS, "--include", "shop_*"
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split("#")[0].strip() for line in done.stdout.splitlines()}
    missing: list[str] = []
    for wanted in (
        "tier: {choice: [free, pro, enterprise]}",
        "status: {choice: [0, 1, 2]}",
        "state: {choice: [new, paid, shipped]}",
        "homepage: {gen: internet.url}",
        "age: {int: {min: 18, max: 99}}",  # the validators' range, not the name rule's 18..90
        "quantity: {int: {min: 1, max: 20}}",
        'sku: {pattern: "^[A-Z]{3}-[0-9]{4}$", unique: true}',
        "number: {int: {min: 0, max: 9999}}",
    ):
        missing.append(wanted) if wanted not in lines else None
    got = sorted(line for line in lines if line.split(":")[0] in {w.split(":")[0] for w in missing})
    assert not missing, (missing, got)
    columns = YAML(typ="safe").load(done.stdout)["tables"]["shop_customer"]["columns"]
    compose = {"parts": ["text.word", "text.word"], "sep": "-", "case": "lower", "alpha": True}
    # a SlugField: a slug composed of two words (cold-river), written out as such
    assert columns["handle"] == {"gen": "text.word", "compose": compose, "unique": True}


def test_check_with_models_reports_drift_located(pg_url: str, tmp_path: Path) -> None:
    done = _run(pg_url, "-m", "django", "migrate", "--no-input", "--settings", "djshop.settings")
    assert done.returncode == 0, done.stderr
    run_sql(
        pg_url,
        "ALTER TABLE shop_product DROP COLUMN title;"
        "ALTER TABLE shop_customer ADD COLUMN nickname varchar(20) NOT NULL;"
        "ALTER TABLE shop_customer ALTER COLUMN name TYPE varchar(60)",
    )
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "seedspec: 1\ntables:\n  shop_customer:\n    columns:\n"
        "      tier: {choice: [free, pro, gold]}\n",
        encoding="utf-8",
    )
    done = seedspec(pg_url, "check", str(spec), "--db", pg_url, "--models", MODELS, "-o", "json")
    assert done.returncode == 3, done.stderr
    findings = json.loads(done.stdout)["result"]["drift"]["findings"]
    by_code = {f["kind"]: f for f in findings}
    models_py = str(APP / "shop" / "models.py")
    missing = by_code["model-column-missing"]
    assert (missing["table"], missing["column"], missing["file"]) == (
        "shop_product",
        "title",
        models_py,
    )
    assert missing["line"] == 52 and missing["severity"] == "error"
    extra = by_code["column-not-in-model"]
    assert (extra["column"], extra["severity"], extra["file"]) == ("nickname", "error", models_py)
    length = by_code["max-length-mismatch"]
    assert (length["column"], length["severity"], length["line"]) == ("name", "error", 21)
    choice = by_code["choice-not-in-model"]
    assert (choice["file"], choice["line"], choice["column"]) == (str(spec), 5, "tier")
    assert "'gold'" in choice["message"] and "shop.Customer.tier" in choice["message"]
    assert "choice-outside-check" not in by_code  # said once, as the model's
