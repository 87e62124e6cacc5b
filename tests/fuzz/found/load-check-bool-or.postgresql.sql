-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 3), shrunk to 2 features
-- dialect: postgresql
-- family: load:check:bool-or
-- failed: load: check constraint "t2_check" of relation "t2" is violated by some row; rolled back, nothing was written
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t2 (
  id smallint PRIMARY KEY,
  k1 boolean,
  k2 boolean,
  CHECK (k1 <> false OR k2 <> false)
);
