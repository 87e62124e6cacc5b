CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms (id),
    host_id INTEGER NOT NULL REFERENCES hosts (id),
    slot INTEGER NOT NULL CHECK (slot IN (1, 2, 3)),
    UNIQUE (room_id, slot),
    UNIQUE (host_id, slot),
    UNIQUE (room_id, host_id)
);
CREATE TABLE seats (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES rooms (id),
    seat INTEGER NOT NULL CHECK (seat BETWEEN 1 AND 4),
    row_no INTEGER NOT NULL CHECK (row_no IN (1, 2)),
    UNIQUE (room_id, seat),
    UNIQUE (seat, row_no)
);
