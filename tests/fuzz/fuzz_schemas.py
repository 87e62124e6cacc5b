"""Random schemas from a seed, combining the constraint families of issue 10.

A schema is a list of tables; a table is a key plus a list of *features*. A feature is the unit
the shrinker removes: its columns, its table constraints, the statements it needs after every
table exists (ALTERs, indexes, functions, triggers, partitions) and the tables it refers to.
Every feature carries a family tag ("check:or-alternatives", "fk:composite", ...): the tags
left in a shrunk schema name the failure family.

`generate(seed, dialect)` is a pure function of (seed, dialect): the same seed gives the same
schema. PostgreSQL gets every family; SQLite and MariaDB the subset their DDL has.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

DIALECTS = ("postgresql", "sqlite", "mysql")


@dataclass(frozen=True)
class Feature:
    tag: str
    columns: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    post: tuple[str, ...] = ()  # run after every CREATE TABLE, in order
    pre: tuple[str, ...] = ()  # run before the CREATE TABLEs (CREATE TYPE)
    refs: frozenset[str] = frozenset()  # other tables it needs
    checks: tuple[str, ...] = ()  # its CHECK expressions (audited directly on SQLite)


@dataclass(frozen=True)
class Table:
    name: str
    key: Feature
    features: tuple[Feature, ...] = ()
    partition: tuple[str, tuple[str, ...]] | None = None  # (PARTITION BY clause, partitions)


@dataclass(frozen=True)
class Schema:
    seed: int
    dialect: str
    tables: tuple[Table, ...] = ()

    def tags(self) -> list[str]:
        out = {f.tag for t in self.tables for f in (t.key, *t.features)}
        out |= {
            "partition:" + t.partition[0].split()[2].lower() for t in self.tables if t.partition
        }
        return sorted(out)

    def size(self) -> int:
        return sum(1 + len(t.features) + (t.partition is not None) for t in self.tables)

    def checks(self) -> list[tuple[str, str]]:
        return [(t.name, c) for t in self.tables for f in t.features for c in f.checks]

    def ddl(self) -> str:
        """The schema as one script; statements end with ';' followed by a newline, and
        PostgreSQL function bodies are dollar-quoted (psql and sqlite3 read it as is)."""
        creates: list[str] = []
        posts: list[str] = []
        pres = [p + ";" for t in self.tables for f in t.features for p in f.pre]
        for t in self.tables:
            feats = (t.key, *t.features)
            lines = [c for f in feats for c in f.columns] + [
                c for f in feats for c in f.constraints
            ]
            tail = f" PARTITION BY {t.partition[0].split(' ', 2)[2]}" if t.partition else ""
            creates.append(f"CREATE TABLE {t.name} (\n  " + ",\n  ".join(lines) + f"\n){tail};")
            if t.partition:
                posts += [p + ";" for p in t.partition[1]]
            posts += [p + ";" for f in feats for p in f.post]
        return "\n".join(pres + creates + posts) + "\n"

    def without_table(self, name: str) -> Schema:
        kept = []
        for t in self.tables:
            if t.name == name:
                continue
            feats = tuple(f for f in t.features if name not in f.refs)
            kept.append(replace(t, features=feats))
        return replace(self, tables=tuple(kept))

    def without_feature(self, table: str, index: int) -> Schema:
        out = []
        for t in self.tables:
            if t.name == table:
                t = replace(t, features=t.features[:index] + t.features[index + 1 :])
            out.append(t)
        return replace(self, tables=tuple(out))

    def without_partition(self, table: str) -> Schema:
        return replace(
            self,
            tables=tuple(replace(t, partition=None) if t.name == table else t for t in self.tables),
        )


# --------------------------------------------------------------------------- types


def _types(dialect: str) -> dict[str, str]:
    pg = dialect == "postgresql"
    my = dialect == "mysql"
    types = {
        "smallint": "smallint",
        "integer": "integer",
        "bigint": "bigint",
        "numeric": "numeric(10, 2)" if not my else "decimal(10, 2)",
        "varchar": "varchar(24)",
        "text": "text" if not my else "varchar(200)",
        "bool": "boolean",
        "date": "date",
        "timestamp": "timestamptz" if pg else ("datetime" if my else "timestamp"),
    }
    if pg:
        types |= {
            "uuid": "uuid",
            "json": "json",
            "jsonb": "jsonb",
            "int-array": "integer[]",
            "text-array": "text[]",
            "real": "double precision",
        }
    if my:
        types |= {"tinyint": "tinyint", "json": "json", "real": "double"}
    if dialect == "sqlite":
        types["untyped"] = ""  # a column with no declared type (BLOB affinity)
    return types


def _key(rng: random.Random, name: str, dialect: str) -> Feature:
    if dialect == "postgresql":
        choices = [
            ("key:serial", "id serial PRIMARY KEY"),
            ("key:bigserial", "id bigserial PRIMARY KEY"),
            ("key:identity-always", "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
            ("key:identity", "id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            ("key:plain", "id integer PRIMARY KEY"),
            ("key:smallint", "id smallint PRIMARY KEY"),
        ]
    elif dialect == "mysql":
        choices = [
            # bigint always: MariaDB wants an FK column of exactly its key's type
            ("key:auto", "id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY"),
            ("key:plain", "id bigint PRIMARY KEY"),
        ]
    else:
        choices = [("key:rowid", "id INTEGER PRIMARY KEY"), ("key:plain", "id bigint PRIMARY KEY")]
    tag, col = rng.choice(choices)
    return Feature(tag, (col,))


# --------------------------------------------------------------------------- features


@dataclass
class _Ctx:
    rng: random.Random
    dialect: str
    table: str
    earlier: list[str]  # tables that exist before this one (FK targets)
    n: int = 0  # a counter for unique column names
    composite_parents: set[str] = field(default_factory=set)

    def col(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    @property
    def pg(self) -> bool:
        return self.dialect == "postgresql"


def _plain_column(ctx: _Ctx) -> Feature:
    types = _types(ctx.dialect)
    kind = ctx.rng.choice(sorted(types))
    c = ctx.col("c")
    nn = " NOT NULL" if ctx.rng.random() < 0.5 else ""
    return Feature(f"type:{kind}", (f"{c} {types[kind]}{nn}",))


def _fk(ctx: _Ctx) -> Feature | None:
    if not ctx.earlier:
        return None
    target = ctx.rng.choice(ctx.earlier)
    c = ctx.col(f"{target}_id")
    nn = " NOT NULL" if ctx.rng.random() < 0.6 else ""
    return Feature(
        "fk:plain",
        (f"{c} bigint{nn}",),
        (f"FOREIGN KEY ({c}) REFERENCES {target} (id)",),
        refs=frozenset({target}),
    )


def _self_ref(ctx: _Ctx) -> Feature:
    c = ctx.col("parent_id")
    return Feature("fk:self", (f"{c} bigint",), (f"FOREIGN KEY ({c}) REFERENCES {ctx.table} (id)",))


def _composite_fk(ctx: _Ctx) -> Feature | None:
    """A child (pid, ptenant) -> parent (id, tenant): the parent gets tenant + UNIQUE in `post`."""
    if not ctx.earlier:
        return None
    target = ctx.rng.choice(ctx.earlier)
    a, b = ctx.col("p_id"), ctx.col("p_tenant")
    tcol = f"tenant_{ctx.table}_{ctx.n}"
    fk = f"FOREIGN KEY ({a}, {b}) REFERENCES {target} (id, {tcol})"
    post = (
        f"ALTER TABLE {target} ADD COLUMN {tcol} integer NOT NULL DEFAULT 1",
        f"CREATE UNIQUE INDEX {target}_{tcol}_u ON {target} (id, {tcol})",
    )
    inline: tuple[str, ...] = ()
    if ctx.dialect == "sqlite":  # no ALTER TABLE ADD CONSTRAINT; FK targets resolve lazily
        inline = (fk,)
    else:  # the parent's column exists only after its ALTER
        post += (f"ALTER TABLE {ctx.table} ADD CONSTRAINT {ctx.table}_{a}_fk {fk}",)
    return Feature(
        "fk:composite",
        (f"{a} bigint NOT NULL", f"{b} integer NOT NULL"),
        inline,
        post=post,
        refs=frozenset({target}),
    )


def _unique(ctx: _Ctx) -> Feature:
    a, b = ctx.col("u"), ctx.col("u")
    return Feature(
        "unique:composite",
        (f"{a} integer NOT NULL", f"{b} varchar(24) NOT NULL"),
        (f"UNIQUE ({a}, {b})",),
    )


def _two_uniques(ctx: _Ctx) -> Feature:
    a, b, c = ctx.col("s"), ctx.col("s"), ctx.col("s")
    return Feature(
        "unique:two-sharing",
        (f"{a} integer NOT NULL", f"{b} integer", f"{c} integer"),
        (f"UNIQUE ({a}, {b})", f"UNIQUE ({a}, {c})"),
    )


def _narrow_uniques(ctx: _Ctx) -> Feature:
    """Several UNIQUEs over columns with small domains that one shared numbering cannot meet:
    a triangle of pairs, two disjoint pairs of different shapes, or pairs through an FK."""
    a, b, c, d = (ctx.col("n") for _ in range(4))
    shape = ctx.rng.choice(("triangle", "disjoint", "fk") if ctx.earlier else ("triangle",))
    if shape == "triangle":
        cols = [f"{x} integer NOT NULL CHECK ({x} IN (1, 2, 3))" for x in (a, b, c)]
        return Feature(
            "unique:narrow-triangle",
            tuple(cols),
            (f"UNIQUE ({a}, {b})", f"UNIQUE ({b}, {c})", f"UNIQUE ({a}, {c})"),
        )
    if shape == "disjoint":
        return Feature(
            "unique:narrow-disjoint",
            (
                f"{a} integer NOT NULL CHECK ({a} IN (1, 2))",
                f"{b} integer NOT NULL CHECK ({b} BETWEEN 1 AND 12)",
                f"{c} integer NOT NULL CHECK ({c} BETWEEN 1 AND 12)",
                f"{d} integer NOT NULL CHECK ({d} IN (1, 2))",
            ),
            (f"UNIQUE ({a}, {b})", f"UNIQUE ({c}, {d})"),
        )
    target = ctx.rng.choice(ctx.earlier)
    return Feature(
        "unique:narrow-fk",
        (
            f"{a} bigint NOT NULL",
            f"{b} integer NOT NULL CHECK ({b} BETWEEN 1 AND 6)",
            f"{c} integer NOT NULL CHECK ({c} IN (1, 2, 3))",
        ),
        (f"FOREIGN KEY ({a}) REFERENCES {target} (id)", f"UNIQUE ({a}, {b})", f"UNIQUE ({b}, {c})"),
        refs=frozenset({target}),
    )


def _partial_unique(ctx: _Ctx) -> Feature | None:
    if ctx.dialect == "mysql":
        return None
    c, flag = ctx.col("pu"), ctx.col("flag")
    true = "true" if ctx.pg else "1"
    if ctx.rng.random() < 0.5:  # a code unique among the active rows
        return Feature(
            "unique:partial",
            (f"{c} varchar(24) NOT NULL", f"{flag} boolean NOT NULL"),
            post=(
                f"CREATE UNIQUE INDEX {ctx.table}_{c}_pu ON {ctx.table} ({c}) "
                f"WHERE {flag} = {true}",
            ),
        )
    return Feature(  # at most one row is the active one
        "unique:partial-boolean",
        (f"{flag} boolean NOT NULL",),
        post=(f"CREATE UNIQUE INDEX {ctx.table}_{flag}_pu ON {ctx.table} ({flag}) WHERE {flag}",),
    )


def _check(ctx: _Ctx) -> Feature | None:
    """One CHECK drawn from the grammar, with the columns it needs."""
    rng, pg, my = ctx.rng, ctx.pg, ctx.dialect == "mysql"
    length = "char_length" if ctx.dialect != "sqlite" else "length"
    false = "false" if ctx.dialect != "sqlite" else "0"
    x, y, z = ctx.col("k"), ctx.col("k"), ctx.col("k")
    shapes: list[tuple[str, tuple[str, ...], str]] = [
        ("check:in", (f"{x} varchar(12) NOT NULL",), f"{x} IN ('a', 'b', 'c')"),
        ("check:in-negative", (f"{x} integer",), f"{x} IN (-1, 0, 1)"),
        ("check:range", (f"{x} integer NOT NULL",), f"{x} >= 0 AND {x} < 1000"),
        ("check:between", (f"{x} numeric(8, 2)",), f"{x} BETWEEN 1 AND 50"),
        ("check:ne-const", (f"{x} varchar(12) NOT NULL",), f"{x} <> 'none'"),
        ("check:ne-int", (f"{x} smallint NOT NULL",), f"{x} <> 0"),
        (
            "check:or-alternatives",
            (f"{x} varchar(12) NOT NULL", f"{y} integer"),
            f"{x} IN ('note', 'section') OR {y} IS NOT NULL",
        ),
        ("check:is-null", (f"{x} integer", f"{y} integer"), f"{x} IS NULL OR {y} > {x}"),
        (
            "check:exactly-one",
            (f"{x} integer", f"{y} integer"),
            f"({x} IS NULL) <> ({y} IS NULL)",
        ),
        ("check:char-length", (f"{x} varchar(8)",), f"{length}({x}) = 8"),
        ("check:min-length", (f"{x} varchar(30) NOT NULL",), f"{length}({x}) >= 3"),
        ("check:col-vs-col", (f"{x} integer NOT NULL", f"{y} integer NOT NULL"), f"{x} < {y}"),
        ("check:bool-or", (f"{x} boolean", f"{y} boolean"), f"{x} <> {false} OR {y} <> {false}"),
        ("check:lower", (f"{x} varchar(20) NOT NULL",), f"lower({x}) = {x}"),
        ("check:upper", (f"{x} varchar(20) NOT NULL",), f"upper({x}) = {x}"),
        ("check:trim", (f"{x} varchar(20) NOT NULL",), f"trim({x}) = {x}"),
        ("check:nonblank", (f"{x} varchar(20) NOT NULL",), f"{length}(trim({x})) > 0"),
        ("check:ne-empty", (f"{x} varchar(20) NOT NULL",), f"{x} <> ''"),
        ("check:not-in-text", (f"{x} varchar(12) NOT NULL",), f"{x} NOT IN ('x', 'y')"),
        ("check:not-in-int", (f"{x} integer NOT NULL",), f"{x} NOT IN (1, 2, 3)"),
        ("check:ne-bool", (f"{x} boolean NOT NULL",), f"{x} <> {false}"),
        (
            "check:or-per-row",
            (f"{x} varchar(10) NOT NULL", f"{y} date"),
            f"({x} = 'done' AND {y} IS NOT NULL) OR ({x} <> 'done' AND {y} IS NULL)",
        ),
        (
            "check:or-two-columns",
            (f"{x} varchar(2) NOT NULL", f"{y} integer", f"{z} integer"),
            f"({x} = 'a' AND {y} IS NOT NULL AND {z} IS NULL)"
            f" OR ({x} = 'b' AND {y} IS NULL AND {z} IS NOT NULL)",
        ),
        (
            "check:not-and",
            (f"{x} varchar(2) NOT NULL", f"{y} integer"),
            f"NOT ({x} = 'b' AND {y} IS NULL)",
        ),
        ("check:bool-or-null", (f"{x} boolean NOT NULL", f"{y} date"), f"{x} OR {y} IS NULL"),
        ("check:like", (f"{x} varchar(20) NOT NULL",), f"{x} LIKE 'ab%'"),
    ]
    if pg:
        shapes += [
            ("check:num-nonnulls", (f"{x} integer", f"{y} integer"), f"num_nonnulls({x}, {y}) = 1"),
            ("check:regex", (f"{x} text NOT NULL",), f"{x} ~ '^[a-z]{{3}}[0-9]{{2}}$'"),
            ("check:btrim", (f"{x} text NOT NULL",), f"btrim({x}) <> ''"),
            ("check:cardinality", (f"{x} integer[]",), f"cardinality({x}) <= 2"),
            ("check:jsonb-typeof", (f"{x} jsonb",), f"jsonb_typeof({x}) = 'object'"),
            ("check:jsonb-array", (f"{x} jsonb",), f"jsonb_typeof({x}) = 'array'"),
            ("check:jsonb-key", (f"{x} jsonb NOT NULL",), f"jsonb_typeof({x} -> 'tags') = 'array'"),
            (
                "check:array-length",
                (f"{x} text[] NOT NULL",),
                f"array_length({x}, 1) BETWEEN 1 AND 4",
            ),
            ("check:cardinality-some", (f"{x} integer[] NOT NULL",), f"cardinality({x}) > 0"),
        ]
    elif my:
        shapes += [
            ("check:json-type", (f"{x} longtext NOT NULL",), f"JSON_TYPE({x}) = 'OBJECT'"),
            ("check:json-valid", (f"{x} longtext",), f"JSON_VALID({x})"),
        ]
    else:
        shapes += [
            ("check:json-type", (f"{x} text NOT NULL",), f"json_type({x}) = 'object'"),
        ]
    if my:  # case-insensitive collation: LOWER(x) = x holds for any x, spelled MariaDB's way
        shapes = [(t, c, e.replace("lower(", "LOWER(")) for t, c, e in shapes]
    tag, cols, expr = rng.choice(shapes)
    if tag in ("check:like", "check:regex"):  # one more draw: which form of the pattern family
        expr = rng.choice(_pattern_forms(tag, x, ctx.dialect))
    return Feature(tag, cols, (f"CHECK ({expr})",), checks=(expr,))


def _pattern_forms(tag: str, x: str, dialect: str) -> list[str]:
    """The forms a text-pattern CHECK takes in this database (the first is the original)."""
    if tag == "check:regex":  # PostgreSQL only
        return [
            f"{x} ~ '^[a-z]{{3}}[0-9]{{2}}$'",
            f"{x} ~* '^id-[0-9]{{4}}$'",
            f"{x} !~ '^[0-9]'",
            f"{x} ~ '^[[:upper:]]{{2}}-[[:digit:]]+$'",
            f"{x} ~ 'ok'",
        ]
    forms = [
        f"{x} LIKE 'ab%'",
        f"{x} NOT LIKE 'ab%'",
        f"{x} LIKE 'a_c%'",
        f"{x} LIKE '%@%'",
        f"{x} LIKE 'x!_%' ESCAPE '!'",
    ]
    if dialect == "postgresql":
        forms += [f"{x} ILIKE 'ab%'", f"{x} SIMILAR TO '(ab|cd)[0-9]+'"]
    if dialect == "mysql":
        forms += [f"{x} REGEXP '^[a-z]{{3}}[0-9]{{2}}$'", f"{x} NOT REGEXP '^[0-9]'"]
    if dialect == "sqlite":
        forms += [f"{x} GLOB 'ab*'", f"{x} GLOB '[A-Z][0-9]*'", f"{x} NOT GLOB '*[0-9]*'"]
    return forms


def _trigger_update(ctx: _Ctx) -> Feature | None:
    """An AFTER INSERT trigger on this table that only UPDATEs a counter of its FK parent."""
    if not ctx.earlier or ctx.dialect == "mysql":
        return None
    target = ctx.rng.choice(ctx.earlier)
    c = ctx.col(f"{target}_ref")
    cnt = f"n_{ctx.table}_{ctx.n}"
    fn, trg = f"{ctx.table}_{c}_fn", f"{ctx.table}_{c}_trg"
    post = [f"ALTER TABLE {target} ADD COLUMN {cnt} integer NOT NULL DEFAULT 0"]
    body = f"UPDATE {target} SET {cnt} = {cnt} + 1 WHERE id = NEW.{c}"
    if ctx.pg:
        post += [
            f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; "
            "RETURN NULL; END $$",
            f"CREATE TRIGGER {trg} AFTER INSERT ON {ctx.table} FOR EACH ROW "
            f"EXECUTE FUNCTION {fn}()",
        ]
    else:
        post.append(
            f"CREATE TRIGGER {trg} AFTER INSERT ON {ctx.table} FOR EACH ROW BEGIN {body}; END"
        )
    return Feature(
        "trigger:update-counter",
        (f"{c} bigint NOT NULL",),
        (f"FOREIGN KEY ({c}) REFERENCES {target} (id)",),
        post=tuple(post),
        refs=frozenset({target}),
    )


def _trigger_insert(ctx: _Ctx) -> Feature | None:
    """An AFTER INSERT trigger on this table that fills a log table of its own."""
    if ctx.dialect == "mysql":
        return None
    log = f"{ctx.table}_log{ctx.col('')}"
    key = "id serial PRIMARY KEY" if ctx.pg else "id INTEGER PRIMARY KEY"
    body = f"INSERT INTO {log} (src_id, note) VALUES (NEW.id, 'made')"
    post = [f"CREATE TABLE {log} ({key}, src_id bigint NOT NULL, note text NOT NULL)"]
    if ctx.pg:
        post += [
            f"CREATE FUNCTION {log}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; "
            "RETURN NULL; END $$",
            f"CREATE TRIGGER {log}_trg AFTER INSERT ON {ctx.table} FOR EACH ROW "
            f"EXECUTE FUNCTION {log}_fn()",
        ]
    else:
        post.append(
            f"CREATE TRIGGER {log}_trg AFTER INSERT ON {ctx.table} FOR EACH ROW BEGIN {body}; END"
        )
    return Feature("trigger:insert-fills", post=tuple(post))


def _enum(ctx: _Ctx) -> Feature | None:
    c = ctx.col("e")
    if ctx.dialect == "mysql":
        return Feature("type:enum", (f"{c} ENUM('red', 'green', 'blue') NOT NULL",))
    if not ctx.pg:
        return None
    typ = f"{ctx.table}_{c}_t"
    kind = ctx.rng.choice(("type:enum", "type:enum-array"))
    col = f"{c} {typ}[]" if kind == "type:enum-array" else f"{c} {typ} NOT NULL"
    return Feature(kind, (col,), pre=(f"CREATE TYPE {typ} AS ENUM ('red', 'green', 'blue')",))


FEATURES: list[tuple[float, Callable[[_Ctx], Feature | None]]] = [
    (3.0, _plain_column),
    (2.0, _fk),
    (0.5, _self_ref),
    (0.5, _composite_fk),
    (1.0, _unique),
    (0.5, _two_uniques),
    (0.5, _narrow_uniques),
    (0.7, _partial_unique),
    (4.0, _check),
    (0.4, _trigger_update),
    (0.3, _trigger_insert),
    (0.4, _enum),
]


def _fk_pair(ctx: _Ctx) -> Feature | None:
    """Two FKs to one earlier table compared by a CHECK (follows: a <> b, friendships: a < b,
    a <= b), the pair unique half of the time."""
    if not ctx.earlier:
        return None
    target = ctx.rng.choice(ctx.earlier)
    a, b = ctx.col(f"{target}_lo"), ctx.col(f"{target}_hi")
    tag, op = ctx.rng.choice((("fk:pair-ne", "<>"), ("fk:pair-lt", "<"), ("fk:pair-le", "<=")))
    expr = f"{a} {op} {b}"
    constraints = [
        f"FOREIGN KEY ({a}) REFERENCES {target} (id)",
        f"FOREIGN KEY ({b}) REFERENCES {target} (id)",
        f"CHECK ({expr})",
    ]
    if ctx.rng.random() < 0.5:
        constraints.append(f"UNIQUE ({a}, {b})")
    cols = (f"{a} bigint NOT NULL", f"{b} bigint NOT NULL")
    return Feature(tag, cols, tuple(constraints), refs=frozenset({target}), checks=(expr,))


def _fk_vs_column(ctx: _Ctx) -> Feature | None:
    """An FK compared with a plain integer column of the row (fk < x, x <= fk, x <> fk)."""
    if not ctx.earlier:
        return None
    target = ctx.rng.choice(ctx.earlier)
    f, x = ctx.col(f"{target}_ref"), ctx.col("lvl")
    expr = ctx.rng.choice((f"{f} < {x}", f"{x} <= {f}", f"{x} <> {f}", f"{x} > {f}"))
    return Feature(
        "fk:vs-column",
        (f"{f} bigint NOT NULL", f"{x} bigint NOT NULL"),
        (f"FOREIGN KEY ({f}) REFERENCES {target} (id)", f"CHECK ({expr})"),
        refs=frozenset({target}),
        checks=(expr,),
    )


def _tenant_self(ctx: _Ctx) -> Feature | None:
    """A tenant-scoped self-reference: (tenant, parent) -> this table (tenant, id), beside
    tenant -> an earlier table; parent NULL or NOT NULL."""
    if not ctx.earlier:
        return None
    target = ctx.rng.choice(ctx.earlier)
    tenant, parent = ctx.col(f"{target}_tenant"), ctx.col("tparent")
    nn = " NOT NULL" if ctx.rng.random() < 0.3 else ""
    return Feature(
        "fk:tenant-self",
        (f"{tenant} bigint NOT NULL", f"{parent} bigint{nn}"),
        (
            f"FOREIGN KEY ({tenant}) REFERENCES {target} (id)",
            f"UNIQUE ({tenant}, id)",
            f"FOREIGN KEY ({tenant}, {parent}) REFERENCES {ctx.table} ({tenant}, id)",
        ),
        refs=frozenset({target}),
    )


def _tenant_composite(ctx: _Ctx) -> Feature | None:
    """(tenant, pid) -> an earlier table (tenant, id) beside tenant -> a tenant table: the
    parent gets its tenant column, FK and UNIQUE (tenant, id) in `post` (not on SQLite, whose
    ALTER TABLE cannot add them)."""
    if len(ctx.earlier) < 2 or ctx.dialect == "sqlite":
        return None
    # the tenant table comes before the parent: every FK points at an earlier table, no cycle
    tenants, parent = sorted(ctx.rng.sample(ctx.earlier, 2), key=ctx.earlier.index)
    tc, mine, pid = f"tn_{ctx.table}_{ctx.col('')}", ctx.col("tenant"), ctx.col("pid")
    post = (
        f"ALTER TABLE {parent} ADD COLUMN {tc} bigint NOT NULL",
        f"ALTER TABLE {parent} ADD CONSTRAINT {parent}_{tc}_fk FOREIGN KEY ({tc}) "
        f"REFERENCES {tenants} (id)",
        f"CREATE UNIQUE INDEX {parent}_{tc}_u ON {parent} ({tc}, id)",
        f"ALTER TABLE {ctx.table} ADD CONSTRAINT {ctx.table}_{pid}_fk FOREIGN KEY ({mine}, {pid}) "
        f"REFERENCES {parent} ({tc}, id)",
    )
    return Feature(
        "fk:tenant-composite",
        (f"{mine} bigint NOT NULL", f"{pid} bigint NOT NULL"),
        (f"FOREIGN KEY ({mine}) REFERENCES {tenants} (id)",),
        post=post,
        refs=frozenset({tenants, parent}),
    )


# relations between FKs (issue 10), drawn from a second random stream after the rest so that
# adding them left every earlier family's schemas as they were
RELATIONS: list[tuple[float, Callable[[_Ctx], Feature | None]]] = [
    (2.0, _fk_pair),
    (1.0, _fk_vs_column),
    (1.0, _tenant_self),
    (0.7, _tenant_composite),
]
RELATION_RATE = 0.3  # the share of tables (after the first) given one


def _relations(seed: int, dialect: str, tables: list[Table], skip: tuple[str, ...]) -> None:
    rng = random.Random(f"seedspec-fuzz-relations:{dialect}:{seed}")
    names = [t.name for t in tables]
    for i, t in enumerate(tables):
        if i == 0 or t.partition is not None or rng.random() >= RELATION_RATE:
            continue
        ctx = _Ctx(rng, dialect, t.name, names[:i], n=100)
        made = rng.choices([m for _, m in RELATIONS], [w for w, _ in RELATIONS])[0](ctx)
        if made is not None and not made.tag.startswith(skip):
            tables[i] = replace(t, features=(*t.features, made))


def generate(
    seed: int,
    dialect: str = "postgresql",
    max_tables: int = 4,
    exclude: frozenset[str] = frozenset(),
) -> Schema:
    """Schema number `seed`; features whose tag starts with an `exclude` entry are left out
    (after the draw, so that excluding a family does not change the rest of the schema)."""
    rng = random.Random(f"seedspec-fuzz:{dialect}:{seed}")
    skip = tuple(exclude) or ("\0",)  # str.startswith of a tuple of prefixes
    n = rng.randint(1, max_tables)
    names = [f"t{i}" for i in range(n)]
    tables: list[Table] = []
    weights = [w for w, _ in FEATURES]
    makers = [m for _, m in FEATURES]
    for i, name in enumerate(names):
        ctx = _Ctx(rng, dialect, name, names[:i])
        feats: list[Feature] = []
        for _ in range(rng.randint(1, 4)):
            made = rng.choices(makers, weights)[0](ctx)
            if made is not None and not made.tag.startswith(skip):
                feats.append(made)
        key = _key(rng, name, dialect)
        partition = None
        wants_partition = rng.random() < 0.15
        if dialect == "postgresql" and i == n - 1 and i > 0 and wants_partition:
            partition = _partition(rng, name)
        if partition and f"partition:{partition[0].split()[2].lower()}".startswith(skip):
            partition = None
        if partition:
            # nothing references the last table; its PK and uniques must hold the partition key
            key = Feature(
                "key:partitioned",
                ("id bigint NOT NULL", "region text NOT NULL", "day date NOT NULL"),
                ("PRIMARY KEY (id, region, day)",),
            )
            feats = [f for f in feats if not f.tag.startswith(("unique:", "fk:self"))]
            if rng.random() < 0.5 and not "fk:partition".startswith(skip):
                partition = _fk_to_partition(tables, partition, name)
        tables.append(Table(name, key, tuple(feats), partition))
    _relations(seed, dialect, tables, skip)
    if (
        n >= 2
        and rng.random() < 0.25
        and tables[-1].partition is None
        and not "fk:cycle".startswith(skip)
    ):
        last = names[-1]  # a nullable cycle: t0 -> the last table, which may reference t0
        if True:
            defer = (
                " DEFERRABLE INITIALLY DEFERRED"
                if dialect == "postgresql" and rng.random() < 0.5
                else ""
            )
            fk = Feature(
                "fk:cycle" + ("-deferrable" if defer else ""),
                ("cyc_id bigint",),
                post=(
                    f"ALTER TABLE t0 ADD CONSTRAINT t0_cyc_fk FOREIGN KEY (cyc_id) "
                    f"REFERENCES {last} (id){defer}",
                )
                if dialect != "sqlite"
                else (),
                constraints=(f"FOREIGN KEY (cyc_id) REFERENCES {last} (id)",)
                if dialect == "sqlite"
                else (),
                refs=frozenset({last}),
            )
            tables[0] = replace(tables[0], features=(*tables[0].features, fk))
    return Schema(seed, dialect, tuple(tables))


def _partition(rng: random.Random, name: str) -> tuple[str, tuple[str, ...]]:
    """A LIST, RANGE or HASH partitioning of (id bigint, region text, day date): text, date and
    two-column RANGE keys, MINVALUE / MAXVALUE ends, DEFAULT partitions, HASH moduli mixed."""
    r = rng.random()
    part = f"CREATE TABLE {name}_p%d PARTITION OF {name}"
    if r < 0.3:
        return (
            "partition by LIST (region)",
            (part % 1 + " FOR VALUES IN ('north', 'south')", part % 2 + " DEFAULT"),
        )
    if r < 0.4:
        return (
            "partition by RANGE (region)",
            (
                part % 1 + " FOR VALUES FROM (MINVALUE) TO ('m')",
                part % 2 + " FOR VALUES FROM ('m') TO (MAXVALUE)",
            ),
        )
    if r < 0.55:
        return (
            "partition by RANGE (day)",
            (
                part % 1 + " FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')",
                part % 2 + " FOR VALUES FROM ('2024-07-01') TO ('2025-01-01')",
                part % 3 + " DEFAULT",
            ),
        )
    if r < 0.8:
        return (
            "partition by HASH (id)",
            (
                part % 1 + " FOR VALUES WITH (MODULUS 4, REMAINDER 2)",
                part % 2 + " FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                part % 3 + " FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
            ),
        )
    return (
        "partition by RANGE (region, day)",
        (
            part % 1 + " FOR VALUES FROM ('a', '2024-01-01') TO ('m', '2024-01-01')",
            part % 2 + " FOR VALUES FROM ('m', '2024-01-01') TO (MAXVALUE, MAXVALUE)",
            part % 3 + " DEFAULT",
        ),
    )


def _fk_to_partition(
    tables: list[Table], partition: tuple[str, tuple[str, ...]], name: str
) -> tuple[str, tuple[str, ...]]:
    """t0 gets an FK to the first partition of the partitioned table (added after the
    partitions exist): its rows may only reference parent rows routed there."""
    # nullable: the partitioned table may reference t0 too, and a NOT NULL cycle cannot load
    cols = (f"{name}_id bigint", f"{name}_region text", f"{name}_day date")
    fk = Feature("fk:partition", cols, refs=frozenset({name}))
    tables[0] = replace(tables[0], features=(*tables[0].features, fk))
    alter = (
        f"ALTER TABLE t0 ADD CONSTRAINT t0_part_fk FOREIGN KEY ({name}_id, {name}_region, "
        f"{name}_day) REFERENCES {name}_p1 (id, region, day)"
    )
    return partition[0], (*partition[1], alter)
