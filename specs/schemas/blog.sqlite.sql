-- The blog schema (specs/schemas/blog.postgresql.sql) in SQLite.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT NOT NULL UNIQUE,
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    bio            TEXT NULL,
    is_admin       BOOLEAN NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL,
    pinned_post_id INTEGER NULL REFERENCES posts (id)
);
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    author_id     INTEGER NOT NULL REFERENCES users (id),
    title         TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    featured      BOOLEAN NOT NULL,
    view_count    INTEGER NOT NULL CHECK (view_count >= 0),
    comment_count INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP NULL
);
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id    INTEGER NOT NULL REFERENCES posts (id),
    author_id  INTEGER NOT NULL REFERENCES users (id),
    parent_id  INTEGER NULL REFERENCES comments (id),
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts (id),
    tag_id  INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (post_id, tag_id)
);
