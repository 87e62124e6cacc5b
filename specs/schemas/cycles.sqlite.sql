-- The cycles schema (specs/schemas/cycles.postgresql.sql) in SQLite.
CREATE TABLE a (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    b_id INTEGER NOT NULL REFERENCES b (id)
);
CREATE TABLE b (
    id    INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    c_id  INTEGER NOT NULL REFERENCES c (id)
);
CREATE TABLE c (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    a_id INTEGER NULL REFERENCES a (id)
);
CREATE TABLE employees (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    manager_id INTEGER NOT NULL REFERENCES employees (id)
);
