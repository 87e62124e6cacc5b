CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL, best_book_id integer NOT NULL);
CREATE TABLE books (id serial PRIMARY KEY, title text NOT NULL,
                    author_id integer NOT NULL REFERENCES authors (id));
ALTER TABLE authors ADD CONSTRAINT authors_best_book_fk FOREIGN KEY (best_book_id)
    REFERENCES books (id);
