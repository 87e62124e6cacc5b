"""A spec file path, YAML text or a mapping -> plain data + source map (JSON pointer -> line:col;
a mapping: the pointer itself)."""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from seedspec.errors import SourceError, SourceLocation

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000  # expanded size (aliases counted every time they are used)
MAX_DEPTH = 100  # nesting, aliases followed

Pointer = tuple[Any, ...]
Mark = tuple[int, int]  # 1-based line, col

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass(frozen=True)
class Document:
    """A parsed spec file: plain data plus where each node of it was written.

    `value_marks` maps a pointer (the path of keys and list indexes from the root) to the
    1-based line:col of the value there; `key_marks` maps the pointer of a mapping entry to
    the line:col of its key. A plain `null` key stays the string "null" (the `null:` modifier).
    """

    path: str
    data: Any
    value_marks: Mapping[Pointer, Mark] = field(default_factory=dict, repr=False, compare=False)
    key_marks: Mapping[Pointer, Mark] = field(default_factory=dict, repr=False, compare=False)
    by_pointer: bool = field(default=False, compare=False)  # a mapping: no lines, its keys

    def location(self, pointer: Iterable[Any] = ()) -> SourceLocation:
        """Where the value at `pointer` was written (or its nearest existing ancestor)."""
        ptr = tuple(pointer)
        if self.by_pointer:  # line 0: printed as `<dict>:/tables/users/count`
            return SourceLocation(f"{self.path}:/" + "/".join(str(p) for p in ptr), 0, 0)
        for end in range(len(ptr), -1, -1):
            mark = self.value_marks.get(ptr[:end])
            if mark is not None:
                return SourceLocation(self.path, *mark)
        return SourceLocation(self.path, 1, 1)

    def location_of_key(self, pointer: Iterable[Any]) -> SourceLocation:
        """Where the key of the mapping entry at `pointer` was written (else `location`)."""
        ptr = tuple(pointer)
        mark = self.key_marks.get(ptr)
        return SourceLocation(self.path, *mark) if mark else self.location(ptr)


def load_document(path: str) -> Document:
    """Read, parse and check one spec file; every failure is one `SourceError`."""
    return load_text(_decode(path, _read_bytes(path)), path)


