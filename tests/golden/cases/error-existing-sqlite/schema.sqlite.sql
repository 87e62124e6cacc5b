CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE teams (code TEXT, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id),
                     buyer INTEGER, team TEXT, tag TEXT, owner_id INTEGER, note TEXT);
