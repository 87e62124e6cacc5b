CREATE TABLE measurements (id integer NOT NULL, taken_on date NOT NULL, value integer NOT NULL)
    PARTITION BY RANGE (taken_on);
