CREATE TABLE members (
    id serial PRIMARY KEY,
    email varchar(24) NOT NULL UNIQUE,
    code varchar(8) NOT NULL UNIQUE,
    short char(3) NOT NULL UNIQUE
);
