-- found by the schema fuzzer (scripts/fuzz.py --seed 0, schema 10), shrunk to 2 features
-- dialect: mysql
-- check: t0: k1 LIKE 'ab%'
-- family: compile:check:like
-- failed: compile: table 't0': 20 of 20 rows have no candidate that passes CHECK CONSTRAINT_1 (`k1` like 'ab%') within 16 attempts (the database judged them; first row 0); nothing was written
-- xfail: compile: table 't0': 20 of 20 rows have no candidate that passes CHECK CONSTRAINT_1 (`k1` like 'ab%') within 16 attempts (the database judged them; first row 0); nothing
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  k1 varchar(20) NOT NULL,
  CHECK (k1 LIKE 'ab%')
);
