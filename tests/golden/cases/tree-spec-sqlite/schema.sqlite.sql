CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                         parent_id INTEGER NULL REFERENCES categories (id));
