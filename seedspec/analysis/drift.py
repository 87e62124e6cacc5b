"""Drift reports: reconciling's Problems -> JSON; DriftError (exit 3) when any is an error."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from seedspec.errors import Problem, SeedspecError


@dataclass(frozen=True)
class DriftReport:
    """Every drift Problem of one spec against one schema source, in the order found (frozen:
    each step that adds to it makes a new report)."""

    findings: tuple[Problem, ...] = ()
    source: str = "database"  # database | snapshot | metadata
    spec_path: str | None = None
    unsatisfiable: frozenset[tuple[str, str]] = frozenset()  # compile's findings (message, code)

    def escalated(self, strict: bool) -> DriftReport:
        """With --strict every warning is an error."""
        return replace(self, findings=tuple(f.escalated(strict) for f in self.findings))

    def extended(self, more: Iterable[Problem], *, unsatisfiable: bool = False) -> DriftReport:
        """This report with more findings after its own (`unsatisfiable`: compile found them:
        the spec fits the schema's shape but cannot be met, error code unsatisfiable)."""
        more = tuple(more)
        keys = {(p.message, p.code) for p in more} if unsatisfiable else set()
        return replace(
            self, findings=(*self.findings, *more), unsatisfiable=self.unsatisfiable | keys
        )

    def code_of(self, finding: Problem) -> str:
        """The finding's error code: unsatisfiable when compile found it, else drift."""
        return "unsatisfiable" if (finding.message, finding.code) in self.unsatisfiable else "drift"

    def of_source(self, source: str, spec_path: str | None) -> DriftReport:
        """This report, saying which schema source and spec it compared."""
        return replace(self, source=source, spec_path=spec_path)

    @property
    def errors(self) -> list[Problem]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec": self.spec_path,
            "source": self.source,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


def drift_document(reports: Sequence[DriftReport]) -> dict[str, Any]:
    """The `drift` result of `-o json` (check, plan, apply; docs/OUTPUT.md): every finding of
    every report checked, with counts, and which spec was checked against which source."""
    findings = [f.to_json(r.code_of(f)) for r in reports for f in r.findings]
    return {
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
        "findings": findings,
        "checked": [{"spec": r.spec_path, "source": r.source} for r in reports],
    }


class DriftError(SeedspecError):
    """Error-level drift: the spec does not fit the schema; nothing was written (exit 3)."""

    def __init__(self, report: DriftReport) -> None:
        self.report = report
        first = report.errors[0] if report.errors else None
        super().__init__(first.message if first else "drift", first.location if first else None)

    @property
    def problems(self) -> list[Problem]:
        return list(self.report.findings)
