CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    level REAL NOT NULL,
    unit TEXT NOT NULL,
    UNIQUE (level, unit)
);
