CREATE TABLE stock (
    id serial PRIMARY KEY,
    small smallint NOT NULL,
    price numeric(5, 2) NOT NULL,
    fits smallint NOT NULL
);
