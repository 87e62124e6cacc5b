"""seedspec.spec.validate: JSON Schema + semantic checks with file:line:col, and the Spec IR."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from seedspec.errors import SpecError
from seedspec.spec.model import COUNT_DISTRIBUTIONS, GENERATOR_KINDS, GeneratorSpec, Spec
from seedspec.spec.source import load_document
from seedspec.spec.validate import SCHEMA_PATH, load_spec, spec_schema, validate_document

DATA = Path(__file__).parent / "data"
FULL = DATA / "full.yaml"
REPO_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "seedspec-1.schema.json"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems(tmp_path: Path, text: str, profile: str | None = None) -> list[str]:
    """Every problem as 'line:col: message' (the file is checked to be the spec's)."""
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path, profile)
    out = []
    for problem in info.value.problems:
        assert problem.location is not None and problem.location.file == path
        out.append(f"{problem.location.line}:{problem.location.col}: {problem.message}")
    return out


def spec_of(tmp_path: Path, text: str, profile: str | None = None) -> Spec:
    return load_spec(write(tmp_path, text), profile)


def column(tmp_path: Path, entry: str, count: str = "10") -> GeneratorSpec:
    text = f"seedspec: 1\ntables:\n  t:\n    count: {count}\n    columns:\n      c: {entry}\n"
    table = spec_of(tmp_path, text).tables[0]
    return table.columns[0].generator


# -- the schema itself -----------------------------------------------------------------------


def test_schema_is_valid_draft7() -> None:
    schema = json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] and schema["title"]


def test_package_reads_the_repo_schema() -> None:
    assert SCHEMA_PATH.resolve() == REPO_SCHEMA.resolve()
    assert spec_schema() == json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))


