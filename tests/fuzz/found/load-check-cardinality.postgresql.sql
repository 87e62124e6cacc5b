-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 24), shrunk to 2 features
-- dialect: postgresql
-- family: load:check:cardinality
-- failed: load: check constraint "t2_k2_check" of relation "t2" is violated by some row; rolled back, nothing was written
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t2 (
  id bigserial PRIMARY KEY,
  k2 integer[],
  CHECK (cardinality(k2) <= 2)
);
