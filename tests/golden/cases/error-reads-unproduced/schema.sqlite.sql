CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT, slug TEXT, note TEXT, code TEXT DEFAULT 'x');
