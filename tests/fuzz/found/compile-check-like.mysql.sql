-- found by the schema fuzzer (scripts/fuzz.py --seed 2, schema 5), shrunk to 2 features
-- dialect: mysql
-- check: t1: k4 LIKE 'ab%'
-- family: compile:check:like
-- failed: compile: table 't1': 20 of 20 rows have no candidate that passes CHECK CONSTRAINT_1 (`k4` like 'ab%') within 16 attempts (the database judged them; first row 0); nothing was written
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t1 (
  id bigint PRIMARY KEY,
  k4 varchar(20) NOT NULL,
  CHECK (k4 LIKE 'ab%')
);
