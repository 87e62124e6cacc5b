CREATE TABLE notes (body VARCHAR(60) NOT NULL, owner_id INT NULL, KEY notes_body (body))
    ENGINE=InnoDB;
CREATE TABLE owners (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(60) NOT NULL,
                     note_body VARCHAR(60) NOT NULL,
                     CONSTRAINT owners_note_fk FOREIGN KEY (note_body) REFERENCES notes (body))
                     ENGINE=InnoDB;
ALTER TABLE notes ADD CONSTRAINT notes_owner_fk FOREIGN KEY (owner_id) REFERENCES owners (id);
