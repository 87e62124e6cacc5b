"""DATA-SPEC workload generated column-at-a-time with numpy: scale -> {table: {column: array}}."""

from __future__ import annotations

import numpy as np
from config import BASE_COUNTS


def _words(text: str) -> np.ndarray:
    return np.array(text.split())


FIRST = _words(
    "Ada Ben Cleo Dan Eve Finn Gia Hal Ivy Jon Kai Lea Max Nia Oto Pia Quin Rae Sam "
    "Tia Uma Vic Wes Xia Yan Zoe"
)
LAST = _words(
    "Smith Jones Brown Taylor Wilson Davies Evans Thomas Roberts Johnson Walker "
    "Wright Robinson Thompson White Hughes Edwards Green Hall Wood Harris Clarke"
)
WORDS = _words(
    "amber basil cedar delta ember fjord grove harbor iris juniper kelp lotus maple "
    "nova onyx pine quartz river sage tide umber vale willow yarrow zephyr"
)
COLORS = _words("red green blue black white silver gold purple orange teal")
PLANS = np.array(["free", "pro", "enterprise"])
STATUSES = np.array(["paid", "pending", "failed", "refunded"])


def _timestamps(rng: np.random.Generator, n: int, start: str, end: str) -> np.ndarray:
    """n uniform timestamps in [start, end) as 'YYYY-MM-DDTHH:MM:SS+00' strings."""
    lo = np.datetime64(start, "s").astype(np.int64)
    hi = np.datetime64(end, "s").astype(np.int64)
    secs = rng.integers(lo, hi, n).astype("datetime64[s]")
    return np.char.add(np.datetime_as_string(secs, unit="s"), "+00")


def _quota(rng: np.random.Generator, values: np.ndarray, n: int, p: list[float]) -> np.ndarray:
    """Exactly round(p*n) of each value (the first takes the rest), shuffled."""
    k = [round(x * n) for x in p[1:]]
    out = np.repeat(values, [n - sum(k), *k])
    rng.shuffle(out)
    return out


def _counts(scale: float) -> dict[str, int]:
    return {t: max(1, round(n * scale)) for t, n in BASE_COUNTS.items()}


def _categories(rng: np.random.Generator, n: int) -> np.ndarray:
    """parent_id per category (0 = root): 4% roots, 12% / 28% / rest at depth 2 / 3 / 4."""
    sizes = [max(1, round(n * 0.04)), round(n * 0.12), round(n * 0.28)]
    sizes.append(n - sum(sizes))
    parent = np.zeros(n, dtype=np.int64)
    start = 0
    prev = None
    for size in sizes:
        if prev is not None and size > 0:
            parent[start : start + size] = rng.integers(prev[0], prev[1], size) + 1
        if size > 0:
            prev = (start, start + size)
        start += size
    return parent


def generate(scale: float, seed: int = 20240607) -> dict[str, dict[str, np.ndarray]]:
    """All six tables with explicit ids 1..n, following ../shared/bench/DATA-SPEC.md."""
    rng = np.random.default_rng(seed)
    c = _counts(scale)
    n_a, n_u, n_c, n_p, n_o = (
        c[t] for t in ("accounts", "users", "categories", "products", "orders")
    )
    out: dict[str, dict[str, np.ndarray]] = {}

    # users first (accounts.owner_user_id needs them): account uniform, 90% active
    u_acc = rng.integers(1, n_a + 1, n_u)
    u_id = np.arange(1, n_u + 1)
    out["users"] = {
        "id": u_id,
        "account_id": u_acc,
        "email": np.char.add(np.char.add("user", u_id.astype(str)), "@example.com"),
        "full_name": np.char.add(np.char.add(rng.choice(FIRST, n_u), " "), rng.choice(LAST, n_u)),
        "created_at": _timestamps(rng, n_u, "2024-01-01", "2025-01-01"),
        "is_active": np.where(rng.random(n_u) < 0.9, "t", "f"),
    }
    # owner = the first user of the account (0 -> NULL for an account without users)
    owner = np.zeros(n_a, dtype=np.int64)
    accs, first_idx = np.unique(u_acc, return_index=True)
    owner[accs - 1] = first_idx + 1
    a_id = np.arange(1, n_a + 1)
    out["accounts"] = {
        "id": a_id,
        "name": np.char.add(np.char.add(rng.choice(WORDS, n_a), " Company "), a_id.astype(str)),
        "plan": _quota(rng, PLANS, n_a, [0.6, 0.3, 0.1]),
        "owner_user_id": owner,
        "created_at": _timestamps(rng, n_a, "2022-01-01", "2024-01-01"),
    }
    c_id = np.arange(1, n_c + 1)
    out["categories"] = {
        "id": c_id,
        "parent_id": _categories(rng, n_c),
        "name": np.char.add("Category ", c_id.astype(str)),
    }
    p_id = np.arange(1, n_p + 1)
    price = rng.integers(100, 100001, n_p)
    out["products"] = {
        "id": p_id,
        "category_id": rng.integers(1, n_c + 1, n_p),
        "sku": np.char.add("SKU-", np.char.zfill(p_id.astype(str), 7)),
        "title": np.char.add(np.char.add(rng.choice(WORDS, n_p), " "), rng.choice(WORDS, n_p)),
        "price_cents": price,
        "color": rng.choice(COLORS, n_p),
        "weight_g": rng.integers(50, 5001, n_p),
        "in_stock": rng.random(n_p) < 0.8,
    }
    # order_items: 60% uniform 1..4, 40% uniform 5..8 lines per order
    per = np.where(rng.random(n_o) < 0.4, rng.integers(5, 9, n_o), rng.integers(1, 5, n_o))
    starts = np.concatenate(([0], np.cumsum(per)[:-1]))
    n_i = int(per.sum())
    o_id = np.arange(1, n_o + 1)
    i_prod = rng.integers(1, n_p + 1, n_i)
    qty = 1 + np.floor(20 * rng.random(n_i) ** 3).astype(np.int64)
    unit = price[i_prod - 1]
    out["order_items"] = {
        "order_id": np.repeat(o_id, per),
        "line_no": np.arange(n_i) - np.repeat(starts, per) + 1,
        "product_id": i_prod,
        "quantity": qty,
        "unit_price_cents": unit,
    }
    out["orders"] = {
        "id": o_id,
        "user_id": rng.integers(1, n_u + 1, n_o),
        "status": rng.choice(STATUSES, n_o, p=[0.7, 0.15, 0.1, 0.05]),
        "placed_at": _timestamps(rng, n_o, "2025-01-01", "2026-01-01"),
        "total_cents": np.add.reduceat(qty * unit, starts),
    }
    return out
