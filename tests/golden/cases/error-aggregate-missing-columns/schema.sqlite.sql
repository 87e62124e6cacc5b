CREATE TABLE orders (id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    quantity INTEGER NOT NULL,
    discount INTEGER NULL
);
