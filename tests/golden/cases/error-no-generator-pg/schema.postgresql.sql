CREATE TABLE zones (id serial PRIMARY KEY, name text NOT NULL, area circle NOT NULL);
