-- found by the schema fuzzer (scripts/fuzz.py --seed 0, schema 5), shrunk to 2 features
-- dialect: sqlite
-- family: compile:unique:partial-boolean
-- failed: compile: t0.flag2 must be unique (flag2) but a 'bool' generator cannot guarantee distinct values
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id INTEGER PRIMARY KEY,
  flag2 boolean NOT NULL
);
CREATE UNIQUE INDEX t0_flag2_pu ON t0 (flag2) WHERE flag2;
