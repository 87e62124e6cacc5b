"""The compiler's diagnostic messages: every `Problem(...)` in seedspec/compile/ (AST) -> patterns.

Each call's message expression becomes a regular expression (literal text kept, every `{...}`
field and every non-literal part matched by `.*?`) and a readable template (`{...}` fields
shown as written). A message with almost no literal text (`err.message`, a partition rule's
note) is *dynamic*: it cannot be matched by text, so `DYNAMIC` names the case that covers it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from goldenlib import REPO

COMPILE_DIR = REPO / "seedspec" / "compile"
# the diagnostic constructors: the one diagnostic type may be called Problem or Diagnostic
CALLEES = {"Problem", "Diagnostic", "Finding"}
# fewer messages than this means the scanner no longer sees how the compiler reports problems
MIN_MESSAGES = 20
MIN_LITERAL = 12  # fewer literal characters than this: a dynamic message

# dynamic messages: a piece of the message expression's source (ast.unparse), first match wins
# -> (case that covers it, where the text comes from)
DYNAMIC: dict[str, tuple[str, str]] = {
    "trigger": (
        "error-trigger-count-mariadb",
        "a table another table's INSERT trigger fills: a warning (`trigger-filled-mariadb`), an "
        "error when the spec gives it rows",
    ),
    "left empty": (
        "partition-none-inferred",
        "a partitioned table with no partitions (warning: left empty; an error when given a "
        "count: `error-partition-none-count`)",
    ),
    "rule.note": (
        "partition-key-not-understood",
        "the note of a partition rule (database/partitions.py): a partition key it cannot read",
    ),
    "err.message": (
        "error-generator-build",
        "a value generator's own build error (the generator kinds' builders)",
    ),
}


def dynamic_entry(source: str) -> tuple[str, tuple[str, str]] | None:
    return next(((k, v) for k, v in DYNAMIC.items() if k in source), None)


# messages the front end makes unreachable through `load_spec` (a spec built in code could still
# reach them): the literal start of the message -> (case showing what is reported instead, why)
GUARDED: dict[str, tuple[str, str]] = {
    "index_in_parent needs the table's count to be `per:` a parent": (
        "error-index-in-parent-no-per",
        "spec/semantics.py rejects index_in_parent without a per-parent count first (exit 1)",
    ),
}


@dataclass(frozen=True)
class Message:
    file: str  # relative to the repository
    line: int
    source: str  # ast.unparse of the message expression
    template: str  # literal text with {...} fields
    pattern: str  # regular expression, matched against whole messages
    dynamic: bool

    def matches(self, message: str) -> bool:
        return re.fullmatch(self.pattern, message, re.DOTALL) is not None


def compiler_messages(root: Path = COMPILE_DIR) -> list[Message]:
    out: list[Message] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _name(node.func) not in CALLEES:
                continue
            expr = _message_arg(node)
            if expr is None:
                continue
            pattern, template, literal = _convert(expr)
            out.append(
                Message(
                    str(path.relative_to(REPO)),
                    node.lineno,
                    ast.unparse(expr),
                    template,
                    pattern,
                    literal < MIN_LITERAL,
                )
            )
    return out


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _message_arg(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "message":
            return kw.value
    return call.args[0] if call.args else None


def _convert(expr: ast.expr) -> tuple[str, str, int]:
    """(regex, template, number of literal characters) of a message expression."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return re.escape(expr.value), expr.value, len(expr.value)
    if isinstance(expr, ast.JoinedStr):
        parts = [_convert(v) for v in expr.values]
        return "".join(p[0] for p in parts), "".join(p[1] for p in parts), sum(p[2] for p in parts)
    if isinstance(expr, ast.FormattedValue):
        conv = "" if expr.conversion < 0 else "!" + chr(expr.conversion)
        return ".*?", "{" + ast.unparse(expr.value) + conv + "}", 0
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        a, b = _convert(expr.left), _convert(expr.right)
        return a[0] + b[0], a[1] + b[1], a[2] + b[2]
    if isinstance(expr, ast.IfExp):
        a, b = _convert(expr.body), _convert(expr.orelse)
        return f"(?:{a[0]}|{b[0]})", f"[{a[1]} | {b[1]}]", min(a[2], b[2])
    return ".*?", "{" + ast.unparse(expr) + "}", 0


def skeleton(template: str) -> str:
    """The template with each top-level {...} field emptied: what a variable rename keeps."""
    out, depth = [], 0
    for ch in template:
        if ch == "{":
            if depth == 0:
                out.append("{}")
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def expected_messages(case_path: Path) -> list[tuple[str, str]]:
    """(severity, message) of every diagnostic a case's expected file holds."""
    import json

    from goldenlib import PLAN_FILE, PROBLEMS_FILE, messages_of

    out: list[tuple[str, str]] = []
    for name in (PROBLEMS_FILE, PLAN_FILE):
        path = case_path / name
        if path.is_file():
            out += messages_of(json.loads(path.read_text(encoding="utf-8")))
    return out


def coverage(messages: list[Message], case_paths: list[Path]) -> dict[Message, list[str]]:
    """Each compiler message -> the cases whose expected diagnostics show it."""
    seen = {p.name: expected_messages(p) for p in case_paths}
    out: dict[Message, list[str]] = {}
    for m in messages:
        guard = next((v for k, v in GUARDED.items() if m.template.startswith(k)), None)
        if m.dynamic or guard:
            entry = dynamic_entry(m.source)
            case = guard[0] if guard else (entry[1][0] if entry else "")
            out[m] = [case] if case in seen and seen[case] else []
        else:
            out[m] = [name for name, found in seen.items() if any(m.matches(t) for _, t in found)]
    return out