def load_text(text: str, name: str = "<yaml>") -> Document:
    """Parse and check spec YAML held in a string; locations read `name:line:col`."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise SourceError(f"{name} is larger than {limit} MB; a spec is far smaller")
    path = name
    text = text[1:] if text.startswith("\ufeff") else text
    root = _compose(path, text)
    if root is None or (_tag(root) == "null" and root.value == ""):
        raise SourceError("file is empty", SourceLocation(path, 1, 1))
    _check_graph(path, root)
    if not isinstance(root, MappingNode):
        raise SourceError(
            f"the top level must be a mapping (seedspec: 1, tables: ...), not {_node_kind(root)}",
            _loc(path, root),
        )
    builder = _Builder(path)
    data = builder.build(root, ())
    return Document(path, data, builder.value_marks, builder.key_marks)


def from_data(data: Mapping[Any, Any], name: str = "<dict>") -> Document:
    """A spec given as a mapping (a dict, parsed JSON): copied to plain dicts and lists, every
    key a string (None: "null", the null modifier); locations read `name:/json/pointer`."""
    if not isinstance(data, Mapping):
        raise SourceError(
            f"the top level must be a mapping (seedspec: 1, tables: ...), not "
            f"{type(data).__name__}",
            SourceLocation(name, 0, 0),
        )
    return Document(name, _plain(data, (), name, 0), by_pointer=True)


def _plain(value: Any, ptr: Pointer, name: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise SourceError(f"the mapping nests more than {MAX_DEPTH} levels deep")
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if key is None:
                key = "null"
            if not isinstance(key, (str, int, float, bool)):
                where = SourceLocation(f"{name}:/" + "/".join(str(p) for p in ptr), 0, 0)
                raise SourceError(f"a mapping key must be a plain value, not {key!r}", where)
            out[key] = _plain(item, (*ptr, key), name, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, (*ptr, i), name, depth + 1) for i, item in enumerate(value)]
    return value


# -- reading ---------------------------------------------------------------------------------


def _read_bytes(path: str) -> bytes:
    if os.path.isdir(path):
        raise SourceError(f"{path} is a directory, not a spec file")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(f"no such file: {path}") from None
    except PermissionError:
        raise SourceError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise SourceError(f"{path} is larger than {limit} MB; a spec file is far smaller")
    return raw


def _decode(path: str, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        col = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            f"not valid UTF-8: byte 0x{raw[start]:02x} at byte offset {start} (line {line}); "
            "save the file as UTF-8",
            SourceLocation(path, line, col),
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


# -- parsing ---------------------------------------------------------------------------------


def _compose(path: str, text: str) -> Node | None:
    yaml = YAML(typ="safe", pure=True)  # a fresh one: a failed compose leaves state behind
    yaml.max_depth = MAX_DEPTH
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return yaml.compose(text)
    except MarkedYAMLError as exc:
        raise _marked_error(path, exc) from None
    except ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise SourceError(
            f"malformed YAML: {exc.reason} (character {exc.character!r})",
            SourceLocation(path, line, col),
        ) from None
    except YAMLError as exc:
        raise SourceError(f"malformed YAML: {exc}", SourceLocation(path, 1, 1)) from None
    except RecursionError:
        raise SourceError("the YAML nests too deeply", SourceLocation(path, 1, 1)) from None


def _marked_error(path: str, exc: MarkedYAMLError) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    where = SourceLocation(path, mark.line + 1, mark.column + 1) if mark else None
    if exc.context == "expected a single document in the stream":
        return SourceError(
            "the file holds more than one YAML document (a second '---'); "
            "a spec is a single document",
            where,
        )
    problem = str(exc.problem or exc.context or "cannot parse")
    if problem.startswith("maximum depth"):
        return SourceError(f"the YAML nests more than {MAX_DEPTH} levels deep", where)
    message = f"malformed YAML: {problem}"
    ctx = exc.context_mark
    if exc.context and ctx is not None and exc.problem is not None:
        message += f" ({exc.context} started at line {ctx.line + 1}:{ctx.column + 1})"
    return SourceError(message, where)


def _line_col(text: str, position: int) -> Mark:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _loc(path: str, node: Node) -> SourceLocation:
    return SourceLocation(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _tag(node: Node) -> str:
    tag = str(node.tag)
    return tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _node_kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return f"the scalar {node.value!r}"


# -- alias bombs, recursion, depth -----------------------------------------------------------


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_graph(path: str, root: Node) -> None:
    """Expanded size and depth of the node graph, memoised per node; cycles are errors."""
    done: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            kids = [done[id(child)] for child in _children(node)]
            size = 1 + sum(k[0] for k in kids)
            depth = 1 + max((k[1] for k in kids), default=0)
            _check_limits(path, node, size, depth)
            done[key] = (size, depth)
            visiting.discard(key)
        elif key in visiting:
            anchor = f"'&{node.anchor}' " if node.anchor else ""
            raise SourceError(f"recursive alias: anchor {anchor}contains itself", _loc(path, node))
        elif key not in done:
            visiting.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))


def _check_limits(path: str, node: Node, size: int, depth: int) -> None:
    if size > MAX_NODES:
        raise SourceError(
            f"the document expands to more than {MAX_NODES:,} nodes through anchors and "
            "aliases (a YAML bomb?)",
            _loc(path, node),
        )
    if depth > MAX_DEPTH:
        raise SourceError(f"the YAML nests more than {MAX_DEPTH} levels deep", _loc(path, node))


# -- nodes -> plain data ---------------------------------------------------------------------


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.value_marks: dict[Pointer, Mark] = {}
        self.key_marks: dict[Pointer, Mark] = {}

    def error(self, message: str, node: Node) -> SourceError:
        return SourceError(message, _loc(self.path, node))

    def build(self, node: Node, pointer: Pointer, key_node: Node | None = None) -> Any:
        self.value_marks[pointer] = self._value_mark(node, key_node)
        if isinstance(node, MappingNode):
            return self._mapping(node, pointer)
        if isinstance(node, SequenceNode):
            if _tag(node) != "seq":
                raise self.error(f"unsupported YAML tag {str(node.tag)!r}", node)
            return [self.build(item, (*pointer, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def _value_mark(self, node: Node, key_node: Node | None) -> Mark:
        # An empty value (`key:`) starts where the next token does; point at its key instead.
        empty = isinstance(node, ScalarNode) and node.value == "" and not node.style
        where = key_node if (empty and key_node is not None) else node
        return where.start_mark.line + 1, where.start_mark.column + 1

    def scalar(self, node: Node) -> Any:
        tag = _tag(node)
        if tag not in _SCALAR_TAGS:
            raise self.error(f"unsupported YAML tag {str(node.tag)!r}", node)
        try:
            return _convert(tag, node.value)
        except ValueError:
            raise self.error(f"{node.value!r} is not a valid !!{tag}", node) from None

    def _mapping(self, node: MappingNode, pointer: Pointer) -> dict[Any, Any]:
        if _tag(node) != "map":
            raise self.error(f"unsupported YAML tag {str(node.tag)!r}", node)
        out: dict[Any, Any] = {}
        seen: dict[Any, Node] = {}
        explicit = self._explicit_keys(node)
        for key_node, value_node in node.value:
            if _tag(key_node) == "merge":
                self._merge(value_node, pointer, out, explicit)
                continue
            key = self._key(key_node)
            if key in seen:
                first = seen[key].start_mark
                raise self.error(
                    f"duplicate key {key!r} (first at line {first.line + 1}:{first.column + 1})",
                    key_node,
                )
            seen[key] = key_node
            self._put(out, key, key_node, value_node, pointer)
        return out

    def _explicit_keys(self, node: MappingNode) -> set[Any]:
        return {self._key(k) for k, _ in node.value if _tag(k) != "merge"}

    def _key(self, key_node: Node) -> Any:
        if not isinstance(key_node, ScalarNode):
            raise self.error("a mapping key must be a plain value, not a list or mapping", key_node)
        key = self.scalar(key_node)
        if key is None:  # `null: 0.1` is the null modifier, not a None key
            return key_node.value or "null"
        if isinstance(key, float) and math.isnan(key):
            raise self.error("a mapping key cannot be .nan", key_node)
        return key

    def _put(
        self, out: dict[Any, Any], key: Any, key_node: Node, value: Node, ptr: Pointer
    ) -> None:
        child = (*ptr, key)
        self.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        out[key] = self.build(value, child, key_node)

    def _merge(
        self, value: Node, pointer: Pointer, out: dict[Any, Any], explicit: set[Any]
    ) -> None:
        """`<<: *base` or `<<: [*a, *b]`: keys not written explicitly; earlier sources win."""
        sources = value.value if isinstance(value, SequenceNode) else [value]
        for source in sources:
            if not isinstance(source, MappingNode):
                raise self.error("'<<' merges a mapping or a list of mappings", source)
            for key_node, value_node in self._flatten(source):
                key = self._key(key_node)
                if key not in explicit and key not in out:
                    self._put(out, key, key_node, value_node, pointer)

    def _flatten(self, node: MappingNode) -> list[tuple[Node, Node]]:
        pairs: list[tuple[Node, Node]] = []
        merged: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if _tag(key_node) != "merge":
                pairs.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise self.error("'<<' merges a mapping or a list of mappings", source)
                merged.extend(self._flatten(source))
        return pairs + merged


# -- scalars ---------------------------------------------------------------------------------


def _convert(tag: str, text: str) -> Any:
    if tag == "null":
        return None
    if tag == "bool":
        return _to_bool(text)
    if tag == "int":
        return _to_int(text)
    if tag == "float":
        return _to_float(text)
    return text  # str, and timestamps stay the strings they were written as


def _to_bool(text: str) -> bool:
    low = text.lower()
    if low in ("true", "yes", "on", "y"):
        return True
    if low in ("false", "no", "off", "n"):
        return False
    raise ValueError(text)


def _split_sign(text: str) -> tuple[int, str]:
    body = text.replace("_", "")
    if body[:1] in ("-", "+"):
        return (-1 if body[0] == "-" else 1), body[1:]
    return 1, body


def _to_int(text: str) -> int:
    sign, body = _split_sign(text)
    if not body:
        raise ValueError(text)
    low = body.lower()
    for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
        if low.startswith(prefix):
            return sign * int(body[2:], base)
    if ":" in body:  # YAML 1.1 sexagesimal, 1:30 == 90
        return sign * _sexagesimal(body.split(":"))
    return sign * int(body, 10)


def _to_float(text: str) -> float:
    sign, body = _split_sign(text)
    low = body.lower()
    if low == ".inf":
        return sign * math.inf
    if low == ".nan":
        return math.nan
    if ":" in body:
        *head, last = body.split(":")
        return sign * (_sexagesimal(head) * 60 + float(last))
    return sign * float(body)


def _sexagesimal(parts: Sequence[str]) -> int:
    value = 0
    for part in parts:
        value = value * 60 + int(part)
    return value
