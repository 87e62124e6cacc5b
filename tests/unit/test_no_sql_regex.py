"""Every module of seedspec/database, dialects and analysis, read as an AST -> no regular
expression reads SQL there.

SQL text (CHECKs, index predicates and expressions, partition bounds, defaults, trigger heads and
bodies, CREATE statements) is read by sqlglot or pglast, or asked of the catalog in structured
form. The rules, each checked for every module in scope:

1. A module that imports a regular-expression engine (``re``, ``regex``, ``sre_*``, ``fnmatch``;
   ``import x as y``, ``from re import f``, submodules all count) has an ALLOWED entry saying what
   its regexes read; an entry whose module no longer uses one is stale and fails too. Importing
   an engine by ``__import__`` / ``importlib.import_module`` is never allowed.
2. The engine is only called (``re.search(...)``) or its flags read (``re.I``): passing it around,
   ``getattr(re, ...)`` or any other use fails.
3. Every pattern is seen: a literal, an f-string or ``+`` of literals and names, where each name
   is a module constant (its literal is read) or a table the entry lists in ``sources`` (every
   string in it is read), or the entry says its patterns are the user's (a spec's table globs).
   A pattern built any other way fails.
4. No pattern seen (nor any string in a listed source) contains an SQL keyword (regex escapes
   like ``\\b`` and the brackets of groups and classes do not hide one: ``\\bW[H]ERE`` is read as
   WHERE).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("shape", ROOT / "scripts" / "shape.py")
assert _spec and _spec.loader
shape = importlib.util.module_from_spec(_spec)
sys.modules["shape"] = shape
_spec.loader.exec_module(shape)

MODULES: dict[str, Path] = shape.modules()
SCOPE = ("seedspec.database", "seedspec.dialects", "seedspec.analysis")
ENGINES = {"re", "regex", "sre_compile", "sre_parse", "sre_constants", "fnmatch"}
# engine call -> the position of its pattern argument (fnmatch's glob comes second)
CALLS = {
    **dict.fromkeys(("compile", "match", "search", "fullmatch", "sub", "subn"), 0),
    **dict.fromkeys(("split", "findall", "finditer", "translate"), 0),
    **dict.fromkeys(("fnmatch", "fnmatchcase", "filter"), 1),
}
NOT_PATTERNS = {"escape", "purge"}  # engine functions that take no pattern
FLAGS = {"I", "IGNORECASE", "S", "DOTALL", "M", "MULTILINE", "X", "VERBOSE", "A", "ASCII"}
# FROM and DOMAIN are left out: they are column-name words too (valid_from, an email's domain)
SQL_KEYWORDS = {
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "REPLACE",
    "MERGE",
    "CREATE",
    "ALTER",
    "DROP",
    "TABLE",
    "INDEX",
    "VIEW",
    "TRIGGER",
    "BEFORE",
    "AFTER",
    "INSTEAD",
    "EACH",
    "BEGIN",
    "CHECK",
    "CONSTRAINT",
    "EXCLUDE",
    "PARTITION",
    "WHERE",
    "VALUES",
    "VALUE",
    "DEFAULT",
    "REFERENCES",
    "FOREIGN",
    "PRIMARY",
    "UNIQUE",
    "USING",
    "COLLATE",
    "CAST",
    "GENERATED",
    "IDENTITY",
    "NEXTVAL",
    "ROWID",
    "WITHOUT",
    "JSON_VALID",
    "SEQUENCE",
    "RETURNING",
}


@dataclass(frozen=True)
class Allowed:
    """Why a module may use regular expressions, and the module-level tables (``module.NAME``)
    its non-literal patterns come from."""

    reason: str
    sources: tuple[str, ...] = ()
    user_patterns: bool = False  # its non-literal patterns are the user's (spec globs), not SQL


ALLOWED: dict[str, Allowed] = {
    "seedspec.database.secrets": Allowed(
        "passwords in URLs, keyword DSNs and free text (error messages) -> masked; the one "
        "non-literal pattern is a password seen, escaped, as a whole word",
        user_patterns=True,
    ),
    "seedspec.database.patterns": Allowed(
        "the value patterns a CHECK states (LIKE / GLOB / regex, translated to Python regexes "
        "that strings are generated to match and tested against), not the CHECK's SQL",
        user_patterns=True,
    ),
    "seedspec.analysis.selection": Allowed(
        "table names against the spec's tables.include / exclude globs (fnmatch)",
        user_patterns=True,
    ),
    "seedspec.analysis.names": Allowed("column and table names (created_at, *_email, user ...)"),
    "seedspec.analysis.places": Allowed("table names (country, countries)"),
    "seedspec.analysis.infer": Allowed(
        "column names matched against the name tables of analysis/names.py",
        sources=(
            "seedspec.analysis.names.NAME_NUMBERS",
            "seedspec.analysis.names.NAME_PROVIDERS",
            "seedspec.analysis.names.NAME_DATES",
        ),
    ),
    "seedspec.analysis.follows": Allowed(
        "column names (updated_at after created_at, ends_on after starts_on) matched against "
        "the LATER_THAN table of analysis/names.py",
        sources=("seedspec.analysis.names.LATER_THAN",),
    ),
    "seedspec.analysis.vocabulary": Allowed(
        "column and table names (status, *_type, slug, a person table's name ...) matched "
        "against its vocabulary tables",
        sources=(
            "seedspec.analysis.vocabulary.SMALL_DOMAINS",
            "seedspec.analysis.vocabulary.NAMED_TABLES",
        ),
    ),
}


def in_scope(name: str) -> bool:
    return any(name == s or name.startswith(s + ".") for s in SCOPE)


SCOPED = sorted(n for n in MODULES if in_scope(n))


def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _engine(name: str) -> bool:
    return name.split(".")[0] in ENGINES


def sql_words(pattern: str) -> set[str]:
    """The SQL keywords a pattern's text spells once escapes, inline flags and the brackets of
    groups and classes are taken out (``(?i)\\bW[H]ERE\\s`` -> WHERE)."""
    text = re.sub(r"\\[A-Za-z]", " ", pattern)  # \b \s \w ...: separators
    text = re.sub(r"\(\?[A-Za-z]*[:)]?", " ", text)  # (?i) (?: (?P
    text = re.sub(r"[()\[\]]", "", text)
    return {w for w in re.findall(r"[A-Za-z_]+", text.upper()) if w in SQL_KEYWORDS}


class Reader(ast.NodeVisitor):
    """One module: its engine bindings, their uses, and the patterns passed to them."""

    def __init__(self, module: str, tree: ast.Module) -> None:
        self.module = module
        self.problems: list[str] = []
        self.patterns: list[tuple[int, str]] = []  # (line, text) seen
        self.names: list[tuple[int, str]] = []  # non-constant names patterns are built from
        self.constants = {
            t.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        self.modules: set[str] = set()  # local names bound to an engine module
        self.functions: set[str] = set()  # local names bound to an engine function
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if _engine(alias.name):
                        self.modules.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and node.module and _engine(node.module):
                self.functions |= {a.asname or a.name for a in node.names}
        self.used: set[int] = set()  # ids of Name nodes accounted for
        self.visit(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and node.id in self.modules | self.functions
                and id(node) not in self.used
            ):
                self.problems.append(f"{module}:{node.lineno}: {node.id} used other than called")

    @property
    def uses_engine(self) -> bool:
        return bool(self.modules or self.functions)

    def visit_Call(self, node: ast.Call) -> None:
        self._dynamic_import(node)
        func = node.func
        name = None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in self.modules:
                self.used.add(id(func.value))
                name = func.attr
        elif isinstance(func, ast.Name) and func.id in self.functions:
            self.used.add(id(func))
            name = func.id
        if name is not None:
            self._engine_call(node, name)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        if isinstance(value, ast.Name) and value.id in self.modules and node.attr in FLAGS:
            self.used.add(id(value))
        self.generic_visit(node)

    def _dynamic_import(self, node: ast.Call) -> None:
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if called not in ("__import__", "import_module") or not node.args:
            return
        first = node.args[0]
        if (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and _engine(first.value)
        ):
            self.problems.append(f"{self.module}:{node.lineno}: imports {first.value} by name")

    def _engine_call(self, node: ast.Call, name: str) -> None:
        if name in NOT_PATTERNS:
            return
        if name not in CALLS:
            self.problems.append(f"{self.module}:{node.lineno}: unknown engine call {name}")
            return
        at = CALLS[name]
        pattern = node.args[at] if len(node.args) > at else None
        pattern = next((k.value for k in node.keywords if k.arg in ("pattern", "pat")), pattern)
        if pattern is None:
            self.problems.append(f"{self.module}:{node.lineno}: {name}() without a pattern")
            return
        self._pattern(node.lineno, pattern)

    def _pattern(self, line: int, node: ast.expr) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.patterns.append((line, node.value))
        elif isinstance(node, ast.JoinedStr):
            for part in node.values:
                self._pattern(line, part.value if isinstance(part, ast.FormattedValue) else part)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            self._pattern(line, node.left)
            self._pattern(line, node.right)
        elif isinstance(node, ast.Name) and node.id in self.constants:
            self.patterns.append((line, self.constants[node.id]))
        elif isinstance(node, ast.Name):
            self.names.append((line, node.id))
        else:
            self.problems.append(f"{self.module}:{line}: a pattern not built from literals/names")


def _source_strings(source: str) -> list[str]:
    """Every string literal in the module-level assignment ``module.NAME``."""
    module, _, name = source.rpartition(".")
    for node in _tree(module).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            value = node.value
            assert value is not None
            return [
                n.value
                for n in ast.walk(value)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
    raise AssertionError(f"{source}: no such module-level table")


READERS = {m: Reader(m, _tree(m)) for m in SCOPED}


def test_the_scope_is_read() -> None:
    assert len(SCOPED) > 30 and "seedspec.dialects.sqlite.catalog" in SCOPED


def judge(module: str, reader: Reader, entry: Allowed | None) -> list[str]:
    problems = list(reader.problems)
    if reader.uses_engine and entry is None:
        problems.append(f"{module}: uses a regex engine without an ALLOWED entry (and a reason)")
    if entry is not None and not reader.uses_engine:
        problems.append(f"{module}: stale ALLOWED entry, it uses no regex engine")
    sources = entry.sources if entry else ()
    for line, name in reader.names:
        if not sources and not (entry and entry.user_patterns):
            problems.append(f"{module}:{line}: pattern from {name!r}, which no source lists")
    texts = [(f"{module}:{line}", text) for line, text in reader.patterns]
    texts += [(source, text) for source in sources for text in _source_strings(source)]
    for where, text in texts:
        words = sql_words(text)
        if words:
            problems.append(f"{where}: pattern {text!r} spells SQL ({', '.join(sorted(words))})")
    return problems


@pytest.mark.parametrize("module", SCOPED)
def test_regex_use_is_allowed_and_reads_no_sql(module: str) -> None:
    problems = judge(module, READERS[module], ALLOWED.get(module))
    assert not problems, "\n".join(problems)


def test_allowed_entries_name_modules_in_scope() -> None:
    assert all(in_scope(m) and m in MODULES for m in ALLOWED), set(ALLOWED) - set(SCOPED)
    assert all(entry.reason.strip() for entry in ALLOWED.values())


REASON = Allowed("a reason")


@pytest.mark.parametrize(
    ("source", "entry"),
    [
        ('import re\nP = re.compile(r"^\\s*CHECK\\s*\\((.*)\\)")', REASON),
        ('import re as r\nP = r.compile(r"(?i)\\bw[h]ere\\b")', REASON),
        ('from re import search\ndef f(s):\n    return search(r"nextval\\(\'", s)', REASON),
        ('import re\nX = "\\\\bINSERT\\\\s"\ndef f(s):\n    return re.match(X, s)', REASON),
        ('import re\ndef f(s):\n    return re.match(rf"{s}\\s+ON\\s+UPDATE", s)', REASON),
        ('import re\ndef f(s, p):\n    return re.match(p + "x", s)', REASON),
        ('import re\ndef f(s, p):\n    return re.match("".join(p), s)', REASON),
        ("import re\nE = re\n", REASON),
        ('import re\ndef f(s):\n    return getattr(re, "search")("x", s)', REASON),
        ('import importlib\nR = importlib.import_module("re")', None),
        ("import regex\n", None),
        ("from fnmatch import fnmatch\n", None),
        (
            'from fnmatch import fnmatch\ndef f(s):\n    return fnmatch(s, "*CREATE TRIGGER*")',
            REASON,
        ),
        ("X = 1\n", REASON),
    ],
)
def test_the_rule_catches(source: str, entry: Allowed | None) -> None:
    """Each way round the rules, in a module of the scope: a problem."""
    module = "seedspec.database.example"
    assert judge(module, Reader(module, ast.parse(source)), entry), source


def test_the_rule_passes_a_plain_name_pattern() -> None:
    source = 'import re\nNAME = re.compile(r"(^|_)(created|updated)(_at)?$")\n'
    module = "seedspec.database.example"
    assert judge(module, Reader(module, ast.parse(source)), REASON) == []
