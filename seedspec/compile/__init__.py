"""Compile: (Spec, DbSchema) -> Plan (table order, broken cycle edges, steps, generation model)."""

from seedspec.compile.build import compile_plan

__all__ = ["compile_plan"]
