"""The pytest plugin (entry point pytest11 `seedspec`): options + a spec -> fixtures
`seedspec_template` (seeded once per session and key) and `seedspec_db` (a fresh copy per test),
and one summary line. Inert until a test asks for one of its fixtures."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from seedspec.testing.copies import Copy, Template, fresh_copy, prepare

STATS = pytest.StashKey[dict[str, Any]]()


@dataclass(frozen=True)
class SeedspecConfig:
    """What the template is made of: a spec (a path, a mapping or a Spec; YAML text through
    `seedspec.spec_from_yaml`), the URL of the database holding the schema, and a scale."""

    spec: Any
    db: str
    scale: float | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("seedspec", "seedspec: seeded database copies per test")
    group.addoption(
        "--seedspec-spec", dest="seedspec_spec", default=None, help="the spec file to seed with"
    )
    group.addoption(
        "--seedspec-db",
        dest="seedspec_db",
        default=None,
        help="URL of the database whose schema the template copies (PostgreSQL: a database "
        "with no other sessions; SQLite: a file; MariaDB: the database seeded in place)",
    )
    parser.addini("seedspec_spec", "the spec file seedspec_db seeds with", default="")
    parser.addini("seedspec_db", "URL of the template's source database", default="")


def _stats(config: pytest.Config) -> dict[str, Any]:
    if STATS not in config.stash:
        config.stash[STATS] = {"templates": {}, "clones": []}
    return config.stash[STATS]


@pytest.fixture(scope="session")
def seedspec_config(pytestconfig: pytest.Config) -> SeedspecConfig:
    """--seedspec-spec / --seedspec-db (or the ini keys, or SEEDSPEC_TEST_DATABASE_URL);
    override this fixture to give a spec as a mapping or a Spec."""
    spec = pytestconfig.getoption("seedspec_spec") or pytestconfig.getini("seedspec_spec")
    db = (
        pytestconfig.getoption("seedspec_db")
        or pytestconfig.getini("seedspec_db")
        or os.environ.get("SEEDSPEC_TEST_DATABASE_URL")
    )
    if not spec or not db:
        pytest.fail(
            "seedspec_db needs a spec and a database: pass --seedspec-spec and --seedspec-db, "
            "set seedspec_spec / seedspec_db in the pytest ini, or override seedspec_config",
            pytrace=False,
        )
    if isinstance(spec, str) and not os.path.isabs(spec):
        spec = str(pytestconfig.rootpath / spec)
    return SeedspecConfig(spec, str(db))


@pytest.fixture(scope="session")
def seedspec_template(
    seedspec_config: SeedspecConfig, pytestconfig: pytest.Config
) -> Iterator[Template]:
    """The seeded template: made once per key (plan digest + schema fingerprint) and reused
    by later sessions and by every xdist worker."""
    cache = getattr(pytestconfig, "cache", None)
    where = cache.mkdir("seedspec") if cache is not None else Path(tempfile.gettempdir())
    template = prepare(seedspec_config.spec, seedspec_config.db, where, scale=seedspec_config.scale)
    seen = _stats(pytestconfig)["templates"].setdefault(
        template.name, {"seeded": 0, "reused": 0, "seed_seconds": 0.0, "rows": 0}
    )
    if template.seeded:
        seen["seeded"] += 1
        seen["seed_seconds"] += template.seed_seconds
        seen["rows"] = template.rows
    else:
        seen["reused"] += 1
    try:
        yield template
    finally:
        template.close()


@pytest.fixture
def seedspec_db(
    seedspec_template: Template, tmp_path: Path, pytestconfig: pytest.Config
) -> Iterator[Copy]:
    """A fresh copy of the seeded template for this test: `.connection`, `.engine`, `.url`."""
    with fresh_copy(seedspec_template, tmp_path) as copy:
        _stats(pytestconfig)["clones"].append(copy.seconds)
        yield copy


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its counts to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None and STATS in session.config.stash:
        output["seedspec"] = session.config.stash[STATS]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    got = getattr(node, "workeroutput", {}).get("seedspec")
    if not got:
        return
    mine = _stats(node.config)
    for name, seen in got["templates"].items():
        into = mine["templates"].setdefault(name, {k: 0 for k in seen})
        for k, v in seen.items():
            into[k] = max(into[k], v) if k == "rows" else into[k] + v
    mine["clones"].extend(got["clones"])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if STATS not in config.stash or getattr(config, "workeroutput", None) is not None:
        return
    stats = config.stash[STATS]
    clones = stats["clones"]
    mean = 1000 * sum(clones) / len(clones) if clones else 0.0
    most = 1000 * max(clones) if clones else 0.0
    for name, seen in stats["templates"].items():
        terminalreporter.write_line(
            f"seedspec: template {name}: seeded {seen['seeded']} ({seen['rows']} rows, "
            f"{seen['seed_seconds']:.2f} s), reused {seen['reused']}; {len(clones)} copies, "
            f"clone mean {mean:.1f} ms, max {most:.1f} ms"
        )
