"""Existing spec text + what is missing (tables, columns) -> the same text with them spliced in."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from seedspec.authoring.yamlgen import entry_lines, plain, scalar

# Lines for a missing table / column, given the indentation (pad, unit) they must be written at.
TableLines = Callable[[str, int, int], list[str]]
ColumnLines = Callable[[str, str, int, int], list[str]]


@dataclass
class Missing:
    """What init adds: tables in insert order, and per existing table its columns in order."""

    order: list[str]  # every table, in the order a fresh spec would list them
    tables: list[str]  # the missing ones
    columns: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    # table -> [(missing column, the table's columns in schema order)]


class NotSpliceable(Exception):
    """The file's shape (a multi-line flow mapping ...) needs a round-trip re-dump instead."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def splice(text: str, missing: Missing, table_lines: TableLines, column_lines: ColumnLines) -> str:
    """Insert the missing entries as new lines; every existing line stays as it was, except a
    one-line flow mapping that must grow (`users: {count: 5}`), which is rewritten as a block."""
    doc = _yaml().load(text)
    if not isinstance(doc, CommentedMap):
        raise NotSpliceable("the spec is not a mapping")
    s = _Splicer(text.splitlines(), missing, table_lines, column_lines)
    tables = doc.get("tables")
    if "tables" not in doc:
        s.add(len(s.lines), ["", "tables:"] + s.new_tables(missing.tables, 2, 2))
    elif tables is None:
        line, col = doc.lc.key("tables")
        s.add(line + 1, s.new_tables(missing.tables, col + 2, 2))
    elif _is_flow(tables):
        line, col = doc.lc.key("tables")
        names = _placed(list(tables), missing.order, missing.tables)
        block = []
        for i, name in enumerate(names):
            rows = s.from_data(name, tables[name], col + 2, 2) if name in tables else []
            block += ([""] if i else []) + (rows or table_lines(name, col + 2, 2))
        s.replace(line, [s.head(line, "tables", tables)] + block)
    else:
        for name, wanted in missing.columns.items():  # first: they go before a new next table
            s.columns(tables, name, wanted)
        s.tables(doc, tables)
    newline = "\r\n" if "\r\n" in text else "\n"
    return newline.join(s.result()) + (newline if text.endswith(("\n", "\r")) or not text else "")


def _is_flow(node: Any) -> bool:
    return isinstance(node, CommentedMap) and (bool(node.fa.flow_style()) or not node)


def _placed(existing: list[str], order: list[str], new: list[str]) -> list[str]:
    """`existing` in its own order, each of `new` right after its predecessor in `order`."""
    out = list(existing)
    for name in [n for n in order if n in new]:
        before = [n for n in order[: order.index(name)] if n in out]
        out.insert(out.index(before[-1]) + 1 if before else 0, name)
    return out


