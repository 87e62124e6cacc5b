CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id),
                    title TEXT NOT NULL);
CREATE TABLE comments (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                       body TEXT NOT NULL);
