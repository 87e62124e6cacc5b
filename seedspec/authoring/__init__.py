"""Authoring helpers: resolved spec -> explicit YAML (`init`) and sample rows (`preview`)."""
