CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                      best_book_id INTEGER NOT NULL REFERENCES books (id));
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
                    author_id INTEGER NOT NULL REFERENCES authors (id));
