-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 2), shrunk to 2 features
-- dialect: sqlite
-- check: t0: length(k2) >= 3
-- family: load:check:min-length
-- failed: load: loading t0: CHECK constraint failed: length(k2) >= 3; rolled back
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id bigint PRIMARY KEY,
  k2 varchar(30) NOT NULL,
  CHECK (length(k2) >= 3)
);
