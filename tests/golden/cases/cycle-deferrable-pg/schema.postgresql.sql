CREATE TABLE departments (
    id serial PRIMARY KEY,
    name text NOT NULL,
    head_id integer NOT NULL
);
CREATE TABLE staff (
    id serial PRIMARY KEY,
    name text NOT NULL,
    department_id integer NOT NULL REFERENCES departments (id)
);
ALTER TABLE departments ADD CONSTRAINT departments_head_fk FOREIGN KEY (head_id)
    REFERENCES staff (id) DEFERRABLE INITIALLY DEFERRED;
