-- The cycles schema (specs/schemas/cycles.postgresql.sql) in MySQL/MariaDB.
CREATE TABLE a (
    id   INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    b_id INT NOT NULL
) ENGINE=InnoDB;
CREATE TABLE b (
    id    INT AUTO_INCREMENT PRIMARY KEY,
    label VARCHAR(100) NOT NULL,
    c_id  INT NOT NULL
) ENGINE=InnoDB;
CREATE TABLE c (
    id   INT AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(20) NOT NULL UNIQUE,
    a_id INT NULL,
    CONSTRAINT c_a_id_fkey FOREIGN KEY (a_id) REFERENCES a (id)
) ENGINE=InnoDB;
ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id);
ALTER TABLE b ADD CONSTRAINT b_c_id_fkey FOREIGN KEY (c_id) REFERENCES c (id);
CREATE TABLE employees (
    id         INT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    manager_id INT NOT NULL,
    CONSTRAINT employees_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES employees (id)
) ENGINE=InnoDB;
