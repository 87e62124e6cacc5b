CREATE TABLE orders (id INTEGER PRIMARY KEY, placed_at TEXT NOT NULL);
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line_no INTEGER NOT NULL
);
