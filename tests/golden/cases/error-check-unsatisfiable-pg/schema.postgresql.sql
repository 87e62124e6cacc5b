CREATE TABLE ticket (
    id serial PRIMARY KEY,
    status varchar(10) NOT NULL,
    CONSTRAINT status_known CHECK (status IN ('a', 'b')),
    CONSTRAINT status_closed CHECK (status = 'c')
);
