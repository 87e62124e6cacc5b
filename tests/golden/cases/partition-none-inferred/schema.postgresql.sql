CREATE TABLE measurements (id integer NOT NULL, taken_on date NOT NULL, value integer NOT NULL)
    PARTITION BY RANGE (taken_on);
CREATE TABLE sensors (id serial PRIMARY KEY, name text NOT NULL);
