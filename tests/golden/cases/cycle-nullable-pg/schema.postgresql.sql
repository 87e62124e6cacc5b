CREATE TABLE a (id serial PRIMARY KEY, name text NOT NULL, b_id integer NOT NULL);
CREATE TABLE b (id serial PRIMARY KEY, label text NOT NULL, c_id integer NOT NULL);
CREATE TABLE c (id serial PRIMARY KEY, code varchar(20) NOT NULL UNIQUE,
                a_id integer NULL REFERENCES a (id));
ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id);
ALTER TABLE b ADD CONSTRAINT b_c_id_fkey FOREIGN KEY (c_id) REFERENCES c (id);
