"""Demo `python:` generators for the tests (rows, seed, args -> n values), one of each contract."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def order_code(rows: np.ndarray, seed: int, args: Mapping[str, Any]) -> list[str]:
    """`PREFIX-<row+1>-<2 letters from the seed>`: distinct per row, deterministic."""
    prefix = str(args.get("prefix", "ORD"))
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    mixed = (rows.astype(np.uint64) * np.uint64(2654435761) + np.uint64(seed % 2**32)) % np.uint64(
        len(letters) ** 2
    )
    out = []
    for row, m in zip(rows.tolist(), mixed.tolist(), strict=True):
        out.append(f"{prefix}-{row + 1}-{letters[m // len(letters)]}{letters[m % len(letters)]}")
    return out


order_code.unique = True  # type: ignore[attr-defined]  # the row number is in every value


def short(rows: np.ndarray, seed: int, args: Mapping[str, Any]) -> list[int]:
    """Breaks the contract: one value too few."""
    return list(range(len(rows) - 1))


def objecty(rows: np.ndarray, seed: int, args: Mapping[str, Any]) -> list[object]:
    """Breaks the contract: values of no SQL type."""
    return [object() for _ in rows]
