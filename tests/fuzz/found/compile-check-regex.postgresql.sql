-- found by the schema fuzzer (scripts/fuzz.py --seed 2, schema 3), shrunk to 2 features
-- dialect: postgresql
-- check: t1: k4 ~ '^[a-z]{3}[0-9]{2}$'
-- family: compile:check:regex
-- failed: compile: table 't1': 20 of 20 rows have no candidate that passes CHECK t1_k4_check (k4 ~ '^[a-z]{3}[0-9]{2}$'::text) within 16 attempts (the database judged them; first row 0); nothing was written
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t1 (
  id serial PRIMARY KEY,
  k4 text NOT NULL,
  CHECK (k4 ~ '^[a-z]{3}[0-9]{2}$')
);
