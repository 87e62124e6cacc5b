-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 12), shrunk to 2 features
-- dialect: postgresql
-- family: load:check:regex
-- failed: load: check constraint "t0_k3_check" of relation "t0" is violated by some row; rolled back, nothing was written
-- xfail: compile: table 't0': 20 of 20 rows have no candidate that passes CHECK t0_k3_check (k3 ~ '^[a-z]{3}[0-9]{2}$'::text) within 16 attempts (the database judged them; first 
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id serial PRIMARY KEY,
  k3 text NOT NULL,
  CHECK (k3 ~ '^[a-z]{3}[0-9]{2}$')
);
