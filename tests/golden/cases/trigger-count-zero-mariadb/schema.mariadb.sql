CREATE TABLE film (film_id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100) NOT NULL,
                   description TEXT NULL) ENGINE=InnoDB;
CREATE TABLE film_text (film_id INT NOT NULL PRIMARY KEY, title VARCHAR(100) NOT NULL,
                        description TEXT NULL) ENGINE=InnoDB;
CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW
    INSERT INTO film_text (film_id, title, description)
    VALUES (new.film_id, new.title, new.description);
