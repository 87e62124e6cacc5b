CREATE TABLE authors (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(80) NOT NULL,
                      best_book_id INT NOT NULL) ENGINE=InnoDB;
CREATE TABLE books (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(120) NOT NULL,
                    author_id INT NOT NULL,
                    CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id))
                    ENGINE=InnoDB;
ALTER TABLE authors ADD CONSTRAINT authors_best_book_fk FOREIGN KEY (best_book_id)
    REFERENCES books (id);
