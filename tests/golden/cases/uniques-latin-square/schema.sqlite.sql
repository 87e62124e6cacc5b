CREATE TABLE grid (
    id INTEGER PRIMARY KEY,
    a TEXT NOT NULL CHECK (a IN ('x', 'y', 'z')),
    b INTEGER NOT NULL CHECK (b IN (1, 2, 3)),
    c INTEGER NOT NULL CHECK (c IN (10, 20, 30)),
    UNIQUE (a, b),
    UNIQUE (b, c),
    UNIQUE (a, c)
);