class _Splicer:
    def __init__(
        self, lines: list[str], missing: Missing, table_lines: TableLines, column_lines: ColumnLines
    ) -> None:
        self.lines, self.missing = lines, missing
        self.table_lines, self.column_lines = table_lines, column_lines
        self.inserts: dict[int, list[str]] = {}
        self.replaced: dict[int, list[str]] = {}

    def add(self, before: int, new: list[str]) -> None:
        self.inserts.setdefault(before, []).extend(new)

    def replace(self, line: int, new: list[str]) -> None:
        if self.lines[line].rstrip().endswith(("{", ",")) or line in self.replaced:
            raise NotSpliceable(f"line {line + 1}: a flow mapping over several lines")
        self.replaced[line] = new

    def result(self) -> list[str]:
        out: list[str] = []
        for i in range(len(self.lines) + 1):
            out += self.inserts.get(i, [])
            if i < len(self.lines):
                out += self.replaced.get(i, [self.lines[i]])
        return out

    def new_tables(self, names: list[str], pad: int, unit: int) -> list[str]:
        out: list[str] = []
        for i, name in enumerate(names):
            out += ([""] if i else []) + self.table_lines(name, pad, unit)
        return out

    def head(self, line: int, key: str, value: CommentedMap) -> str:
        """`key:` at its indentation, with the comment that ended the one-line flow value."""
        text = self.lines[line]
        end = _flow_end(text, value.lc.col) if value.lc.line == line else len(text)
        rest = text[end:].strip()
        indent = text[: len(text) - len(text.lstrip())]
        return f"{indent}{scalar(key)}:" + (f"  {rest}" if rest.startswith("#") else "")

    def from_data(self, table: str, value: Any, pad: int, unit: int) -> list[str]:
        """A flow-style table entry, rewritten as a block with its missing columns added."""
        out = [" " * pad + f"{scalar(table)}:"]
        inner = pad + unit
        for key, sub in (value or {}).items():
            if key != "columns":
                out += entry_lines(key, plain(sub), inner, unit=unit)
        return out + self.column_block(table, (value or {}).get("columns") or {}, inner, unit)

    def column_block(self, table: str, cols: Any, pad: int, unit: int) -> list[str]:
        wanted = self.missing.columns.get(table, [])
        if not cols and not wanted:
            return []
        order = wanted[0][1] if wanted else []
        new = [c for c, _ in wanted]
        out = [" " * pad + "columns:"]
        for name in _placed(list(cols), order, new):
            if name in new:
                out += self.column_lines(table, name, pad + unit, unit)
            else:
                out += entry_lines(name, plain(cols[name]), pad + unit, unit=unit)
        return out

    def end_of_entry(self, line: int, col: int) -> int:
        """Index of the line after the entry whose key is at (line, col): its last content line
        (deeper-indented lines and comments included; blanks and shallower comments not) + 1."""
        last = line
        for i in range(line + 1, len(self.lines)):
            text = self.lines[i]
            stripped = text.strip()
            deeper = len(text) - len(text.lstrip()) > col
            if stripped and not stripped.startswith("#") and not deeper:
                break
            if stripped and deeper:
                last = i
        return last + 1

    def start_of_entry(self, line: int) -> int:
        """Index of the first of the comment lines right above a key (they belong to it)."""
        while line > 0 and self.lines[line - 1].strip().startswith("#"):
            line -= 1
        return line

    def tables(self, doc: CommentedMap, tables: CommentedMap) -> None:
        first_line, col = tables.lc.key(next(iter(tables)))
        unit = max(col - doc.lc.key("tables")[1], 1)
        anchor: str | None = None
        pending: list[str] = []

        def flush() -> None:
            if not pending:
                return
            block = [""] + self.new_tables(pending, col, unit)
            if anchor is None:
                self.add(self.start_of_entry(first_line), block[1:] + [""])
            else:
                at = self.end_of_entry(tables.lc.key(anchor)[0], col)
                follows = at < len(self.lines) and self.lines[at].strip()
                self.add(at, block + ([""] if follows else []))
            pending.clear()

        for name in self.missing.order:
            if name in tables:
                flush()
                anchor = name
            elif name in self.missing.tables:
                pending.append(name)
        flush()

    def columns(
        self, tables: CommentedMap, table: str, wanted: list[tuple[str, list[str]]]
    ) -> None:
        tv = tables[table]
        table_line, table_col = tables.lc.key(table)
        if not isinstance(tv, CommentedMap) or _is_flow(tv):
            lines = self.from_data(table, tv, table_col, table_col or 2)
            if isinstance(tv, CommentedMap):
                lines[0] = self.head(table_line, table, tv)
            self.replace(table_line, lines)
            return
        inner_col = tv.lc.key(next(iter(tv)))[1]
        unit = max(inner_col - table_col, 1)
        cols = tv.get("columns")
        if "columns" not in tv:
            block = self.column_block(table, {}, inner_col, unit)
            self.add(self.end_of_entry(table_line, table_col), block)
            return
        line = tv.lc.key("columns")[0]
        if cols is None or _is_flow(cols) or not cols:
            block = self.column_block(table, cols or {}, inner_col, unit)
            head = self.head(line, "columns", cols) if cols is not None else self.lines[line]
            self.replace(line, [head] + block[1:])
            return
        first_line, col = cols.lc.key(next(iter(cols)))
        for column, order in wanted:
            before = [c for c in order[: order.index(column)] if c in cols]
            new = self.column_lines(table, column, col, max(col - inner_col, 1))
            if before:
                self.add(self.end_of_entry(cols.lc.key(before[-1])[0], col), new)
            else:
                self.add(self.start_of_entry(first_line), new)


def _flow_end(text: str, start: int) -> int:
    """Index just after the flow collection opening at text[start] (quotes respected)."""
    depth, quote, i = 0, "", start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def redump(text: str, missing: Missing, table_lines: TableLines, column_lines: ColumnLines) -> str:
    """Fallback for multi-line flow mappings: add to the round-trip tree and dump it."""
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    if doc.get("tables") is None:
        doc["tables"] = CommentedMap()
    tables = _block(doc["tables"])
    for name, wanted in missing.columns.items():
        tv = tables[name] if tables.get(name) is not None else CommentedMap()
        tables[name] = tv = _block(tv)
        if tv.get("columns") is None:
            tv["columns"] = CommentedMap()
        cols = _block(tv["columns"])
        for column, order in wanted:
            parsed = yaml.load("\n".join(column_lines(name, column, 0, 2)))
            before = [c for c in order[: order.index(column)] if c in cols]
            cols.insert(list(cols).index(before[-1]) + 1 if before else 0, column, parsed[column])
    for name in _placed(list(tables), missing.order, missing.tables):
        if name in missing.tables:
            tables[name] = yaml.load("\n".join(table_lines(name, 0, 2)))[name]
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _block(node: CommentedMap) -> CommentedMap:
    node.fa.set_block_style()
    return node
