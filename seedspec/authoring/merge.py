"""Existing spec text + what is missing (tables, columns) -> the same text with them spliced in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

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


def rt_load(text: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    return yaml.load(text)


def splice(text: str, missing: Missing, table_lines: TableLines, column_lines: ColumnLines) -> str:
    """Insert the missing entries as new lines; every existing byte stays where it was."""
    doc = rt_load(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    edits = _Edits(lines)
    tables = doc.get("tables") if isinstance(doc, CommentedMap) else None
    if not isinstance(doc, CommentedMap) or not _is_block(tables, allow_none=True):
        raise NotSpliceable("the spec's tables: mapping is not in block style")
    if "tables" not in doc:
        block = ["", "tables:"]
        for name in missing.tables:
            block += table_lines(name, 2, 2)
        edits.add(len(lines), block)
    elif tables is None:
        line, col = doc.lc.key("tables")
        block = []
        for name in missing.tables:
            block += table_lines(name, col + 2, 2)
        edits.add(line + 1, block)
    else:
        for name, wanted in missing.columns.items():  # first: they go before a new next table
            _splice_columns(edits, tables, name, wanted, column_lines)
        _splice_tables(edits, doc, tables, missing, table_lines)
    out = edits.result()
    return newline.join(out) + (newline if text.endswith(("\n", "\r")) or not text else "")


class NotSpliceable(Exception):
    """The file's shape (flow-style mappings ...) needs a round-trip re-dump instead."""


class _Edits:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.inserts: dict[int, list[str]] = {}

    def add(self, before: int, new: list[str]) -> None:
        self.inserts.setdefault(before, []).extend(new)

    def result(self) -> list[str]:
        out: list[str] = []
        for i in range(len(self.lines) + 1):
            out += self.inserts.get(i, [])
            if i < len(self.lines):
                out.append(self.lines[i])
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


def _is_block(node: Any, allow_none: bool = False) -> bool:
    if node is None:
        return allow_none
    return isinstance(node, CommentedMap) and not node.fa.flow_style() and len(node) > 0


def _splice_tables(
    edits: _Edits, doc: CommentedMap, tables: CommentedMap, missing: Missing, lines: TableLines
) -> None:
    first = next(iter(tables))
    first_line, col = tables.lc.key(first)
    unit = max(col - doc.lc.key("tables")[1], 1)
    anchor: str | None = None
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        block: list[str] = []
        for name in pending:
            block += [""] + lines(name, col, unit)
        if anchor is None:
            edits.add(edits.start_of_entry(first_line), block[1:] + [""])
        else:
            edits.add(edits.end_of_entry(tables.lc.key(anchor)[0], col), block)
        pending.clear()

    for name in missing.order:
        if name in tables:
            flush()
            anchor = name
        elif name in missing.tables:
            pending.append(name)
    flush()


def _splice_columns(
    edits: _Edits,
    tables: CommentedMap,
    table: str,
    wanted: list[tuple[str, list[str]]],
    lines: ColumnLines,
) -> None:
    if not wanted:
        return
    tv = tables[table]
    if not _is_block(tv):
        raise NotSpliceable(f"table {table!r} is not a block mapping")
    table_line, table_col = tables.lc.key(table)
    inner_col = tv.lc.key(next(iter(tv)))[1]
    unit = max(inner_col - table_col, 1)
    if "columns" not in tv:
        block = [" " * inner_col + "columns:"]
        for column, _ in wanted:
            block += lines(table, column, inner_col + unit, unit)
        edits.add(edits.end_of_entry(table_line, table_col), block)
        return
    cols = tv["columns"]
    if cols is None:
        line, _ = tv.lc.key("columns")
        block = []
        for column, _ in wanted:
            block += lines(table, column, inner_col + unit, unit)
        edits.add(line + 1, block)
        return
    if not _is_block(cols):
        raise NotSpliceable(f"{table}.columns is not a block mapping")
    first = next(iter(cols))
    first_line, col = cols.lc.key(first)
    for column, order in wanted:
        before = [c for c in order[: order.index(column)] if c in cols]
        new = lines(table, column, col, max(col - inner_col, 1))
        if before:
            edits.add(edits.end_of_entry(cols.lc.key(before[-1])[0], col), new)
        else:
            edits.add(edits.start_of_entry(first_line), new)


def redump(text: str, missing: Missing, table_lines: TableLines, column_lines: ColumnLines) -> str:
    """Fallback for flow-style files: add the entries to the round-trip tree and dump it."""
    import io

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    if doc.get("tables") is None:
        doc["tables"] = CommentedMap()
    tables = _block(doc["tables"])
    for name, wanted in missing.columns.items():
        tv = tables.get(name)
        if tv is None:
            tv = tables[name] = CommentedMap()
        tv = _block(tv)
        if tv.get("columns") is None:
            tv["columns"] = CommentedMap()
        cols = _block(tv["columns"])
        for column, order in wanted:
            parsed = yaml.load("\n".join(column_lines(name, column, 0, 2)))
            if not isinstance(parsed, CommentedMap):  # only a comment: nothing to add
                continue
            before = [c for c in order[: order.index(column)] if c in cols]
            pos = list(cols).index(before[-1]) + 1 if before else 0
            cols.insert(pos, column, parsed[column])
            comment = parsed.ca.items.get(column)
            if comment and len(comment) > 2 and comment[2] is not None:
                cols.yaml_add_eol_comment(comment[2].value.strip(), column)
    for name in missing.tables:
        parsed = yaml.load("\n".join(table_lines(name, 0, 2)))
        tables[name] = parsed[name]
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _block(node: CommentedMap) -> CommentedMap:
    node.fa.set_block_style()
    return node
