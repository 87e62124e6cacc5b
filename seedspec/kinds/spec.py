"""GeneratorSpec: one column's generator as the spec front end normalised it (JSON-facing IR)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seedspec.errors import SourceLocation


@dataclass(frozen=True)
class GeneratorSpec:
    """One column generator, normalised.

    `params` by kind (all keys present after normalisation, values may be None); each kind's
    module under `seedspec/kinds/` parses them into its typed params:
      gen:             {"provider": "person.email", "args": {...}}
      int/float/decimal: {"min", "max", "dist", ...distribution parameters, "precision", "scale"}
      choice:          {"values": [...], "weights": [...] | None}
      bool:            {"p": 0.5}
      date/datetime/time: {"from": str | None, "to": str | None, "dist": "uniform"}
      sequence:        {"start": 1, "step": 1}
      template:        {"template": "SKU-{row:06d}"}
      const:           {"value": any}
      uuid:            {}
      json:            {"fields": {name: GeneratorSpec}}    (nested generators)
      array:           {"of": GeneratorSpec, "length": int | {"min", "max"}}
      ref:             {"table": "users", "column": None | "id", "dist": "uniform", "s": 1.0,
                        "where": {parent_column: this_row_column} | None}
                       e.g. owner_user_id: {ref: users, where: {account_id: id}} picks a user
                       whose account_id equals this row's id.
      index_in_parent: {"start": 1}
      lookup:          {"fk_column": "product_id", "parent_column": "price_cents"}
      default:         {}

    `location` (where the entry was written) takes no part in equality.
    """

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    null: float = 0.0
    unique: bool = False
    location: SourceLocation | None = field(default=None, compare=False)
