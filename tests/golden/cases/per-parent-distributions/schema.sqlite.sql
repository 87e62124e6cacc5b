CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
                    email TEXT NOT NULL UNIQUE);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                       started_at TIMESTAMP NOT NULL);
CREATE TABLE clicks (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions (id),
                     target TEXT NOT NULL);
