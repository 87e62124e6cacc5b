"""seedspec.spec.source: YAML -> plain data + locations, and every way reading a spec can fail."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from seedspec.errors import SourceError
from seedspec.spec import source
from seedspec.spec.source import Document, load_document


def write(tmp_path: Path, content: str | bytes, name: str = "spec.yaml") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def fail(path: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        load_document(path)
    return info.value


def where(err: SourceError) -> str:
    """line:col of an error (the file part checked once per test through `path`)."""
    assert err.location is not None
    return f"{err.location.line}:{err.location.col}"


# -- plain data ------------------------------------------------------------------------------


def test_scalars_resolve_to_plain_python(tmp_path: Path) -> None:
    doc = load_document(
        write(
            tmp_path,
            "a: 12\nb: 0x1F\nc: 0o17\nd: 1_000\ne: -7\nf: 1.5\ng: .inf\nh: -.inf\ni: .nan\n"
            "j: 1e3\nk: true\nl: False\nm: ~\nn:\no: null\np: '12'\nq: yes\nr: 0b101\n",
        )
    )
    data = doc.data
    assert (data["a"], data["b"], data["c"], data["d"], data["e"]) == (12, 31, 15, 1000, -7)
    assert data["f"] == 1.5 and data["j"] == 1000.0 and isinstance(data["j"], float)
    assert data["g"] == math.inf and data["h"] == -math.inf and math.isnan(data["i"])
    assert data["k"] is True and data["l"] is False
    assert data["m"] is None and data["n"] is None and data["o"] is None
    assert data["p"] == "12" and data["q"] == "yes" and data["r"] == 5


def test_timestamps_stay_strings(tmp_path: Path) -> None:
    doc = load_document(
        write(
            tmp_path, "d: 2023-01-01\nt: 2023-01-01 10:00:00\nz: 2024-02-03T04:05:06Z\nh: 08:30\n"
        )
    )
    assert doc.data == {
        "d": "2023-01-01",
        "t": "2023-01-01 10:00:00",
        "z": "2024-02-03T04:05:06Z",
        "h": "08:30",
    }
    assert all(type(v) is str for v in doc.data.values())


def test_explicit_core_tags(tmp_path: Path) -> None:
    doc = load_document(
        write(tmp_path, "a: !!str 5\nb: !!int '7'\nc: !!float '2'\nd: !!bool 'true'\n")
    )
    assert doc.data == {"a": "5", "b": 7, "c": 2.0, "d": True}


def test_null_key_is_the_null_modifier(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "col: {gen: text.word, null: 0.8}\n"))
    assert doc.data == {"col": {"gen": "text.word", "null": 0.8}}


def test_non_string_keys_keep_their_type(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "choice: {1: 50, 2.5: 3, false: 2, x: 1}\n"))
    assert doc.data == {"choice": {1: 50, 2.5: 3, False: 2, "x": 1}}


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, b"\xef\xbb\xbfa: 1\n"))
    assert doc.data == {"a": 1}
    assert str(doc.location(("a",))).endswith(":1:4")


def test_document_is_frozen(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "a: 1\n"))
    assert isinstance(doc, Document)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.path = "x"  # type: ignore[misc]


# -- locations -------------------------------------------------------------------------------

NESTED = """\
seedspec: 1
tables:
  users:
    count: 10
    columns:
      email: {gen: person.email, unique: true}
      tags:
        - a
        - b
      empty:
