-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 10), shrunk to 2 features
-- dialect: sqlite
-- check: t2: k3 <> 0 OR k4 <> 0
-- family: load:check:bool-or
-- failed: load: loading t2: CHECK constraint failed: k3 <> 0 OR k4 <> 0; rolled back
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t2 (
  id bigint PRIMARY KEY,
  k3 boolean,
  k4 boolean,
  CHECK (k3 <> 0 OR k4 <> 0)
);
