-- found by the schema fuzzer (scripts/fuzz.py --seed 0, schema 8), shrunk to 2 features
-- dialect: sqlite
-- family: compile:type:untyped
-- failed: compile: t1.c4 (unknown) is NOT NULL without a default and type unknown has no generator; give it a generator in the spec (e.g. `const:`)
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t1 (
  id INTEGER PRIMARY KEY,
  c4  NOT NULL
);
