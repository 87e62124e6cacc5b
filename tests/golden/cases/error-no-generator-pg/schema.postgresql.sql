CREATE TABLE zones (id serial PRIMARY KEY, name text NOT NULL, area regclass NOT NULL);
