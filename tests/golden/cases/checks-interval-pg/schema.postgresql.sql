CREATE TABLE waits (
    id serial PRIMARY KEY,
    queued interval NOT NULL CHECK (queued <= interval '1 hour'),
    served interval CHECK (served > interval '0' AND served < '2 days'),
    grace interval CHECK (grace BETWEEN '10 seconds' AND '20 seconds'),
    free interval
);
