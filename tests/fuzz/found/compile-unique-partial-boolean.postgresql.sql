-- found by the schema fuzzer (scripts/fuzz.py --seed 2, schema 4), shrunk to 2 features
-- dialect: postgresql
-- family: compile:unique:partial-boolean
-- failed: compile: t0.flag4 must be unique (flag4) but a 'bool' generator cannot guarantee distinct values
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id bigserial PRIMARY KEY,
  flag4 boolean NOT NULL
);
CREATE UNIQUE INDEX t0_flag4_pu ON t0 (flag4) WHERE flag4;
