CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    email VARCHAR(40) NOT NULL UNIQUE,
    badge INTEGER NOT NULL UNIQUE,
    code VARCHAR(12) NOT NULL UNIQUE,
    team TEXT NOT NULL,
    nickname VARCHAR(30) NOT NULL,
    UNIQUE (team, nickname)
);
