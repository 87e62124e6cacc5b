"""Analysis: (Spec, DbSchema) -> drift findings (reconcile) and inferred generators (infer)."""
