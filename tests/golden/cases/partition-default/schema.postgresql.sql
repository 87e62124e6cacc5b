CREATE TABLE logs (id integer NOT NULL, level text NOT NULL, line text NOT NULL)
    PARTITION BY LIST (level);
CREATE TABLE logs_error PARTITION OF logs FOR VALUES IN ('error');
CREATE TABLE logs_other PARTITION OF logs DEFAULT;
