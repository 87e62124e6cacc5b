CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('paid', 'pending')),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    code VARCHAR(4) NOT NULL,
    amount INTEGER NOT NULL,
    note TEXT NOT NULL
);
