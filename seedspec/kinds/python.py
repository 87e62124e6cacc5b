"""The `python` kind: `{python: NAME, args: {...}}` -> a callable registered under the entry
point group `seedspec.generators`, checked at validate (known name) and at compile (what it
returns fits the column), built into generate.pycall.PythonCall.

NAME is an entry point's name (`ulid`), or `DIST:NAME` (the entry point NAME of the
distribution DIST) where two installed packages register the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.errors import Problem, SeedspecError
from seedspec.kinds.base import (
    BuildContext,
    CheckContext,
    Entry,
    Kind,
    Nested,
    Params,
    Pointer,
    RenderContext,
    plain,
)
from seedspec.kinds.column import ColumnRules, ColumnShape
from seedspec.kinds.fit import FitContext, class_of, column_problem, column_problems
from seedspec.kinds.spec import GeneratorSpec

if TYPE_CHECKING:
    from seedspec.generate.base import Generator

GROUP = "seedspec.generators"
# seedspec's own entry points (pyproject.toml [project.entry-points."seedspec.generators"]),
# also found when the installed metadata predates them (an editable install made before they
# were added); tests/unit/test_python_kind.py holds this equal to the pyproject's table
BUILTIN = {
    "ulid": "seedspec.generate.idgens:ulid",
    "typeid": "seedspec.generate.idgens:typeid",
}
SAMPLE_ROWS = 8  # rows a compile-time check asks of the generator


@dataclass(frozen=True)
class PythonParams:
    name: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PythonParams:
        return cls(str(params.get("name")), dict(params.get("args") or {}))


def registered() -> dict[str, str]:
    """Every registered generator: name (and DIST:NAME) -> "module:attr"."""
    out = dict(BUILTIN)
    import importlib.metadata as md  # ~25 ms of imports: only for a spec with `python:`

    for ep in md.entry_points(group=GROUP):
        out.setdefault(ep.name, ep.value)
        dist = getattr(ep, "dist", None)
        if dist is not None and dist.metadata is not None:
            out[f"{dist.metadata['Name']}:{ep.name}"] = ep.value
    return out


def load(name: str) -> Callable[..., Any]:
    """The callable registered as `name` (a SeedspecError naming the registered ones if none)."""
    found = registered()
    value = found.get(name)
    if value is None:
        raise SeedspecError(unknown_message(name, found))
    import importlib.metadata as md

    fn: Callable[..., Any] = md.EntryPoint(name, value, GROUP).load()
    if not callable(fn):
        raise SeedspecError(f"python generator {name!r} ({value}) is not callable")
    return fn


def unknown_message(name: str, found: Mapping[str, str]) -> str:
    names = ", ".join(sorted(n for n in found if ":" not in n)) or "none"
    return (
        f"no python generator {name!r} is registered (entry point group {GROUP!r}); "
        f"registered: {names}"
    )


class PythonKind(Kind):
    name = "python"
    params_type = PythonParams
    examples = ({"python": "ulid"}, {"python": "typeid", "args": {"prefix": "usr"}})
    holds_data = True  # args are the plug-in's data

    def normalise(self, entry: Entry, pointer: Pointer, nested: Nested) -> Params:
        return {"name": entry["python"], "args": dict(entry.get("args") or {})}

    def check(self, entry: Entry, pointer: Pointer, ctx: CheckContext) -> None:
        found = registered()
        if entry["python"] not in found:
            ctx.add(pointer, unknown_message(entry["python"], found))

    def can_be_unique(self, spec: GeneratorSpec) -> bool:
        """A callable whose `unique` attribute is True promises distinct values per row."""
        try:
            return bool(getattr(load(self.parse(spec.params).name), "unique", False))
        except SeedspecError:
            return False

    def _sample(self, spec: GeneratorSpec, seed: int) -> list[Any]:
        import numpy as np

        from seedspec.generate.pycall import call_checked

        typed = self.parse(spec.params)
        rows = np.arange(SAMPLE_ROWS, dtype=np.int64)
        return list(call_checked(load(typed.name), typed.name, rows, seed, typed.args))

    def value_classes(self, spec: GeneratorSpec, locale: str, seed: int) -> set[str]:
        try:
            return {class_of(v) for v in self._sample(spec, seed) if v is not None}
        except SeedspecError:
            return set()

    def check_column(
        self, spec: GeneratorSpec, column: ColumnShape, rules: ColumnRules, fit: FitContext
    ) -> list[Problem]:
        """The generator asked for a few rows first: a broken contract (raises, wrong length,
        values of no SQL type) is a located error at compile, then the common type checks."""
        try:
            self._sample(spec, fit.seed)
        except SeedspecError as err:
            fix = "fix the generator, or its `args:`"
            return [column_problem("bad-generator", f"{fit.where}: {err}", fix)]
        return column_problems(self, spec, column, rules, fit)

    def render(self, params: Mapping[str, Any], ctx: RenderContext) -> Entry:
        typed = self.parse(params)
        out: Entry = {"python": typed.name}
        if typed.args:
            out["args"] = plain(dict(typed.args))
        return out

    def build(self, spec: GeneratorSpec, params: Params, key: int, ctx: BuildContext) -> Generator:
        from seedspec.generate.pycall import PythonCall

        return PythonCall(key, params, load(self.parse(params).name), spec.unique)
