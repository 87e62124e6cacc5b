"""Workload arrays -> one file per table in a directory: CSV for COPY, TSV for MariaDB LOAD DATA."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from workload import generate

# COPY column lists, in load order (the accounts -> users FK is DEFERRABLE INITIALLY DEFERRED,
# so accounts go first with owner_user_id already set and the FK is checked at COMMIT).
COLUMNS = {
    "accounts": ("id", "name", "plan", "owner_user_id", "created_at"),
    "users": ("id", "account_id", "email", "full_name", "created_at", "is_active"),
    "categories": ("id", "parent_id", "name"),
    "products": ("id", "category_id", "sku", "title", "price_cents", "attributes"),
    "orders": ("id", "user_id", "status", "placed_at", "total_cents"),
    "order_items": ("order_id", "line_no", "product_id", "quantity", "unit_price_cents"),
}


def _text(col: np.ndarray, null_zero: bool = False) -> list[str]:
    """Column -> CSV field strings; with null_zero, 0 becomes an empty field (NULL)."""
    s = col.astype(str)
    if null_zero:
        s = np.where(col == 0, "", s)
    return s.tolist()


def _attributes(p: dict[str, np.ndarray]) -> list[str]:
    """jsonb {color, weight_g, in_stock} as quoted CSV fields."""
    stock = np.where(p["in_stock"], "true", "false")
    return [
        f'"{{""color"": ""{c}"", ""weight_g"": {w}, ""in_stock"": {s}}}"'
        for c, w, s in zip(p["color"].tolist(), p["weight_g"].tolist(), stock.tolist(), strict=True)
    ]


def write_csvs(scale: float, out_dir: Path) -> dict[str, int]:
    """Generate the workload at `scale` and write <table>.csv files; returns rows per table."""
    data = generate(scale)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for table, cols in COLUMNS.items():
        t = data[table]
        fields = []
        for col in cols:
            if col == "attributes":
                fields.append(_attributes(t))
            else:
                fields.append(_text(t[col], null_zero=col in ("owner_user_id", "parent_id")))
        text = "\n".join(map(",".join, zip(*fields, strict=True)))
        (out_dir / f"{table}.csv").write_text(text + "\n")
        rows[table] = len(fields[0])
    return rows


def _my_text(col: np.ndarray, column: str) -> list[str]:
    """Column -> LOAD DATA field strings: \\N for NULL, DATETIME text, booleans as 1/0."""
    if column in ("created_at", "placed_at"):  # '2024-01-01T00:00:00+00' -> DATETIME text
        return np.char.replace(np.char.replace(col, "T", " "), "+00", "").tolist()
    if column == "is_active":
        return np.where(col == "t", "1", "0").tolist()
    s = col.astype(str)
    if column in ("owner_user_id", "parent_id"):
        s = np.where(col == 0, "\\N", s)
    return s.tolist()


def write_mysql_files(scale: float, out_dir: Path) -> dict[str, int]:
    """The same rows as write_csvs as <table>.tsv for MariaDB's LOAD DATA (tab, \\N, one a line)."""
    data = generate(scale)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for table, cols in COLUMNS.items():
        t = data[table]
        fields = []
        for col in cols:
            if col == "attributes":
                stock = np.where(t["in_stock"], "true", "false")
                fields.append(
                    [
                        f'{{"color": "{c}", "weight_g": {w}, "in_stock": {s}}}'
                        for c, w, s in zip(
                            t["color"].tolist(), t["weight_g"].tolist(), stock.tolist(), strict=True
                        )
                    ]
                )
            else:
                fields.append(_my_text(t[col], col))
        text = "\n".join(map("\t".join, zip(*fields, strict=True)))
        (out_dir / f"{table}.tsv").write_text(text + "\n")
        rows[table] = len(fields[0])
    return rows
