CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (lower(name) = name),
    code TEXT NOT NULL DEFAULT 'a-1',
    CHECK (instr(code, '-') > 0)
);
