-- The benchmark e-commerce schema (specs/schemas/shop.postgresql.sql) in SQLite.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    plan          TEXT NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
    owner_user_id INTEGER NULL REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED,
    created_at    TIMESTAMP NOT NULL
);
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    email       TEXT NOT NULL UNIQUE,
    full_name   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT 1
);
CREATE TABLE categories (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER NULL REFERENCES categories (id),
    name      TEXT NOT NULL,
    UNIQUE (parent_id, name)
);
CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    sku         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    attributes  TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'refunded', 'failed')),
    placed_at   TIMESTAMP NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0)
);
CREATE TABLE order_items (
    order_id         INTEGER REFERENCES orders (id),
    line_no          INTEGER,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
