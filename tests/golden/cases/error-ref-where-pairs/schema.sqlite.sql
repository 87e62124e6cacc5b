CREATE TABLE accounts (id INTEGER PRIMARY KEY, region TEXT NOT NULL);
CREATE TABLE users (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
                    region TEXT NOT NULL);
CREATE TABLE projects (id INTEGER PRIMARY KEY,
                       account_id INTEGER NOT NULL REFERENCES accounts (id),
                       region TEXT NOT NULL,
                       owner_id INTEGER NOT NULL REFERENCES users (id));
