CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE bookings (
    id serial PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tsrange NOT NULL,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
CREATE TABLE zones (
    id serial PRIMARY KEY,
    area circle NOT NULL,
    EXCLUDE USING gist (area WITH &&)
);
