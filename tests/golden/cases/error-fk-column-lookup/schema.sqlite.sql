CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id));
CREATE TABLE comments (id INTEGER PRIMARY KEY,
                       post_id INTEGER NOT NULL REFERENCES posts (id),
                       user_id INTEGER NOT NULL REFERENCES users (id));
