CREATE TABLE shipments (
    id INTEGER PRIMARY KEY,
    shipped TIMESTAMP,
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    lane TEXT CHECK (lane IN ('east', 'west')),
    note TEXT
);
