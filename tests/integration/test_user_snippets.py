"""(README.md, docs/*.md) -> their install, pre-commit and Actions snippets, run as written.

The snippets name https://github.com/seedspec/seedspec at tag v{version}. This machine has no
github.com, so git's url rewriting in a throwaway HOME (`url.<clone>.insteadOf`) sends that URL
to a clone of the tree under test (tracked files, uncommitted edits included), tagged
v{version} the way a release is (docs/RELEASING.md). pip and pre-commit fetch it through git, as
for a user. The workflows are validated against GitHub's workflow schema, which check-jsonschema
ships (offline). The wheel and sdist are built from the same clone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from conftest import run_sql
from ruamel.yaml import YAML
from test_precommit import DRIFTED, SCHEMA, SPEC

ROOT = Path(__file__).resolve().parents[2]
HOME_URL = "https://github.com/seedspec/seedspec"  # the project's canonical home
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
VERSION = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
TAG = f"v{VERSION}"
INSTALL = re.compile(r"pip install '([^']+)'")
FENCE = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)
TIMEOUT = 600
SCHEMA_NAMES = ("seedspec-1.schema.json", "plan-1.schema.json")


def _yaml_blocks(key: str) -> list[tuple[str, str]]:
    """(where, text) of every ```yaml block of the docs whose document has `key` at the top."""
    found = []
    for doc in DOCS:
        for m in FENCE.finditer(doc.read_text(encoding="utf-8")):
            data = YAML(typ="safe").load(StringIO(m[1]))
            if isinstance(data, dict) and key in data:
                found.append((f"{doc.name}@{m.start()}", m[1]))
    return found


def _installs() -> list[str]:
    """Every `pip install 'seedspec...'` the docs offer (prose, shell blocks, workflow steps),
    once (other packages named, such as the MCP SDK for `seedspec mcp`, come from PyPI)."""
    seen: dict[str, None] = {}
    for doc in DOCS:
        seen.update(dict.fromkeys(INSTALL.findall(doc.read_text(encoding="utf-8"))))
    return [i for i in seen if i.startswith("seedspec")]


def _env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """No database URL, no outer git plumbing, not this tree on the path; HOME as given."""
    drop = ("DATABASE_URL", "SEEDSPEC_DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("GIT_")}
    if home is not None:
        env["HOME"] = str(home)
        env.pop("XDG_CONFIG_HOME", None)
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    done.stdout += done.stderr
    return done


def must(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = run(cmd, cwd, env)
    assert done.returncode == 0, f"{cmd} exit {done.returncode}:\n{done.stdout}"
    return done.stdout


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    ident = ["-c", "user.name=seedspec test", "-c", "user.email=test@seedspec.invalid"]
    done = subprocess.run(
        ["git", *ident, *args], cwd=repo, env=_env(), input=stdin, capture_output=True, text=True
    )
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout


# -- the snippets name this release ---------------------------------------------------------------


def test_snippets_name_the_home_and_the_current_tag() -> None:
    installs = _installs()
    extras = {re.match(r"seedspec(\[[a-z,]+\])?", i)[1] for i in installs}  # type: ignore[index]
    assert extras >= {None, "[postgresql]", "[mysql]"}, installs
    for req in installs:  # not on PyPI yet: every install line is the tagged repository
        assert req.endswith(f" @ git+{HOME_URL}@{TAG}"), req
    configs = _yaml_blocks("repos")
    assert len(configs) >= 2, "README.md and docs/ci-and-pre-commit.md each show the config"
    for where, text in configs:
        (repo,) = YAML(typ="safe").load(StringIO(text))["repos"]
        assert (repo["repo"], repo["rev"]) == (HOME_URL, TAG), where
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'Repository = "{HOME_URL}"' in pyproject


# -- GitHub Actions: every workflow against GitHub's workflow schema ------------------------------


def test_workflows_validate_against_githubs_schema(tmp_path: Path) -> None:
    workflows = _yaml_blocks("jobs")
    assert len(workflows) >= 2, workflows  # README's short job, the docs' full one
    files = []
    for n, (_, text) in enumerate(workflows):
        files.append(tmp_path / f"seed{n}.yml")
        files[-1].write_text(text, encoding="utf-8")
    check = [sys.executable, "-m", "check_jsonschema"]
    check += ["--builtin-schema", "vendor.github-workflows"]
    out = must([*check, *map(str, files)], tmp_path, _env())
    assert "ok -- validation done" in out, out
    # the check can fail: the README's job as it was (no `on:`) does not validate
    broken = tmp_path / "no-on.yml"
    broken.write_text(re.sub(r"(?m)^on:.*\n", "", workflows[0][1]), encoding="utf-8")
    done = run([*check, str(broken)], tmp_path, _env())
    assert done.returncode == 1 and "'on' is a required property" in done.stdout, done.stdout


# -- a tagged clone of this tree, reached through the snippets' URL --------------------------------


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this tree (tracked files as they are now), its HEAD tagged v{version}."""
    clone = tmp_path_factory.mktemp("release") / "seedspec"
    git(ROOT.parent, "clone", "-q", "--no-checkout", str(ROOT), str(clone))
    git(clone, "checkout", "-q", "-B", "main", git(ROOT, "rev-parse", "HEAD").strip())
    edits = git(ROOT, "diff", "HEAD", "--binary")
    if edits:
        git(clone, "apply", "--index", "-", stdin=edits)
        git(clone, "commit", "-q", "-m", "uncommitted edits of the tree under test")
    git(clone, "tag", "-f", "-a", TAG, "-m", f"seedspec {VERSION}")
    git(clone, "remote", "remove", "origin")
    return clone


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, release: Path) -> Path:
    """A HOME whose git config sends the project's URL to the release clone."""
    home = tmp_path_factory.mktemp("home")
    subprocess.run(
        ["git", "config", "--file", str(home / ".gitconfig")]
        + [f"url.{release}.insteadOf", HOME_URL],
        check=True,
        env=_env(),
    )
    return home


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh virtualenv for the install tests (each starts by removing seedspec)."""
    where = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, env=_env())
    return where / "bin"


def _fresh(venv: Path, home: Path) -> None:
    must([str(venv / "pip"), "uninstall", "-q", "-y", "seedspec"], home, _env(home))


def _installed_here(venv: Path, home: Path) -> None:
    code = "import seedspec, sys; print(seedspec.__file__)"
    where = must([str(venv / "python"), "-c", code], home, _env(home)).strip()
    assert where.startswith(str(venv.parent)), where  # the venv's copy, not this tree


# -- pre-commit: the README's config, in a user's repository ---------------------------------------


@pytest.mark.slow
def test_precommit_config_as_written(tmp_path: Path, home: Path) -> None:
    db = tmp_path / "app.db"
    run_sql(f"sqlite:///{db}", SCHEMA)
    env = _env(home, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))  # one env for both configs
    line = next(n for n, t in enumerate(DRIFTED.splitlines(), 1) if "coupon_code" in t)
    col = DRIFTED.splitlines()[line - 1].index("coupon_code") + 1
    for n, (where, text) in enumerate(_yaml_blocks("repos")):
        repo = tmp_path / f"app{n}"
        repo.mkdir()
        git(repo, "init", "-q")
        (repo / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")
        (repo / "seed.yaml").write_text(SPEC)
        snap = [sys.executable, "-m", "seedspec.cli.app", "snapshot", "--db", f"sqlite:///{db}"]
        must(snap, repo, _env(PYTHONPATH=str(ROOT)))
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "spec, snapshot and the README's pre-commit config")

        hooks = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
        out = must(hooks, repo, env)
        assert "seedspec validate" in out and "seedspec check" in out and "Passed" in out, where

        (repo / "seed.yaml").write_text(DRIFTED)  # orders.coupon_code: not in the snapshot
        git(repo, "commit", "-q", "-a", "-m", "drift")
        done = run(hooks, repo, env)
        assert done.returncode == 1 and "Failed" in done.stdout, done.stdout
        assert f"seed.yaml:{line}:{col}: error:" in done.stdout, done.stdout


# -- pip: every install line, into a fresh virtualenv ----------------------------------------------


@pytest.mark.slow
def test_install_lines_as_written(venv: Path, home: Path) -> None:
    # what each extra the docs install brings, imported from the fresh venv
    brings = {
        "postgresql": "psycopg",
        "mysql": "pymysql",
        "mcp": "mcp",
        "pytest": "filelock, seedspec.testing.pytest_plugin",
        "parquet": "pyarrow",
        "dask": "dask.distributed, dask.dataframe",
    }
    _fresh(venv, home)
    for req in sorted(_installs(), key=len):  # the plain line first: no driver yet
        must([str(venv / "pip"), "install", "-q", req], home, _env(home))
        assert "Usage: seedspec" in must([str(venv / "seedspec"), "--help"], home, _env(home))
        named = re.match(r"seedspec(?:\[([a-z,]+)\])?", req)[1]  # type: ignore[index]
        for extra in (named or "").split(",") if named else []:
            must([str(venv / "python"), "-c", f"import {brings[extra]}"], home, _env(home))
        _installed_here(venv, home)


# -- the wheel and the sdist -----------------------------------------------------------------------


@pytest.mark.slow
def test_wheel_and_sdist_check_and_install(
    tmp_path: Path, release: Path, venv: Path, home: Path
) -> None:
    dist = tmp_path / "dist"
    must([sys.executable, "-m", "build", "--outdir", str(dist), str(release)], tmp_path, _env())
    wheel, sdist = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheel) == 1 and len(sdist) == 1, sorted(dist.iterdir())
    twine_check = [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())]
    twine = must(twine_check, tmp_path, _env())
    assert twine.count("PASSED") == 2, twine
    with zipfile.ZipFile(wheel[0]) as whl:
        meta = whl.read(f"seedspec-{VERSION}.dist-info/METADATA").decode()
        names = set(whl.namelist())
    assert f"Project-URL: Repository, {HOME_URL}" in meta, meta[:2000]
    assert {f"seedspec/schemas/{name}" for name in SCHEMA_NAMES} <= names

    spec = tmp_path / "shop.yaml"
    spec.write_text((ROOT / "specs" / "shop.yaml").read_text())
    schemas = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")}
    packaged = (
        "import json, pathlib, seedspec; d = pathlib.Path(seedspec.__file__).parent / 'schemas';"
        "print(json.dumps({p.name: json.loads(p.read_text()) for p in d.glob('*.json')}))"
    )
    # `build` made the wheel from the sdist, so installing the wheel installs what the sdist holds
    _fresh(venv, home)
    must([str(venv / "pip"), "install", "-q", f"{wheel[0]}[postgresql,mysql]"], home, _env(home))
    _installed_here(venv, home)
    must([str(venv / "python"), "-c", "import psycopg, pymysql"], home, _env(home))
    out = must([str(venv / "seedspec"), "validate", str(spec)], home, _env(home))
    assert out.strip() == f"{spec}: ok", out
    found = must([str(venv / "python"), "-c", packaged], home, _env(home))
    assert json.loads(found) == schemas