"""


def test_locations_point_at_values(tmp_path: Path) -> None:
    path = write(tmp_path, NESTED)
    doc = load_document(path)
    assert str(doc.location(())) == f"{path}:1:1"
    assert str(doc.location(("seedspec",))) == f"{path}:1:11"
    assert str(doc.location(("tables", "users", "count"))) == f"{path}:4:12"
    assert str(doc.location(("tables", "users", "columns", "email", "gen"))) == f"{path}:6:20"
    assert str(doc.location(("tables", "users", "columns", "tags", 1))) == f"{path}:9:11"


def test_locations_of_keys(tmp_path: Path) -> None:
    path = write(tmp_path, NESTED)
    doc = load_document(path)
    assert str(doc.location_of_key(("tables", "users"))) == f"{path}:3:3"
    assert str(doc.location_of_key(("tables", "users", "columns", "email", "unique"))) == (
        f"{path}:6:34"
    )
    # a list item has no key: its value is the place
    assert str(doc.location_of_key(("tables", "users", "columns", "tags", 0))) == f"{path}:8:11"


def test_location_falls_back_to_nearest_ancestor(tmp_path: Path) -> None:
    path = write(tmp_path, NESTED)
    doc = load_document(path)
    assert str(doc.location(("tables", "users", "count", "nope", 3))) == f"{path}:4:12"
    assert str(doc.location(("missing",))) == f"{path}:1:1"
    assert str(doc.location_of_key(("tables", "ghost"))) == f"{path}:3:3"


def test_empty_value_points_at_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, NESTED)
    doc = load_document(path)
    assert doc.data["tables"]["users"]["columns"]["empty"] is None
    assert str(doc.location(("tables", "users", "columns", "empty"))) == f"{path}:10:7"


def test_location_accepts_any_iterable(tmp_path: Path) -> None:
    from collections import deque

    path = write(tmp_path, NESTED)
    doc = load_document(path)
    assert str(doc.location(deque(["tables", "users", "count"]))) == f"{path}:4:12"


# -- merge keys ------------------------------------------------------------------------------

MERGE = """\
base: &base {a: 1, b: 2}
more: &more {c: 3, a: 9}
one:
  <<: *base
  b: 20
two:
  x: 0
  <<: [*base, *more]
