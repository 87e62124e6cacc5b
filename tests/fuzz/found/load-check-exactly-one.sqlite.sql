-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 16), shrunk to 2 features
-- dialect: sqlite
-- check: t1: (k1 IS NULL) <> (k2 IS NULL)
-- family: load:check:exactly-one
-- failed: load: loading t1: CHECK constraint failed: (k1 IS NULL) <> (k2 IS NULL); rolled back
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t1 (
  id INTEGER PRIMARY KEY,
  k1 integer,
  k2 integer,
  CHECK ((k1 IS NULL) <> (k2 IS NULL))
);
