CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE duels (id serial PRIMARY KEY, first_id int NOT NULL REFERENCES users,
  second_id int NOT NULL REFERENCES users, tag text NOT NULL CHECK (tag IN ('a', 'b', 'c')),
  UNIQUE (first_id, tag), CONSTRAINT duels_order CHECK (first_id < second_id));
