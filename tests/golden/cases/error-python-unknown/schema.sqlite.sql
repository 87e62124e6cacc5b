CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, is_active INTEGER NOT NULL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                       pw TEXT NOT NULL, token TEXT UNIQUE, label TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                     account_id INTEGER NOT NULL REFERENCES accounts (id), ref TEXT NOT NULL);
