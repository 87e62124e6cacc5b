CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id),
    reviewer_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL
);
