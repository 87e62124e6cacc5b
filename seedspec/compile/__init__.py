"""Compile: (Spec, DbSchema) -> frozen Plan, as the pass sequence `build.PASSES`."""

from seedspec.compile.build import PASSES, compile_plan, run_passes

__all__ = ["PASSES", "compile_plan", "run_passes"]
