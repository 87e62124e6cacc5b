"""The spec front end: seed.yaml text -> source map, JSON Schema check, Spec IR, semantic checks."""