"""


def test_merge_keys_explicit_wins_earlier_source_wins(tmp_path: Path) -> None:
    path = write(tmp_path, MERGE)
    doc = load_document(path)
    assert doc.data["one"] == {"a": 1, "b": 20}
    assert doc.data["two"] == {"x": 0, "a": 1, "b": 2, "c": 3}
    assert list(doc.data["two"]) == ["x", "a", "b", "c"]  # merged keys where `<<` stands
    # a merged value is located where it was written (in the anchor)
    assert str(doc.location(("one", "a"))) == f"{path}:1:17"
    assert str(doc.location(("one", "b"))) == f"{path}:5:6"


def test_merge_of_a_scalar_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a: &a 1\nb:\n  <<: *a\n")
    err = fail(path)
    assert "'<<' merges a mapping or a list of mappings" in err.message
    assert where(err) == "1:4"  # the anchored value


# -- failures --------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    err = fail(str(tmp_path / "nope.yaml"))
    assert err.message == f"no such file: {tmp_path / 'nope.yaml'}"


def test_directory(tmp_path: Path) -> None:
    err = fail(str(tmp_path))
    assert "is a directory" in err.message


@pytest.mark.parametrize("content", ["", "# only a comment\n\n# another\n", "\n\n", "---\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    err = fail(path)
    assert err.message == "file is empty"
    assert str(err.location) == f"{path}:1:1"


def test_invalid_utf8_names_offset_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"seedspec: 1\nname: caf\xe9\n")
    err = fail(path)
    assert "not valid UTF-8" in err.message
    assert "byte 0xe9 at byte offset 21 (line 2)" in err.message
    assert str(err.location) == f"{path}:2:10"


def test_malformed_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "seedspec: 1\ntables: [a, b\n")
    err = fail(path)
    assert err.message.startswith("malformed YAML: expected ',' or ']'")
    assert str(err.location) == f"{path}:3:1"


def test_malformed_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, "a:\n  b: 1\n c: 2\n")
    err = fail(path)
    assert err.message.startswith("malformed YAML:")
    assert where(err) == "3:2"


def test_control_character(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: x\x07y\n")
    err = fail(path)
    assert "special characters are not allowed" in err.message
    assert where(err) == "2:5"


def test_duplicate_key_points_at_second(tmp_path: Path) -> None:
    path = write(tmp_path, "seedspec: 1\ntables:\n  users: {}\n  orders: {}\n  users: {}\n")
    err = fail(path)
    assert err.message == "duplicate key 'users' (first at line 3:3)"
    assert str(err.location) == f"{path}:5:3"


def test_duplicate_key_in_flow_mapping(tmp_path: Path) -> None:
    err = fail(write(tmp_path, "a: {x: 1, y: 2, x: 3}\n"))
    assert "duplicate key 'x'" in err.message
    assert where(err) == "1:17"


def billion_laughs(levels: int) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghijk"[:levels]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_yaml_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    path = write(tmp_path, billion_laughs(9))  # 9**10 nodes if expanded
    err = fail(path)
    assert "expands to more than 100,000 nodes" in err.message
    assert str(err.location) == f"{path}:6:4"  # the first anchor whose expansion is too big


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, billion_laughs(2)))
    assert len(doc.data["c"]) == 9 and doc.data["c"][0][0] == ["lol"] * 9


def test_recursive_alias(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: &loop\n  c: [*loop]\n")
    err = fail(path)
    assert err.message == "recursive alias: anchor '&loop' contains itself"
    assert str(err.location) == f"{path}:2:4"  # the anchored node


def test_undefined_alias(tmp_path: Path) -> None:
    err = fail(write(tmp_path, "a: *nope\n"))
    assert "found undefined alias 'nope'" in err.message
    assert where(err) == "1:4"


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1024 * 1024)
    path = write(tmp_path, "a: 1\n" + "# padding padding padding\n" * 50_000)
    err = fail(path)
    assert "is larger than 1 MB" in err.message


def test_default_size_limit_is_5_mb() -> None:
    assert source.MAX_FILE_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("content", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "the scalar 'just text'"), ("42\n", "the scalar")],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, content: str, kind: str) -> None:
    path = write(tmp_path, content)
    err = fail(path)
    assert err.message.startswith("the top level must be a mapping")
    assert kind in err.message
    assert str(err.location) == f"{path}:1:1"


def test_multiple_documents(tmp_path: Path) -> None:
    path = write(tmp_path, "seedspec: 1\n---\nseedspec: 1\n")
    err = fail(path)
    assert "more than one YAML document" in err.message
    assert str(err.location) == f"{path}:2:1"


@pytest.mark.parametrize(
    ("content", "tag", "at"),
    [
        ("a: !foo x\n", "!foo", "1:4"),
        ("a: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary", "1:4"),
        ("a: !!set {x, y}\n", "tag:yaml.org,2002:set", "1:4"),
        ("a: !!python/object:os.system x\n", "python/object", "1:4"),
    ],
)
def test_unsupported_tags(tmp_path: Path, content: str, tag: str, at: str) -> None:
    err = fail(write(tmp_path, content))
    assert err.message.startswith("unsupported YAML tag") and tag in err.message
    assert where(err) == at


def test_bad_explicit_int(tmp_path: Path) -> None:
    err = fail(write(tmp_path, "a: 1\nb: !!int abc\n"))
    assert err.message == "'abc' is not a valid !!int"
    assert where(err) == "2:4"


def test_complex_key(tmp_path: Path) -> None:
    err = fail(write(tmp_path, "? [a, b]\n: 1\n"))
    assert "a mapping key must be a plain value" in err.message
    assert where(err) == "1:3"


def test_too_deep(tmp_path: Path) -> None:
    err = fail(write(tmp_path, "a: " + "[" * 150 + "]" * 150 + "\n"))
    assert "nests more than 100 levels" in err.message


def test_too_deep_through_aliases(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 120)]
    err = fail(write(tmp_path, "\n".join(lines) + "\n"))
    assert "nests more than 100 levels" in err.message


def test_errors_never_leak_a_traceback_type(tmp_path: Path) -> None:
    """Whatever goes wrong is a SourceError (the CLI prints it and exits cleanly)."""
    for content in ["a: [\n", "\t- x\n", "a: 'unterminated\n", "a: b: c\n", "&a\n"]:
        with pytest.raises(SourceError):
            load_document(write(tmp_path, content))
