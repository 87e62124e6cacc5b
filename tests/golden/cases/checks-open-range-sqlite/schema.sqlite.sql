CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 150),
    rank INTEGER NOT NULL CHECK (rank > 10),
    score REAL NOT NULL CHECK (score >= -1 AND score < 1),
    balance NUMERIC(10, 2) NOT NULL CHECK (balance > 0 AND balance <= 99.5),
    born DATE NOT NULL CHECK (born > '2030-01-01' AND born <= '2030-12-31'),
    seen TIMESTAMP NOT NULL CHECK (seen < '2001-01-01'),
    code TEXT NOT NULL CHECK (length(code) <= 3)
);
