"""Drift findings: the typed result of reconciling a spec with a schema (text / JSON / GitHub)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seedspec.errors import ExitCode, Problem, SeedspecError, SourceLocation


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    code: str  # e.g. missing-column, type-mismatch, choice-outside-check
    message: str
    table: str | None = None
    column: str | None = None
    location: SourceLocation | None = None
    fix: str | None = None

    def escalated(self, strict: bool) -> Finding:
        if strict and self.severity == "warning":
            return Finding(
                "error", self.code, self.message, self.table, self.column, self.location, self.fix
            )
        return self

    def to_problem(self) -> Problem:
        text = f"{self.message} (fix: {self.fix})" if self.fix else self.message
        return Problem(
            text, self.location, self.severity, self.code, self.table, self.column, self.fix
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "table": self.table,
            "column": self.column,
            "fix": self.fix,
        }
        if self.location:
            out.update(file=self.location.file, line=self.location.line, col=self.location.col)
        return out

    def github(self) -> str:
        level = "error" if self.severity == "error" else "warning"
        parts = []
        if self.location:
            parts = [
                f"file={self.location.file}",
                f"line={self.location.line}",
                f"col={self.location.col}",
            ]
        parts.append(f"title=seedspec {self.code}")
        text = self.to_problem().message
        return f"::{level} {','.join(parts)}::{_escape(text)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class DriftReport:
    findings: list[Finding] = field(default_factory=list)
    source: str = "database"  # database | snapshot | metadata
    spec_path: str | None = None

    def escalated(self, strict: bool) -> DriftReport:
        return DriftReport(
            [f.escalated(strict) for f in self.findings], self.source, self.spec_path
        )

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec": self.spec_path,
            "source": self.source,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


class DriftError(SeedspecError):
    """Error-level drift: the spec does not fit the schema; nothing was written."""

    exit_code = ExitCode.DRIFT

    def __init__(self, report: DriftReport) -> None:
        self.report = report
        first = report.errors[0] if report.errors else None
        super().__init__(first.message if first else "drift", first.location if first else None)

    @property
    def problems(self) -> list[Problem]:
        return [f.to_problem() for f in self.report.findings]
