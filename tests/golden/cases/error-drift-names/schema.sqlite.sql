CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                    upper_name TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL);
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id),
                    title TEXT NOT NULL);
