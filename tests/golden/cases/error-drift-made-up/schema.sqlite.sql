CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    shipped TIMESTAMP,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    lane TEXT CHECK (lane IN ('east', 'west')),
    tag TEXT CHECK (tag IN ('x', 'y')),
    note TEXT
);