def _properties(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            found.append((f"{path}/properties/{name}", sub))
        for key, sub in node.items():
            found += _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            found += _properties(sub, f"{path}/{i}")
    return found


def test_every_property_has_a_description() -> None:
    props = _properties(spec_schema())
    assert len(props) > 100
    missing = [path for path, sub in props if not sub.get("description")]
    assert missing == []


def test_schema_matches_spec_constants() -> None:
    schema = spec_schema()
    defs = schema["definitions"]
    assert list(defs["column"]["properties"])[: len(GENERATOR_KINDS)] == list(GENERATOR_KINDS)
    assert [b["required"] for b in defs["column"]["oneOf"]] == [[k] for k in GENERATOR_KINDS]
    count_dist = defs["count"]["oneOf"][1]["properties"]["dist"]["enum"]
    assert count_dist == list(COUNT_DISTRIBUTIONS)
    assert schema["required"] == ["seedspec"] and schema["additionalProperties"] is False


# -- the full example ------------------------------------------------------------------------


def test_full_example_builds() -> None:
    spec = load_spec(str(FULL))
    assert (spec.version, spec.seed, spec.locale, spec.scale) == (1, 42, "en", 1.0)
    assert spec.path == str(FULL)
    assert spec.target.url_env == "DATABASE_URL" and spec.target.schema == "public"
    assert spec.target.allow_hosts == ("localhost", "127.0.0.1", "postgres")
    assert spec.target.ledger is None  # seedspec_ledger
    assert spec.profiles == {"ci": {"scale": 0.1}, "load": {"scale": 20}}
    names = [t.name for t in spec.tables]
    assert names == ["accounts", "users", "categories", "products", "orders", "order_items"]
    assert len(spec.after) == 1 and spec.after[0].sql.startswith("UPDATE orders o SET")
    assert str(spec.after[0].location) == f"{FULL}:53:10"


def test_full_example_tables_and_locations() -> None:
    spec = load_spec(str(FULL))
    accounts = spec.table("accounts")
    assert accounts is not None and accounts.count is not None
    assert accounts.count.fixed == 1000 and str(accounts.count.location) == f"{FULL}:18:12"
    assert str(accounts.location) == f"{FULL}:17:3"
    assert [c.name for c in accounts.columns] == ["name", "plan", "created_at", "owner_user_id"]
    owner = accounts.column("owner_user_id")
    assert owner is not None and str(owner.location) == f"{FULL}:23:7"
    assert owner.generator.params["where"] == {"account_id": "id"}
    assert str(owner.generator.location) == f"{FULL}:23:23"

    users = spec.table("users")
    assert users is not None and users.count is not None
    assert (users.count.per, users.count.dist) == ("accounts", "poisson")
    assert users.count.params["min"] == 1 and users.count.params["mean"] == 50

    categories = spec.table("categories")
    assert categories is not None and categories.tree is not None
    assert (categories.tree.parent, categories.tree.max_depth) == ("parent_id", 4)
    assert categories.tree.roots is None and categories.columns == ()

    orders = spec.table("orders")
    assert orders is not None
    coupon = orders.column("coupon_code")
    assert coupon is not None and coupon.generator.null == 0.8
    email = users.column("email")
    assert email is not None and email.generator.unique is True


def test_created_at_stays_a_string() -> None:
    spec = load_spec(str(FULL))
    accounts = spec.table("accounts")
    assert accounts is not None
    created = accounts.column("created_at")
    assert created is not None
    assert created.generator.params == {"from": "2023-01-01", "to": "2026-01-01", "dist": "uniform"}


def test_validate_document_takes_a_document() -> None:
    spec = validate_document(load_document(str(FULL)))
    assert spec.table("order_items") is not None


def test_tiny_spec(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "seedspec: 1\ntables: {users: {count: 100}}\n")
    assert (spec.seed, spec.locale, spec.scale) == (0, "en", 1.0)
    assert spec.tables[0].count is not None and spec.tables[0].count.fixed == 100
    assert spec.tables[0].tree is None and spec.after == ()


def test_table_without_count(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "seedspec: 1\ntables:\n  users: {}\n")
    assert spec.tables[0].count is None


# -- normalisation of every generator kind ---------------------------------------------------

NORMALISED: list[tuple[str, str, dict[str, Any]]] = [
    ("{gen: person.email}", "gen", {"provider": "person.email", "args": {}}),
    (
        "{gen: text.words, args: {quantity: 3}}",
        "gen",
        {"provider": "text.words", "args": {"quantity": 3}},
    ),
    (
        "{int: {min: 1, max: 9.0}}",
        "int",
        {
            "min": 1,
            "max": 9,
            "dist": "uniform",
            "mean": None,
            "sigma": None,
            "mu": None,
            "lambda": None,
            "p": None,
            "s": None,
            "precision": None,
            "scale": None,
            "round": None,
        },
    ),
    (
        "{decimal: {min: 0, max: 99.99, precision: 6, scale: 2, dist: normal, mean: 50, "
        "sigma: 10}}",
        "decimal",
        {
            "min": 0,
            "max": 99.99,
            "dist": "normal",
            "mean": 50,
            "sigma": 10,
            "mu": None,
            "lambda": None,
            "p": None,
            "s": None,
            "precision": 6,
            "scale": 2,
            "round": None,
        },
    ),
    ("{choice: [S, M, L]}", "choice", {"values": ["S", "M", "L"], "weights": None}),
    ("{choice: {a: 3, b: 1}}", "choice", {"values": ["a", "b"], "weights": [3.0, 1.0]}),
    ("{choice: {1: 1, 2: 0}}", "choice", {"values": [1, 2], "weights": [1.0, 0.0]}),
    ("{bool: 0.9}", "bool", {"p": 0.9}),
    ("{bool: 1}", "bool", {"p": 1.0}),
    ("{date: {}}", "date", {"from": None, "to": None, "dist": "uniform"}),
    (
        "{datetime: {from: 2024-01-01, to: '2025-01-01T00:00:00Z', dist: normal}}",
        "datetime",
        {"from": "2024-01-01", "to": "2025-01-01T00:00:00Z", "dist": "normal"},
    ),
    (
        "{time: {from: '08:00', to: '18:00'}}",
        "time",
        {"from": "08:00", "to": "18:00", "dist": "uniform"},
    ),
    ("{sequence: 100}", "sequence", {"start": 100, "step": 1}),
    ("{sequence: {step: 5}}", "sequence", {"start": 1, "step": 5}),
    ("{template: 'SKU-{row:06d}'}", "template", {"template": "SKU-{row:06d}"}),
    ("{const: [1, 2]}", "const", {"value": [1, 2]}),
    ("{const: null}", "const", {"value": None}),
    ("{uuid: {}}", "uuid", {}),
    ("{index_in_parent: 0}", "index_in_parent", {"start": 0}),
    ("{default: true}", "default", {}),
]


@pytest.mark.parametrize(("entry", "kind", "params"), NORMALISED)
def test_normalisation(tmp_path: Path, entry: str, kind: str, params: dict[str, Any]) -> None:
    count = "{per: p}" if kind == "index_in_parent" else "10"
    text = (
        f"seedspec: 1\ntables:\n  p: {{}}\n  t:\n    count: {count}\n    columns:\n"
        f"      c: {entry}\n"
    )
    gen = spec_of(tmp_path, text).table("t").columns[0].generator  # type: ignore[union-attr]
    assert (gen.kind, gen.params, gen.null, gen.unique) == (kind, params, 0.0, False)


@pytest.mark.parametrize(
    ("target", "table", "col"),
    [
        ("users", "users", None),
        ("users.id", "users", "id"),
        ("public.users.id", "public.users", "id"),
    ],
)
def test_ref_targets(tmp_path: Path, target: str, table: str, col: str | None) -> None:
    text = f"seedspec: 1\ntables:\n  users: {{}}\n  t:\n    columns:\n      c: {{ref: {target}}}\n"
    gen = spec_of(tmp_path, text).table("t").columns[0].generator  # type: ignore[union-attr]
    assert gen.params == {"table": table, "column": col, "dist": "uniform", "s": 1.0, "where": None}


def test_ref_with_zipf_and_where(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\ntables:\n  users: {}\n  t:\n    columns:\n"
        "      c: {ref: users.id, dist: zipf, s: 1.2, where: {account_id: account_id}, null: 0.1}\n"
    )
    gen = spec_of(tmp_path, text).table("t").columns[0].generator  # type: ignore[union-attr]
    assert gen.params == {
        "table": "users",
        "column": "id",
        "dist": "zipf",
        "s": 1.2,
        "where": {"account_id": "account_id"},
    }
    assert gen.null == 0.1


def test_lookup(tmp_path: Path) -> None:
    gen = column(tmp_path, "{lookup: product_id.price_cents}")
    assert gen.params == {"fk_column": "product_id", "parent_column": "price_cents"}


def test_json_and_array_nest_generators(tmp_path: Path) -> None:
    entry = (
        "{json: {color: {gen: text.color}, tags: {array: {of: {choice: [a, b]}, "
        "length: {max: 3}}}, n: {array: {of: {int: {}}, length: 2}, null: 0.5}}}"
    )
    gen = column(tmp_path, entry)
    assert gen.kind == "json"
    fields = gen.params["fields"]
    assert list(fields) == ["color", "tags", "n"]
    assert fields["color"].params == {"provider": "text.color", "args": {}}
    tags = fields["tags"]
    assert tags.kind == "array" and tags.params["length"] == {"min": 0, "max": 3}
    assert tags.params["of"].params == {"values": ["a", "b"], "weights": None}
    assert fields["n"].params["length"] == 2 and fields["n"].null == 0.5
    assert fields["color"].location is not None and fields["color"].location.line == 6


def test_array_without_length(tmp_path: Path) -> None:
    gen = column(tmp_path, "{array: {of: {uuid: {}}}}")
    assert gen.params["length"] is None and gen.params["of"].kind == "uuid"


def test_columns_keep_written_order(tmp_path: Path) -> None:
    names = ["zeta", "alpha", "mid", "beta"]
    body = "".join(f"      {n}: {{uuid: {{}}}}\n" for n in names)
    spec = spec_of(tmp_path, f"seedspec: 1\ntables:\n  t:\n    columns:\n{body}")
    assert [c.name for c in spec.tables[0].columns] == names


def test_count_and_tree_normalised(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\ntables:\n  users: {}\n"
        "  orders:\n    count: {per: users, via: buyer_id, max: 5}\n"
        "  cats:\n    count: 5.0\n    tree: {parent: parent_id, max_depth: 2, roots: 0.25}\n"
    )
    spec = spec_of(tmp_path, text)
    orders = spec.table("orders")
    assert orders is not None and orders.count is not None
    count = orders.count
    assert (count.fixed, count.per, count.via, count.dist) == (None, "users", "buyer_id", "uniform")
    assert count.params == {
        "min": None,
        "max": 5,
        "mean": None,
        "sigma": None,
        "mu": None,
        "s": None,
        "p": None,
        "lambda": None,
    }
    cats = spec.table("cats")
    assert cats is not None and cats.count is not None and cats.tree is not None
    assert cats.count.fixed == 5 and isinstance(cats.count.fixed, int)
    assert (cats.tree.parent, cats.tree.max_depth, cats.tree.roots) == ("parent_id", 2, 0.25)
    assert cats.tree.location is not None and cats.tree.location.line == 8


def test_merge_keys_share_columns(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\ntables:\n"
        "  a:\n    columns: &stamps\n"
        "      created_at: {datetime: {}}\n      updated_at: {datetime: {}}\n"
        "  b:\n    columns:\n      <<: *stamps\n      name: {gen: person.name}\n"
    )
    spec = spec_of(tmp_path, text)
    b = spec.table("b")
    assert b is not None
    assert [c.name for c in b.columns] == ["created_at", "updated_at", "name"]


# -- schema problems -------------------------------------------------------------------------


def test_missing_version(tmp_path: Path) -> None:
    assert problems(tmp_path, "tables: {}\n") == [
        "1:1: spec: missing required key 'seedspec' (write seedspec: 1 at the top)"
    ]


def test_wrong_version(tmp_path: Path) -> None:
    assert problems(tmp_path, "seedspec: 2\n") == [
        "1:11: seedspec: unsupported format version 2; this seedspec reads seedspec: 1"
    ]


def test_true_is_not_version_1(tmp_path: Path) -> None:
    assert problems(tmp_path, "seedspec: true\n") == [
        "1:11: seedspec: unsupported format version true; this seedspec reads seedspec: 1"
    ]


def test_unknown_keys_point_at_the_key_with_suggestion(tmp_path: Path) -> None:
    text = "seedspec: 1\nsead: 1\ntables:\n  users:\n    cuont: 10\n"
    assert problems(tmp_path, text) == [
        "2:1: spec: unknown key 'sead' (did you mean 'seed'?)",
        "5:5: tables.users: unknown key 'cuont' (did you mean 'count'?)",
    ]


def test_unknown_key_without_close_match_lists_the_options(tmp_path: Path) -> None:
    out = problems(tmp_path, "seedspec: 1\ntarget: {zzz: 1}\n")
    assert out == [
        "2:10: target: unknown key 'zzz' (expected one of: allow_hosts, ledger, schema, url_env)"
    ]


SCHEMA_CASES = [
    ("scale: 0", "scale: must be > 0; got 0"),
    ("scale: -1.5", "scale: must be > 0; got -1.5"),
    ("seed: 1.5", "seed: must be an integer; got a number (1.5)"),
    ("seed: abc", 'seed: must be an integer; got a string ("abc")'),
    ("locale: ''", "locale: must not be empty"),
    ("locale: xx", "locale: unknown locale 'xx'; mimesis knows: "),  # spec fuzz: was unlocated
    ("tables: []", "tables: must be a mapping; got a list"),
    ("tables:", "tables: must be a mapping; got null"),
    ("after: [{sql: 5}]", "after[0].sql: must be a string; got an integer (5)"),
    ("after: [{}]", "after[0]: missing required key 'sql'"),
    ("target: {allow_hosts: localhost}", "target.allow_hosts: must be a list; got a string"),
    ("profiles: {ci: {scale: 0}}", "profiles.ci.scale: must be > 0; got 0"),
    ("profiles: {ci: {colour: 1}}", "profiles.ci: unknown key 'colour'"),
]


@pytest.mark.parametrize(("line", "message"), SCHEMA_CASES)
def test_top_level_schema_problems(tmp_path: Path, line: str, message: str) -> None:
    out = problems(tmp_path, f"seedspec: 1\n{line}\n")
    assert len(out) == 1 and out[0].startswith("2:") and message in out[0]


TABLE_CASES = [
    ("count: -1", "5:12: tables.t.count: must be >= 0; got -1"),
    (
        "count: 10.5",
        "5:12: tables.t.count: must be an integer >= 0 or a mapping {per: PARENT, min, max, "
        "dist, ...}; got a number (10.5)",
    ),
    ("count: {min: 1}", "5:12: tables.t.count: missing required key 'per'"),
    ("count: {per: p, min: -1}", "5:26: tables.t.count.min: must be >= 0; got -1"),
    (
        "count: {per: p, dist: poison}",
        "5:27: tables.t.count.dist: must be one of uniform, normal, lognormal, exponential, "
        "geometric, poisson, zipf; got \"poison\" (did you mean 'poisson'?)",
    ),
    ("count: {per: p, maxx: 3}", "5:21: tables.t.count: unknown key 'maxx' (did you mean 'max'?)"),
    ("tree: {max_depth: 2}", "5:11: tables.t.tree: missing required key 'parent'"),
    ("tree: {parent: pid, max_depth: 0}", "5:36: tables.t.tree.max_depth: must be >= 1; got 0"),
    ("tree: {parent: pid, roots: 2}", "5:32: tables.t.tree.roots: must be <= 1; got 2"),
    ("columns: []", "5:14: tables.t.columns: must be a mapping; got a list"),
]


@pytest.mark.parametrize(("line", "expected"), TABLE_CASES)
def test_table_schema_problems(tmp_path: Path, line: str, expected: str) -> None:
    text = f"seedspec: 1\ntables:\n  p: {{}}\n  t:\n    {line}\n"
    assert problems(tmp_path, text) == [expected]


KINDS = ", ".join(GENERATOR_KINDS)
COLUMN_CASES = [
    (
        "{gen: person.name, int: {}}",
        "6:29: {c}: column 'c' must name exactly one generator; found 2: gen, int",
    ),
    (
        "{choise: [a, b]}",
        "6:11: {c}: column 'c' names no generator (one of "
        + KINDS
        + "); unknown key 'choise' (did you mean 'choice'?)",
    ),
    ("{}", "6:10: {c}: column 'c' names no generator (one of " + KINDS + ")"),
    ("{null: 0.5}", "6:10: {c}: column 'c' names no generator (one of " + KINDS + ")"),
    ("5", "6:10: {c}: must be a mapping; got an integer (5)"),
    ("person.email", '6:10: {c}: must be a mapping; got a string ("person.email")'),
    ("{gen: person.email, uniqe: true}", "6:30: {c}: unknown key 'uniqe' (did you mean 'unique'?)"),
    (
        "{gen: personemail}",
        '6:16: {c}.gen: must look like provider.method (e.g. person.email); got "personemail"',
    ),
    ("{gen: x.y, dist: zipf}", "6:21: {c}: unknown key 'dist'"),
    ("{gen: x.y, compose: {parts: []}}", "6:38: {c}.compose.parts: must not be empty"),
    ("{gen: x.y, compose: {sep: '-'}}", "6:30: {c}.compose: missing required key 'parts'"),
    ("{gen: x.y, compose: {parts: [x.y], case: upper}}", "6:51: {c}.compose.case: must be one of"),
    ("{gen: x.y, compose: {parts: [x.y], joiner: '-'}}", "6:45: {c}.compose: unknown key 'joiner'"),
    ("{int: {min: 1.5}}", "6:22: {c}.int.min: must be an integer; got a number (1.5)"),
    ("{int: {dist: poison}}", "6:23: {c}.int.dist: must be one of"),
    ("{float: {sigma: 0}}", "6:26: {c}.float.sigma: must be > 0; got 0"),
    ("{decimal: {precision: 0}}", "6:32: {c}.decimal.precision: must be >= 1; got 0"),
    ("{int: 5}", "6:16: {c}.int: must be a mapping; got an integer (5)"),
    ("{choice: []}", "6:19: {c}.choice: must not be empty"),
    ("{choice: {}}", "6:19: {c}.choice: must not be empty"),
    ("{choice: {a: -1}}", "6:23: {c}.choice.a: must be >= 0; got -1"),
    (
        "{choice: abc}",
        "6:19: {c}.choice: must be a non-empty list or a mapping value -> weight; "
        'got a string ("abc")',
    ),
    ("{bool: 1.5}", "6:17: {c}.bool: must be <= 1; got 1.5"),
    ("{bool: true}", "6:17: {c}.bool: must be a number; got a boolean (true)"),
    ("{bool: 0.5, null: 1.5}", "6:28: {c}.null: must be <= 1; got 1.5"),
    ("{bool: 0.5, null: -0.1}", "6:28: {c}.null: must be >= 0; got -0.1"),
    ("{bool: 0.5, unique: yes}", '6:30: {c}.unique: must be true or false; got a string ("yes")'),
    ("{date: {from: 2020}}", "6:24: {c}.date.from: must be a string; got an integer (2020)"),
    ("{time: {at: '08:00'}}", "6:18: {c}.time: unknown key 'at' (expected one of: dist, from, to)"),
    ("{sequence: {start: 1, step: 0}}", "6:38: {c}.sequence.step: must not be 0"),
    (
        "{sequence: 1.5}",
        "6:21: {c}.sequence: must be an integer start or a mapping {start, step}; "
        "got a number (1.5)",
    ),
    ("{template: ''}", "6:21: {c}.template: must not be empty"),
    ("{uuid: {v: 4}}", "6:17: {c}.uuid: takes no parameters; write {}"),
    ("{uuid: true}", "6:17: {c}.uuid: must be a mapping; got a boolean (true)"),
    ("{json: {}}", "6:17: {c}.json: must not be empty"),
    ("{json: {a: {gen: x.y, foo: 1}}}", "6:32: {c}.json.a: unknown key 'foo'"),
    ("{json: {a: {}}}", "6:21: {c}.json.a: column 'a' names no generator"),
    ("{array: {length: 3}}", "6:18: {c}.array: missing required key 'of'"),
    ("{array: {of: {}}}", "6:23: {c}.array.of: array item names no generator"),
    ("{array: {of: {uuid: {}}, length: -1}}", "6:43: {c}.array.length: must be >= 0; got -1"),
    (
        "{array: {of: {uuid: {}}, length: {min: 1}}}",
        "6:43: {c}.array.length: missing required key 'max'",
    ),
    ("{ref: 5}", "6:16: {c}.ref: must be a string; got an integer (5)"),
    ("{ref: 'a b'}", "6:16: {c}.ref: must look like table or table.column"),
    ("{ref: p, dist: normal}", '6:25: {c}.dist: must be one of uniform, zipf; got "normal"'),
    ("{ref: p, where: {a: 1}}", "6:30: {c}.where.a: must be a string; got an integer (1)"),
    ("{index_in_parent: first}", "6:28: {c}.index_in_parent: must be an integer"),
    ("{lookup: product_id}", "6:19: {c}.lookup: must look like fk_column.parent_column"),
    ("{lookup: p_id.country, as: town}", '6:37: {c}.as: must be one of city; got "town"'),
    ("{default: false}", "6:20: {c}.default: must be true; got false"),
]


@pytest.mark.parametrize(("entry", "expected"), COLUMN_CASES)
def test_column_schema_problems(tmp_path: Path, entry: str, expected: str) -> None:
    text = f"seedspec: 1\ntables:\n  p: {{}}\n  t:\n    columns:\n      c: {entry}\n"
    out = problems(tmp_path, text)
    assert len(out) == 1, out
    assert out[0].startswith(expected.replace("{c}", "tables.t.columns.c"))


def test_non_string_table_name(tmp_path: Path) -> None:
    assert problems(tmp_path, "seedspec: 1\ntables:\n  users: {}\n  1: {}\n") == [
        "4:3: tables: the name 1 must be a string (quote it: '1')"
    ]


def test_many_problems_reported_at_once_in_file_order(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\n"
        "scale: 0\n"
        "tables:\n"
        "  users:\n"
        "    count: -5\n"
        "    columns:\n"
        "      email: {gen: person.email, uniqe: true}\n"
        "      both: {gen: person.name, int: {}}\n"
        "      n: {int: {dist: poison}}\n"
    )
    out = problems(tmp_path, text)
    assert [p.split(": ", 1)[0] for p in out] == ["2:8", "5:12", "7:34", "8:32", "9:23"]


# -- semantic problems -----------------------------------------------------------------------

SEMANTIC_CASES = [
    (
        "c: {ref: accounts}",
        "7:16: tables.t.columns.c.ref: ref to table 'accounts' which this spec does not name; "
        "add it under tables: (accounts: {} lets it be inferred)",
    ),
    ("c: {ref: p.id}", None),
    ("c: {ref: public.p.id}", None),
    ("c: {choice: {a: 0, b: 0}}", "7:19: tables.t.columns.c.choice: every choice weight is 0"),
    (
        "c: {int: {min: 5, max: 1}}",
        "7:30: tables.t.columns.c.int.max: min (5) is greater than max (1)",
    ),
    (
        "c: {float: {min: 0.5, max: 0.1}}",
        "7:34: tables.t.columns.c.float.max: min (0.5) is greater than max (0.1)",
    ),
    ("c: {float: {min: .inf}}", "7:24: tables.t.columns.c.float.min: must be a finite number"),
    ("c: {const: .inf}", None),
    (
        "c: {date: {from: 2024-01-01, to: 2023-01-01}}",
        "7:40: tables.t.columns.c.date.to: from (2024-01-01) is after to (2023-01-01)",
    ),
    (
        "c: {datetime: {from: '2024-01-01T00:00:00Z', to: 2023-06-01 10:00:00}}",
        "7:56: tables.t.columns.c.datetime.to: from (2024-01-01T00:00:00Z) is after to",
    ),
    (
        "c: {datetime: {from: 2023-01-01, to: '2023-01-01T00:00:01+02:00'}}",
        "7:44: tables.t.columns.c.datetime.to: from",
    ),
    (
        "c: {time: {from: '18:00', to: '08:00'}}",
        "7:37: tables.t.columns.c.time.to: from (18:00) is after to (08:00)",
    ),
    (
        "c: {date: {from: yesterday}}",
        "7:24: tables.t.columns.c.date.from: 'yesterday' is not an ISO 8601 date",
    ),
    (
        "c: {choice: [a, b, c], unique: true}",
        "7:38: tables.t.columns.c.unique: unique column 'c' can take only 3 distinct value(s) "
        "but table 't' has 10 rows",
    ),
    (
        "c: {choice: {a: 1, b: 0}, unique: true}",
        "7:41: tables.t.columns.c.unique: unique column 'c' can take only 1 distinct",
    ),
    (
        "c: {bool: 0.5, unique: true}",
        "7:30: tables.t.columns.c.unique: unique column 'c' can take only 2 distinct",
    ),
    (
        "c: {const: 1, unique: true}",
        "7:29: tables.t.columns.c.unique: unique column 'c' can take only 1 distinct",
    ),
    (
        "c: {int: {min: 1, max: 3}, unique: true}",
        "7:42: tables.t.columns.c.unique: unique column 'c' can take only 3 distinct",
    ),
    ("c: {int: {min: 1, max: 10}, unique: true}", None),
    (
        "c: {index_in_parent: 1}",
        "7:28: tables.t.columns.c.index_in_parent: index_in_parent needs a per-parent count "
        "on table 't'",
    ),
    (
        "c: {lookup: x.y}\n      x: {int: {}}",
        "7:19: tables.t.columns.c.lookup: lookup goes through 'x', whose generator is int, not ref",
    ),
    ("c: {lookup: x.y}\n      x: {ref: p}", None),
    ("c: {lookup: x.y}", None),
    (
        "c: {template: 'A-{'}",
        "7:21: tables.t.columns.c.template: malformed template: Single '{' encountered",
    ),
    (
        "c: {template: 'A-{}'}",
        "7:21: tables.t.columns.c.template: template placeholder {} must be row or a column name",
    ),
    (
        "c: {template: 'A-{0}'}",
        "7:21: tables.t.columns.c.template: template placeholder {0} must be",
    ),
    (
        "c: {template: '{row:zz}'}",
        "7:21: tables.t.columns.c.template: template placeholder {row:zz}: bad format spec",
    ),
    ("c: {template: '{row:06d}-{nope}'}", None),
    (
        "c: {array: {of: {default: true}}}",
        "7:33: tables.t.columns.c.array.of.default: default: true applies to a table column",
    ),
    (
        "c: {array: {of: {uuid: {}}, length: {min: 4, max: 2}}}",
        "7:57: tables.t.columns.c.array.length.max: min (4) is greater than max (2)",
    ),
    (
        "c: {json: {owner: {ref: ghost}}}",
        "7:31: tables.t.columns.c.json.owner.ref: ref to table 'ghost'",
    ),
]


@pytest.mark.parametrize(("entry", "expected"), SEMANTIC_CASES)
def test_semantic_problems(tmp_path: Path, entry: str, expected: str | None) -> None:
    text = f"seedspec: 1\ntables:\n  p: {{}}\n  t:\n    count: 10\n    columns:\n      {entry}\n"
    if expected is None:
        assert spec_of(tmp_path, text) is not None
        return
    out = problems(tmp_path, text)
    assert len(out) == 1, out
    assert out[0].startswith(expected.replace("7:", "7:", 1)), out


COUNT_CASES = [
    (
        "count: {per: customers}",
        "5:18: tables.t.count.per: count per table 'customers' which this spec does not name; "
        "add it under tables: (customers: {} lets it be inferred)",
    ),
    (
        "count: {per: t}",
        "5:18: tables.t.count.per: a table cannot be counted per itself; use tree: instead",
    ),
    (
        "count: {per: p, min: 3, max: 1}",
        "5:34: tables.t.count.max: count min (3) is greater than max (1)",
    ),
    (
        "count: {per: p, via: c}\n    columns:\n      c: {int: {}}",
        "5:26: tables.t.count.via: count via 'c': that column is not a ref to 'p'",
    ),
    ("count: {per: p, via: c}\n    columns:\n      c: {ref: p}", None),
    ("count: {per: p, via: c}", None),
    (
        "tree: {parent: pid}\n    columns:\n      pid: {int: {}}",
        "5:20: tables.t.tree.parent: tree parent 'pid' has generator int, not ref",
    ),
    (
        "tree: {parent: pid}\n    columns:\n      pid: {ref: p}",
        "5:20: tables.t.tree.parent: tree parent 'pid' must ref this table ('t'), not 'p'",
    ),
    ("tree: {parent: pid}\n    columns:\n      pid: {ref: t.id}", None),
    ("tree: {parent: pid}", None),
]


@pytest.mark.parametrize(("line", "expected"), COUNT_CASES)
def test_count_and_tree_problems(tmp_path: Path, line: str, expected: str | None) -> None:
    text = f"seedspec: 1\ntables:\n  p: {{}}\n  t:\n    {line}\n"
    if expected is None:
        assert spec_of(tmp_path, text) is not None
        return
    assert problems(tmp_path, text) == [expected]


def test_unique_uses_scale(tmp_path: Path) -> None:
    base = "seedspec: 1\nscale: {scale}\ntables:\n  t:\n    count: 10\n    columns:\n"
    text = base + "      c: {choice: [a, b, c], unique: true}\n"
    assert spec_of(tmp_path, text.replace("{scale}", "0.3")).scale == 0.3
    out = problems(tmp_path, text.replace("{scale}", "0.4"))
    assert out == [
        "7:38: tables.t.columns.c.unique: unique column 'c' can take only 3 distinct value(s) "
        "but table 't' has 4 rows"
    ]


def test_empty_after_sql(tmp_path: Path) -> None:
    text = "seedspec: 1\nafter:\n  - sql: SELECT 1\n  - sql: '   '\n"
    assert problems(tmp_path, text) == ["4:10: after[1].sql: the SQL is empty"]


def test_semantic_problems_wait_for_the_schema(tmp_path: Path) -> None:
    """Semantic checks run only on a schema-valid spec (no noise from broken shapes)."""
    text = "seedspec: 1\nscale: 0\ntables:\n  t:\n    columns:\n      c: {ref: ghost}\n"
    assert problems(tmp_path, text) == ["2:8: scale: must be > 0; got 0"]


def test_many_semantic_problems_at_once(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\ntables:\n  t:\n    count: 3\n    columns:\n"
        "      a: {ref: ghost}\n"
        "      b: {int: {min: 2, max: 1}}\n"
        "      c: {index_in_parent: 1}\n"
        "after:\n  - sql: ''\n"
    )
    out = problems(tmp_path, text)
    assert [p.split(": ", 1)[0] for p in out] == ["6:16", "7:30", "8:28", "10:10"]


# -- profiles --------------------------------------------------------------------------------

PROFILED = """\
seedspec: 1
seed: 1
scale: 1.0
profiles:
  ci:
    scale: 0.1
    seed: 7
    tables:
      users:
        count: 3
        columns:
          email: {gen: internet.email}
          extra: {uuid: {}}
  load: {scale: 20}
tables:
  users:
    count: 100
    columns:
      email: {gen: person.email}
      name: {gen: person.name}
"""


def test_without_profile_the_base_applies(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, PROFILED)
    users = spec.table("users")
    assert (spec.scale, spec.seed) == (1.0, 1)
    assert users is not None and users.count is not None and users.count.fixed == 100
    assert set(spec.profiles) == {"ci", "load"}


def test_profile_overrides_scale_seed_count_and_columns(tmp_path: Path) -> None:
    path = write(tmp_path, PROFILED)
    spec = load_spec(path, "ci")
    assert (spec.scale, spec.seed) == (0.1, 7)
    users = spec.table("users")
    assert users is not None and users.count is not None
    assert users.count.fixed == 3
    assert str(users.count.location) == f"{path}:10:16"  # the override's line
    assert [c.name for c in users.columns] == ["email", "name", "extra"]
    email = users.column("email")
    assert email is not None and email.generator.params["provider"] == "internet.email"
    assert str(email.location) == f"{path}:12:11"


def test_profile_only_scale(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, PROFILED, "load")
    assert (spec.scale, spec.seed) == (20.0, 1)


def test_unknown_profile(tmp_path: Path) -> None:
    assert problems(tmp_path, PROFILED, "cj") == [
        "5:3: unknown profile 'cj' (profiles in this spec: ci, load)"
    ]
    assert problems(tmp_path, PROFILED, "lod") == [
        "5:3: unknown profile 'lod' (profiles in this spec: ci, load) (did you mean 'load'?)"
    ]


def test_unknown_profile_without_profiles(tmp_path: Path) -> None:
    assert problems(tmp_path, "seedspec: 1\n", "ci") == [
        "1:1: unknown profile 'ci' (profiles in this spec: none)"
    ]


def test_profile_naming_unknown_table(tmp_path: Path) -> None:
    text = "seedspec: 1\nprofiles:\n  ci: {tables: {user: {count: 1}}}\ntables:\n  users: {}\n"
    assert problems(tmp_path, text) == [
        "3:17: profile 'ci' overrides table 'user' which this spec does not name under tables "
        "(did you mean 'users'?)"
    ]


def test_profile_overrides_are_checked(tmp_path: Path) -> None:
    text = (
        "seedspec: 1\nprofiles:\n  big: {tables: {t: {count: 50}}}\n"
        "tables:\n  t:\n    count: 2\n    columns:\n      c: {choice: [a, b], unique: true}\n"
    )
    assert spec_of(tmp_path, text).table("t") is not None
    out = problems(tmp_path, text, "big")
    assert out == [
        "8:35: tables.t.columns.c.unique: unique column 'c' can take only 2 distinct value(s) "
        "but table 't' has 50 rows"
    ]


# -- SpecError -------------------------------------------------------------------------------


def test_spec_error_formats_file_line_col(tmp_path: Path) -> None:
    path = write(tmp_path, "seedspec: 1\nscale: 0\n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert info.value.problems[0].format() == f"{path}:2:8: error: scale: must be > 0; got 0"
    assert str(info.value) == f"{path}:2:8: error: scale: must be > 0; got 0"


def test_target_ledger_names_the_apply_ledger(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, "seedspec: 1\ntarget: {ledger: seed_runs}\n")
    assert spec.target.ledger == "seed_runs"
    out = problems(tmp_path, "seedspec: 1\ntarget: {ledger: ''}\n")
    assert out == ["2:18: target.ledger: must not be empty"]
