"""Execution: (Plan, connection) -> rows loaded in one transaction, and an ApplyReport."""
