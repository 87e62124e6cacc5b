"""(spec path) -> the `$schema` modeline `seedspec init` writes: a path that exists, or the URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from seedspec.authoring.initspec import SCHEMA_FILE, schema_ref

REPO = Path(__file__).resolve().parents[2]
REPO_SCHEMA = REPO / "schemas" / "seedspec-1.schema.json"
URL = "https://raw.githubusercontent.com/seedspec/seedspec/main/schemas/seedspec-1.schema.json"


def test_schema_ids_are_the_repositorys_raw_urls() -> None:
    for name in ("seedspec-1.schema.json", "plan-1.schema.json"):
        doc = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        assert doc["$id"] == URL.replace("seedspec-1.schema.json", name)
        packaged = REPO / "seedspec" / "schemas" / name
        assert json.loads(packaged.read_text(encoding="utf-8")) == doc


def test_outside_a_checkout_the_modeline_is_the_public_url(tmp_path: Path) -> None:
    assert schema_ref(str(tmp_path / "seed.yaml")) == URL
    assert schema_ref(str(tmp_path / "not" / "yet" / "made" / "seed.yaml")) == URL


def test_inside_this_repository_it_is_a_relative_path_that_exists() -> None:
    for spec in (REPO / "specs" / "seed.yaml", REPO / "specs" / "new" / "deeper" / "seed.yaml"):
        ref = schema_ref(str(spec))
        assert not ref.startswith(("/", "http")), ref
        assert (spec.parent / ref).resolve() == REPO_SCHEMA.resolve(), ref
    assert schema_ref(str(REPO / "specs" / "shop.yaml")) == "../schemas/seedspec-1.schema.json"


def test_never_a_path_into_the_installed_package(tmp_path: Path) -> None:
    # a spec next to the package's own copy (a virtualenv, site-packages): not a git checkout
    ref = schema_ref(str(SCHEMA_FILE.parent / "seed.yaml"))
    assert ref == URL or (SCHEMA_FILE.parent / ref).resolve() == REPO_SCHEMA.resolve(), ref
    assert "site-packages" not in ref and ".venv" not in ref


@pytest.mark.parametrize(
    ("vendored", "expected"),
    [
        (None, URL),  # a git checkout without the schema
        ("copy", "../schemas/seedspec-1.schema.json"),  # one that vendors it
        ("other", URL),  # a schemas/seedspec-1.schema.json that is not this one
    ],
)
def test_another_checkout(tmp_path: Path, vendored: str | None, expected: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "db").mkdir()
    if vendored:
        (tmp_path / "schemas").mkdir()
        target = tmp_path / "schemas" / "seedspec-1.schema.json"
        if vendored == "copy":
            shutil.copyfile(REPO_SCHEMA, target)
        else:
            target.write_text('{"$id": "https://example.com/other.json"}', encoding="utf-8")
    ref = schema_ref(str(tmp_path / "db" / "seed.yaml"))
    assert ref == expected
    if not ref.startswith("https://"):
        assert (tmp_path / "db" / ref).is_file()
