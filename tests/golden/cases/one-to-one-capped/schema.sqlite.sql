CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE profiles (id INTEGER PRIMARY KEY,
                       user_id INTEGER NOT NULL UNIQUE REFERENCES users (id),
                       bio TEXT NULL);
