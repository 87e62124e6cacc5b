-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 21), shrunk to 2 features
-- dialect: postgresql
-- family: load:check:num-nonnulls
-- failed: load: check constraint "t0_check" of relation "t0" is violated by some row; rolled back, nothing was written
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  k1 integer,
  k2 integer,
  CHECK (num_nonnulls(k1, k2) = 1)
);
