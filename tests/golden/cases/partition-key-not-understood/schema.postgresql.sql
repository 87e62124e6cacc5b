CREATE TABLE visits (id integer NOT NULL, visitor text NOT NULL)
    PARTITION BY LIST (lower(visitor));
CREATE TABLE visits_a PARTITION OF visits FOR VALUES IN ('alice');
CREATE TABLE visits_other PARTITION OF visits FOR VALUES IN ('bob');
